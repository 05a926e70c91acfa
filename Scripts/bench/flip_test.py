#!/usr/bin/env python3
"""What the flip test costs and gains on a pipeline: runs posepipe with and without --flip-test
on the fixtures (raw keypoints, no smoothing) and prints CPU seconds, jitter and how far the two
runs' keypoints lie apart.

Usage: Scripts/bench/flip_test.py [--pipeline blazepose] [--runs 3]   (after `swift build -c release`)
Jitter is the mean over frames and COCO-17 joints (clear in three consecutive frames of one id) of
|p(t+1) − 2·p(t) + p(t−1)| over the larger side of the person's box, ×1e-3: how much a track
shakes, independent of how the person moves at constant speed.
"""
import argparse
import json
import os
import resource
import statistics
import subprocess
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
BINARY = os.path.join(ROOT, ".build/release/posepipe")
CLIPS = ["Fixtures/sports2d_demo.mp4", "Fixtures/vtest_pedestrians.mp4"]
COCO = ["nose", "left_eye", "right_eye", "left_ear", "right_ear", "left_shoulder", "right_shoulder", "left_elbow",
        "right_elbow", "left_wrist", "right_wrist", "left_hip", "right_hip", "left_knee", "right_knee", "left_ankle", "right_ankle"]


def run(clip, out, pipeline, flip):
    args = [BINARY, os.path.join(ROOT, clip), "-o", out, "-q", "--no-smoothing", "--pipeline", pipeline, "--threads", "1"]
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    subprocess.run(args + (["--flip-test"] if flip else []), check=True)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)


def load(path):
    with open(path) as f:
        header = json.loads(f.readline())
        joints = [header["keypoints"].index(n) for n in COCO if n in header["keypoints"]]
        frames = [json.loads(line) for line in f]
    return header, joints, frames


def jitter(path, clear=0.5):
    _, joints, frames = load(path)
    tracks = {}
    for f in frames:
        for p in f["persons"]:
            tracks.setdefault(p["id"], {})[f["frame"]] = p
    values = []
    for seen in tracks.values():
        for t, p in seen.items():
            if t - 1 not in seen or t + 1 not in seen:
                continue
            a, c = seen[t - 1], seen[t + 1]
            size = max(p["box"][2], p["box"][3], 1)
            for j in joints:
                k0, k1, k2 = a["keypoints"][j], p["keypoints"][j], c["keypoints"][j]
                if min(k0[2], k1[2], k2[2]) < clear:
                    continue
                dx, dy = k2[0] - 2 * k1[0] + k0[0], k2[1] - 2 * k1[1] + k0[1]
                values.append((dx * dx + dy * dy) ** 0.5 / size)
    return 1e3 * statistics.fmean(values) if values else float("nan"), len(values)


def distance(a_path, b_path):
    """Median distance between the two runs' keypoints of the same person, over their box size."""
    _, joints, a = load(a_path)
    _, _, b = load(b_path)
    values = []
    for fa, fb in zip(a, b):
        for p in fa["persons"]:
            q = next((q for q in fb["persons"] if q["id"] == p["id"]), None)
            if q is None:
                continue
            size = max(p["box"][2], p["box"][3], 1)
            values += [((p["keypoints"][j][0] - q["keypoints"][j][0]) ** 2 + (p["keypoints"][j][1] - q["keypoints"][j][1]) ** 2) ** 0.5 / size
                       for j in joints]
    return statistics.median(values) if values else float("nan")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--pipeline", default="blazepose")
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"| clip | CPU s plain / flip (median of {args.runs}) | jitter plain / flip | keypoints plain vs flip, median / box |")
    print("|---|---|---|---|")
    with tempfile.TemporaryDirectory() as tmp:
        for clip in CLIPS:
            plain, flip = os.path.join(tmp, "plain.jsonl"), os.path.join(tmp, "flip.jsonl")
            cpu_plain, cpu_flip = [], []
            for _ in range(args.runs):  # alternating, so a noisy machine weighs on both alike
                cpu_plain.append(run(clip, plain, args.pipeline, False))
                cpu_flip.append(run(clip, flip, args.pipeline, True))
            jp, jf = jitter(plain), jitter(flip)
            print(f"| {os.path.basename(clip)} | {statistics.median(cpu_plain):.1f} / {statistics.median(cpu_flip):.1f} "
                  f"| {jp[0]:.1f} / {jf[0]:.1f} ({jp[1]} / {jf[1]} joint-frames) | {distance(plain, flip):.3f} |")


if __name__ == "__main__":
    main()
