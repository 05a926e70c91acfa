#!/usr/bin/env python3
"""Writes Fixtures/rtmlib/expected.json from rtmlib 0.0.16 itself (run by rtmlib-references.sh in .venv-rtmlib):

  simcc      rtmlib.tools.pose_estimation.post_processings.get_simcc_maximum on seeded vectors (ties, negatives)
  crops      RTMPose.preprocess (bbox_xyxy2cs + top_down_affine + mean/std on BGR) on frames of
             Fixtures/mmpose/person.mkv: centre, scale, the warp matrix and a sample of the normalised tensor
  detectors  YOLOX / RTMDet (__call__: letterbox, inference, postprocess) on the synthetic exports
  runs       rtmlib's detector + RTMPose pair (and RTMPose alone on the whole frame, and RTMO) per frame:
             the keypoints and scores rtmlib gives

Frames come from the lossless RGB clip through the ffmpeg command-line tool, turned to BGR as cv2 would
read them, so posepipe's decoder sees the same pixels. Deterministic.
"""
import hashlib
import json
import os
import sys

import cv2
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "lib"))
import video_frames  # noqa: E402
import rtmlib
from rtmlib import RTMO, RTMDet, RTMPose, YOLOX
from rtmlib.tools.pose_estimation.post_processings import get_simcc_maximum
from rtmlib.tools.pose_estimation.pre_processings import get_warp_matrix

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
MODELS = os.path.join(ROOT, "Fixtures", "models")
VIDEO = os.path.join(ROOT, "Fixtures", "mmpose", "person.mkv")
FRAMES = [0, 1, 2, 3]


def frames_bgr(video):
    return video_frames.frames(video, "bgr24")


def model(name):
    return os.path.join(MODELS, name)


def sha(path):
    return hashlib.sha256(open(path, "rb").read()).hexdigest()


def f(values):
    return np.asarray(values, dtype=np.float64).tolist()


def simcc_cases():
    rng = np.random.default_rng(7)
    cases = []
    for n, k, wx, wy in ((1, 5, 24, 32), (1, 3, 12, 12)):
        x = rng.uniform(-0.5, 1.0, (n, k, wx)).astype(np.float32)
        y = rng.uniform(-0.5, 1.0, (n, k, wy)).astype(np.float32)
        x[0, 0, 3] = x[0, 0, 9] = 2.0  # two equal maxima: the first wins
        x[0, 1] = -1.0  # all negative
        x[0, 1, 5] = -0.25
        y[0, 2] = np.round(y[0, 2] * 4) / 4  # ties everywhere
        locs, vals = get_simcc_maximum(x.copy(), y.copy())
        cases.append({"keypoints": k, "x_bins": wx, "y_bins": wy, "x": f(x.ravel()), "y": f(y.ravel()),
                      "locations": f(locs[0]), "scores": f(vals[0])})
    return cases


def crops(frames, pose):
    out = []
    h, w = frames[0].shape[:2]
    boxes = [[0, 0, w, h], [40.5, 30.25, 200.75, 380.5], [150, 10, 330, 200], [-20, 50, 120, 300]]
    rng = np.random.default_rng(11)
    sample = rng.integers(0, [256, 192, 3], size=(400, 3))
    for i, box in enumerate(boxes):
        frame = frames[FRAMES[i % len(FRAMES)]]
        tensor, center, scale = pose.preprocess(frame, box)
        warp = get_warp_matrix(center, scale, 0, output_size=pose.model_input_size)
        out.append({"frame": FRAMES[i % len(FRAMES)], "box": f(box), "center": f(center), "scale": f(scale), "warp": f(warp),
                    "sample": [[int(y), int(x), int(c), float(tensor[y, x, c])] for y, x, c in sample]})
    return out


def run_pair(frames, det, pose, name):
    out = []
    for i in FRAMES:
        boxes = det(frames[i]) if det is not None else []
        keypoints, scores = pose(frames[i], bboxes=boxes)
        out.append({"frame": i, "boxes": f(np.asarray(boxes).reshape(-1, 4)), "keypoints": f(keypoints), "scores": f(scores)})
    return {"name": name, "frames": out}


def main():
    frames = frames_bgr(VIDEO)
    ort_args = dict(backend="onnxruntime", device="cpu")
    pose = RTMPose(model("rtmpose-synthetic.onnx"), model_input_size=(192, 256), **ort_args)
    halpe = RTMPose(model("rtmpose-halpe26-synthetic.onnx"), model_input_size=(192, 256), **ort_args)
    yolox_e2e = YOLOX(model("yolox-e2e-synthetic.onnx"), model_input_size=(640, 640), **ort_args)
    yolox_grid = YOLOX(model("yolox-grid-synthetic.onnx"), model_input_size=(416, 416), **ort_args)
    rtmdet = RTMDet(model("rtmdet-e2e-synthetic.onnx"), model_input_size=(640, 640), **ort_args)
    rtmo = RTMO(model("rtmo-synthetic.onnx"), model_input_size=(640, 640), **ort_args)
    detectors = []
    for name, det in (("yolox-e2e", yolox_e2e), ("yolox-grid", yolox_grid), ("rtmdet-e2e", rtmdet)):
        for i in FRAMES:
            detectors.append({"model": name, "frame": i, "boxes": f(np.asarray(det(frames[i])).reshape(-1, 4))})
    runs = [run_pair(frames, None, pose, "rtmpose-whole-frame"), run_pair(frames, yolox_e2e, pose, "yolox-e2e+rtmpose"),
            run_pair(frames, yolox_grid, pose, "yolox-grid+rtmpose"), run_pair(frames, rtmdet, pose, "rtmdet-e2e+rtmpose"),
            run_pair(frames, yolox_e2e, halpe, "yolox-e2e+rtmpose-halpe26")]
    rtmo_runs = []
    for i in FRAMES:
        keypoints, scores = rtmo(frames[i])
        rtmo_runs.append({"frame": i, "keypoints": f(keypoints), "scores": f(scores)})
    payload = {
        "source": f"rtmlib {rtmlib.__version__ if hasattr(rtmlib, '__version__') else '0.0.16'}, onnxruntime, opencv {cv2.__version__}",
        "video": "mmpose/person.mkv",
        "models": {n: sha(model(n)) for n in sorted(os.listdir(MODELS)) if n.endswith(".onnx")},
        "simcc": simcc_cases(), "crops": crops(frames, pose), "detectors": detectors, "runs": runs, "rtmo": rtmo_runs,
    }
    os.makedirs(os.path.join(ROOT, "Fixtures", "rtmlib"), exist_ok=True)
    path = os.path.join(ROOT, "Fixtures", "rtmlib", "expected.json")
    with open(path, "w") as fh:
        json.dump(payload, fh, separators=(",", ":"))
        fh.write("\n")
    print(f"wrote {path} ({os.path.getsize(path)} bytes)", file=sys.stderr)


if __name__ == "__main__":
    main()
