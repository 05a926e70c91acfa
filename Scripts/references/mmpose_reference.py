#!/usr/bin/env python3
"""MMPose's top-down inference, written from its published formulas, for checking posepipe.

Reproduces what `mmpose.apis.inference_topdown` computes for an MMPose 1.x heatmap export run
by ONNX Runtime, with no MMPose install (it needs a CUDA-era mmcv): the facts are from
mmpose/structures/bbox/transforms.py (bbox_xyxy2cs, get_warp_matrix), mmpose/datasets/
transforms/topdown_transforms.py (TopdownAffine._fix_aspect_ratio), mmpose/codecs/
msra_heatmap.py with codecs/utils/post_processing.py + refinement.py (get_heatmap_maximum,
refine_keypoints) and mmpose/models/pose_estimators/topdown.py (the back-transform).

Usage: mmpose_reference.py VIDEO MODEL.onnx OUT.json [--frames 0,5,9]
       (numpy, opencv-python-headless and onnxruntime in any venv; the test fixture is made by
       `Scripts/references/mmpose-reference.sh`)
With no boxes given, each frame's box is the whole frame, [0, 0, w, h], as inference_topdown
does. Frames are decoded to RGB by the ffmpeg command-line tool; use a lossless RGB clip so
posepipe's decoder sees the same pixels.
"""
import argparse
import hashlib
import json
import os
import subprocess

import cv2
import numpy as np
import onnxruntime as ort

MEAN = np.array([123.675, 116.28, 103.53], np.float32)
STD = np.array([58.395, 57.12, 57.375], np.float32)


def frames_rgb(video):
    probe = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                            "stream=width,height", "-of", "csv=p=0", video], capture_output=True, text=True, check=True)
    w, h = map(int, probe.stdout.strip().split(","))
    raw = subprocess.run(["ffmpeg", "-v", "error", "-i", video, "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                         capture_output=True, check=True).stdout
    return np.frombuffer(raw, np.uint8).reshape(-1, h, w, 3)


def bbox_xyxy2cs(bbox, padding=1.25):
    x1, y1, x2, y2 = bbox
    return np.array([(x1 + x2) * 0.5, (y1 + y2) * 0.5]), np.array([x2 - x1, y2 - y1]) * padding


def fix_aspect_ratio(scale, aspect):
    w, h = scale
    return np.array([w, w / aspect]) if w > h * aspect else np.array([h * aspect, h])


def warp_matrix(center, scale, size):
    """get_warp_matrix with rot 0 and shift 0: three point pairs, float32 as MMPose builds them."""
    dst_w, dst_h = size
    src = np.zeros((3, 2), np.float32)
    dst = np.zeros((3, 2), np.float32)
    src[0] = center
    src[1] = center + np.array([0.0, scale[0] * -0.5])
    dst[0] = [dst_w * 0.5, dst_h * 0.5]
    dst[1] = dst[0] + np.array([0.0, dst_w * -0.5])
    # The third point: the second turned 90° about the first.
    src[2] = src[1] + np.array([-(src[0] - src[1])[1], (src[0] - src[1])[0]])
    dst[2] = dst[1] + np.array([-(dst[0] - dst[1])[1], (dst[0] - dst[1])[0]])
    return cv2.getAffineTransform(src, dst)


def msra_decode(heatmaps, input_size):
    """get_heatmap_maximum + refine_keypoints (each axis guarded on its own), × input/heatmap."""
    k, h, w = heatmaps.shape
    flat = heatmaps.reshape(k, -1)
    idx = np.argmax(flat, axis=1)
    vals = np.amax(flat, axis=1)
    locs = np.stack((idx % w, idx // w), axis=-1).astype(np.float32)
    locs[vals <= 0.0] = -1
    for n in range(k):
        x, y = int(locs[n, 0]), int(locs[n, 1])
        hm = heatmaps[n]
        if 1 < x < w - 1 and 0 < y < h:
            locs[n, 0] += np.sign(hm[y, x + 1] - hm[y, x - 1]) * 0.25
        if 1 < y < h - 1 and 0 < x < w:
            locs[n, 1] += np.sign(hm[y + 1, x] - hm[y - 1, x]) * 0.25
    return locs * (np.array(input_size) / np.array([w, h])), vals


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("video")
    parser.add_argument("model")
    parser.add_argument("out")
    parser.add_argument("--frames", default="")
    args = parser.parse_args()
    session = ort.InferenceSession(args.model, providers=["CPUExecutionProvider"])
    _, _, in_h, in_w = session.get_inputs()[0].shape
    frames = frames_rgb(args.video)
    wanted = [int(f) for f in args.frames.split(",")] if args.frames else range(len(frames))
    result = []
    for f in wanted:
        img = frames[f]
        h, w = img.shape[:2]
        center, scale = bbox_xyxy2cs(np.array([0, 0, w, h], np.float32))
        scale = fix_aspect_ratio(scale, in_w / in_h)
        crop = cv2.warpAffine(img, warp_matrix(center, scale, (in_w, in_h)), (in_w, in_h), flags=cv2.INTER_LINEAR)
        tensor = ((crop.astype(np.float32) - MEAN) / STD).transpose(2, 0, 1)[None]
        heatmaps = session.run(["output"], {"input": tensor})[0][0]
        kp, scores = msra_decode(heatmaps, (in_w, in_h))
        kp = kp / np.array([in_w, in_h]) * scale + center - 0.5 * scale
        result.append({"frame": f, "keypoints": [[float(x), float(y), float(s)] for (x, y), s in zip(kp, scores)]})
    with open(args.model, "rb") as f:
        model_sha256 = hashlib.sha256(f.read()).hexdigest()
    with open(args.out, "w") as out:
        json.dump({"video": os.path.basename(args.video), "model": os.path.basename(args.model),
                   "model_sha256": model_sha256, "frames": result}, out, indent=1)
        out.write("\n")


if __name__ == "__main__":
    main()
