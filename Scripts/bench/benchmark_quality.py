#!/usr/bin/env python3
"""Track quality measures for Scripts/bench/benchmark.sh: jitter, lag and agreement of keypoint tracks.

Reads posepipe track files (a header line, then {"frame", "persons": [{"id", "keypoints"}]} lines)
and the MediaPipe side's files from Scripts/bench/benchmark_mediapipe.py ({"frame", "keypoints"}: one
person, given id 0). Every measure is over the COCO-17 joints, found by name, and in thousandths of
the person's size: the larger side of the box around those 17 joints in that frame.

- jitter: mean over frames t and joints of |p(t+1) - 2 p(t) + p(t-1)| / size(t), for each person
  seen in three consecutive frames;
- lag: mean over frames and joints of |p(t) - q(t)| / size(t), p from a smoothed run and q from the
  same tool's unsmoothed run, person by person (ids match: smoothing comes after tracking);
- agreement: median and 95th percentile of |p(t) - q(t)| / size(t) between two runs on the same
  frames, each of A's people paired with B's nearest.

Usable on its own:  benchmark_quality.py RAW.jsonl [SMOOTHED.jsonl ...]  prints jitter of each and
the lag of each later file against the first.
"""
import json
import sys

import numpy as np

COCO17 = ["nose", "left_eye", "right_eye", "left_ear", "right_ear", "left_shoulder", "right_shoulder",
          "left_elbow", "right_elbow", "left_wrist", "right_wrist", "left_hip", "right_hip", "left_knee",
          "right_knee", "left_ankle", "right_ankle"]


def load(path):
    """{frame: {id: array [17, 3]}} of a posepipe or MediaPipe track file, COCO-17 joints only."""
    with open(path) as f:
        header = json.loads(next(f))
        order = [header["keypoints"].index(n) for n in COCO17]
        frames = {}
        for line in f:
            if not line.strip():
                continue
            j = json.loads(line)
            if "persons" in j:
                people = {p["id"]: np.array(p["keypoints"], float)[order] for p in j["persons"] or []}
            else:
                people = {} if j["keypoints"] is None else {0: np.array(j["keypoints"], float)[order]}
            frames[j["frame"]] = people
    return frames


def size(points):
    extent = points[:, :2].max(axis=0) - points[:, :2].min(axis=0)
    return max(float(extent.max()), 1.0)


def jitter(frames):
    """Mean second difference per joint, in thousandths of the person's size; with the sample count."""
    values = []
    for t, people in frames.items():
        before, after = frames.get(t - 1, {}), frames.get(t + 1, {})
        for pid, p in people.items():
            if pid in before and pid in after:
                accel = after[pid][:, :2] - 2 * p[:, :2] + before[pid][:, :2]
                values.append(np.linalg.norm(accel, axis=1) / size(p))
    if not values:
        return None, 0
    v = np.concatenate(values)
    return round(1e3 * float(v.mean()), 2), int(v.size)


def lag(smoothed, raw):
    """Mean distance of a smoothed run from its own unsmoothed run, in thousandths of the person's size."""
    values = []
    for t, people in smoothed.items():
        for pid, p in people.items():
            q = raw.get(t, {}).get(pid)
            if q is not None:
                values.append(np.linalg.norm(p[:, :2] - q[:, :2], axis=1) / size(q))
    if not values:
        return None
    return round(1e3 * float(np.concatenate(values).mean()), 2)


def agreement(a, b):
    """Median and p95 of the distance of A's people from B's nearest person, in thousandths of B's size."""
    values = []
    for t, people in a.items():
        others = list(b.get(t, {}).values())
        for p in people.values():
            if not others:
                continue
            best = min(others, key=lambda q: np.linalg.norm(p[:, :2] - q[:, :2], axis=1).mean())
            values.append(np.linalg.norm(p[:, :2] - best[:, :2], axis=1) / size(best))
    if not values:
        return None
    v = np.concatenate(values)
    return {"median": round(1e3 * float(np.median(v)), 2), "p95": round(1e3 * float(np.percentile(v, 95)), 2),
            "mean": round(1e3 * float(v.mean()), 2), "count": int(v.size)}


def main(paths):
    raw = load(paths[0])
    print(f"{paths[0]}: jitter {jitter(raw)[0]}")
    for path in paths[1:]:
        run = load(path)
        print(f"{path}: jitter {jitter(run)[0]}, lag {lag(run, raw)}, agreement {agreement(run, raw)}")


if __name__ == "__main__":
    main(sys.argv[1:])
