#!/usr/bin/env python3
"""MediaPipe side of Scripts/bench/benchmark.sh: BlazePose (full) on every frame of a video, or of several.

Decodes with OpenCV (cv2.VideoCapture), runs mp.solutions.pose.Pose(model_complexity=1,
static_image_mode=False, smooth_landmarks=True, or False with --no-smoothing: MediaPipe's own One Euro
landmark filter on or off) on each frame (RGB), and writes JSON Lines: a header line, then one line
per frame, {"frame": i, "keypoints": [[x, y, visibility] x 33]} in pixels of the decoded frame
(normalized x * width, y * height), or "keypoints": null when MediaPipe found no pose.

Several videos run one after the other in the same process (a fresh Pose() each, as for a new clip),
each written to OUTPUT/<video's file name>.jsonl: one worker of a folder run.

Run as its own process so the caller can time it and read its peak RSS the same way as posepipe's.
Prints a one-line JSON summary (frames, poses, seconds after imports; summed over the videos) on stderr
at the end.
"""
import argparse
import json
import os
import sys
import time
import warnings

T_START = time.perf_counter()
warnings.filterwarnings("ignore")  # protobuf deprecation noise from mediapipe 0.10.x

import cv2  # noqa: E402
import mediapipe as mp  # noqa: E402


def run(video, output, smooth):
    """Writes one video's landmarks to output; returns (frames, poses, width, height), or None when the
    video does not open."""
    cap = cv2.VideoCapture(video)
    if not cap.isOpened():
        return None
    names = [lm.name.lower() for lm in mp.solutions.pose.PoseLandmark]
    frames = poses = 0
    width = height = None
    with open(output, "w") as out, mp.solutions.pose.Pose(
        model_complexity=1, static_image_mode=False, smooth_landmarks=smooth
    ) as pose:
        while True:
            ok, bgr = cap.read()
            if not ok:
                break
            h, w = bgr.shape[:2]
            if width is None:
                width, height = w, h
                out.write(json.dumps({"schema": "benchmark.mediapipe", "mediapipe": mp.__version__,
                                      "opencv": cv2.__version__, "source": video,
                                      "width": w, "height": h, "keypoints": names}) + "\n")
            result = pose.process(cv2.cvtColor(bgr, cv2.COLOR_BGR2RGB))
            kps = None
            if result.pose_landmarks is not None:
                poses += 1
                kps = [[round(lm.x * w, 2), round(lm.y * h, 2), round(lm.visibility, 3)]
                       for lm in result.pose_landmarks.landmark]
            out.write(json.dumps({"frame": frames, "keypoints": kps}, separators=(",", ":")) + "\n")
            frames += 1
    cap.release()
    return frames, poses, width, height


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("video", nargs="+")
    ap.add_argument("-o", "--output", required=True, help="a JSON Lines file; with several videos, a folder")
    ap.add_argument("--no-smoothing", action="store_true", help="smooth_landmarks=False: the raw landmarks")
    args = ap.parse_args()

    t_imported = time.perf_counter()
    frames = poses = 0
    width = height = None
    for video in args.video:
        output = args.output if len(args.video) == 1 else os.path.join(args.output, os.path.basename(video) + ".jsonl")
        counts = run(video, output, smooth=not args.no_smoothing)
        if counts is None:
            print(f"benchmark_mediapipe: cannot open {video}", file=sys.stderr)
            return 66
        if counts[0] == 0:
            print(f"benchmark_mediapipe: decoded no frame from {video}", file=sys.stderr)
            return 65
        frames, poses = frames + counts[0], poses + counts[1]
        width, height = width or counts[2], height or counts[3]
    t_end = time.perf_counter()
    print(json.dumps({"frames": frames, "poses": poses, "width": width, "height": height,
                      "videos": len(args.video), "import_s": round(t_imported - T_START, 3),
                      "loop_s": round(t_end - t_imported, 3)}), file=sys.stderr)
    return 0


if __name__ == "__main__":
    sys.exit(main())
