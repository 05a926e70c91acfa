#!/usr/bin/env python3
"""MediaPipe side of Scripts/benchmark.sh: BlazePose (full) on every frame of a video.

Decodes with OpenCV (cv2.VideoCapture), runs mp.solutions.pose.Pose(model_complexity=1,
static_image_mode=False, smooth_landmarks=True, or False with --no-smoothing: MediaPipe's own One Euro
landmark filter on or off) on each frame (RGB), and writes JSON Lines: a header line, then one line
per frame, {"frame": i, "keypoints": [[x, y, visibility] x 33]} in pixels of the decoded frame
(normalized x * width, y * height), or "keypoints": null when MediaPipe found no pose.

Run as its own process so the caller can time it and read its peak RSS the same way as posepipe's.
Prints a one-line JSON summary (frames, poses, seconds after imports) on stderr at the end.
"""
import argparse
import json
import sys
import time
import warnings

T_START = time.perf_counter()
warnings.filterwarnings("ignore")  # protobuf deprecation noise from mediapipe 0.10.x

import cv2  # noqa: E402
import mediapipe as mp  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("video")
    ap.add_argument("-o", "--output", required=True)
    ap.add_argument("--no-smoothing", action="store_true", help="smooth_landmarks=False: the raw landmarks")
    args = ap.parse_args()

    t_imported = time.perf_counter()
    cap = cv2.VideoCapture(args.video)
    if not cap.isOpened():
        print(f"benchmark_mediapipe: cannot open {args.video}", file=sys.stderr)
        return 66
    names = [lm.name.lower() for lm in mp.solutions.pose.PoseLandmark]
    frames = poses = 0
    width = height = None
    with open(args.output, "w") as out, mp.solutions.pose.Pose(
        model_complexity=1, static_image_mode=False, smooth_landmarks=not args.no_smoothing
    ) as pose:
        while True:
            ok, bgr = cap.read()
            if not ok:
                break
            h, w = bgr.shape[:2]
            if width is None:
                width, height = w, h
                out.write(json.dumps({"schema": "benchmark.mediapipe", "mediapipe": mp.__version__,
                                      "opencv": cv2.__version__, "source": args.video,
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
    t_end = time.perf_counter()
    print(json.dumps({"frames": frames, "poses": poses, "width": width, "height": height,
                      "import_s": round(t_imported - T_START, 3),
                      "loop_s": round(t_end - t_imported, 3)}), file=sys.stderr)
    if frames == 0:
        print(f"benchmark_mediapipe: decoded no frame from {args.video}", file=sys.stderr)
        return 65
    return 0


if __name__ == "__main__":
    sys.exit(main())
