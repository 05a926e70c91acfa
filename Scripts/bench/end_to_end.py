"""End-to-end agreement of a pipeline with the default (BlazePose) pipeline, run as a user runs it.

`posepipe VIEW -o TRACKS --pipeline NAME` with every default (detector, tracking, offline smoothing) on each
held-out view, and the same with the default pipeline: per frame, each of the default pipeline's people is
paired with the pipeline's person whose keypoints lie closest to its own (median over its clear keypoints;
boxes are not compared, since each pipeline draws them its own way), and each COCO-17 keypoint the default
pipeline scores >= 0.5 is compared: error / sqrt(box w·h) of the default's box. A default person with no
partner within half its box size counts all its keypoints as missed. This is agreement with the teacher, not accuracy: the
default pipeline is what the families were distilled from.

Also people per frame and distinct ids on a multi-person clip: a pipeline that keeps boxes with nobody in them
shows more people than the default; one that loses people shows fewer.
"""
import json
import os
import subprocess

import numpy as np

# COCO-17 from BlazePose-33: nose, eyes, ears, shoulders, elbows, wrists, hips, knees, ankles.
BLAZEPOSE_TO_COCO = [0, 2, 5, 7, 8, 11, 12, 13, 14, 15, 16, 23, 24, 25, 26, 27, 28]
CLEAR = 0.5
MATCH = 0.5             # median keypoint distance / box size beyond which two people are not the same


def run(posepipe, clip, name, out, options=()):
    if not os.path.exists(out):
        subprocess.run([posepipe, clip, "--pipeline", name, "-o", out, "--quiet", *options], check=True)
    return read_tracks(out)


def read_tracks(path):
    """Per frame: [(id, box [x, y, w, h], keypoints [K, 3])], and the header's keypoint count."""
    with open(path) as f:
        header = json.loads(f.readline())
        frames = [[(p["id"], np.asarray(p["box"], float), np.asarray(p["keypoints"], float))
                   for p in json.loads(line)["persons"]] for line in f]
    return header, frames


def coco(header, keypoints):
    return keypoints[BLAZEPOSE_TO_COCO] if len(header["keypoints"]) == 33 else keypoints


def agreement(reference, candidate):
    """Errors / box size for every clear reference keypoint (inf where the person was not found), and how many
    reference people had no partner."""
    ref_header, ref_frames = reference
    cand_header, cand_frames = candidate
    errors, unmatched = [], 0
    for ref_people, cand_people in zip(ref_frames, cand_frames):
        for _, box, keypoints in ref_people:
            truth = coco(ref_header, keypoints)
            clear = truth[:, 2] >= CLEAR
            size = np.sqrt(box[2] * box[3])
            distances = [np.linalg.norm(coco(cand_header, p[2])[clear, :2] - truth[clear, :2], axis=1) / size
                         for p in cand_people]
            best = min(distances, key=np.median, default=None)
            if best is None or np.median(best) > MATCH:
                errors.extend([np.inf] * int(clear.sum()))
                unmatched += 1
                continue
            errors.extend(best.tolist())
    e = np.array(errors)
    return {"keypoints": len(e), "pck05": float((e < 0.05).mean()), "pck10": float((e < 0.1).mean()),
            "median": float(np.median(e)), "unmatched": unmatched}


def people(tracks):
    _, frames = tracks
    return {"per_frame": float(np.mean([len(f) for f in frames])), "ids": len({p[0] for f in frames for p in f})}


def measure(posepipe, name, views, crowd_clip, scratch):
    """{"views": {view: agreement}, "worst": agreement of the worst view, "crowd": people on crowd_clip}."""
    def tracks(clip, pipeline):
        return run(posepipe, clip, pipeline, os.path.join(scratch, f"{os.path.basename(clip)}.{pipeline}.jsonl"))
    result = {"views": {}}
    for view in views:
        result["views"][os.path.basename(view)] = agreement(tracks(view, "blazepose"), tracks(view, name))
    result["worst"] = min(result["views"].values(), key=lambda v: v["pck10"])
    result["crowd"] = people(tracks(crowd_clip, name))
    return result
