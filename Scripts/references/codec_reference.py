#!/usr/bin/env python3
"""HAND-WRITTEN reference decodes, kept only where no installable original exists; writes
Fixtures/codecs/{hrnet,newell}.json. Every MMPose decode is written by MMPose itself (mmpose_references.py).

  HRNet's own repository (leoxiaobin/deep-high-resolution-net.pytorch) is not a package: its
  lib/core/inference.py get_final_preds is re-written here from reading it.
  Stacked Hourglass (princeton-vl/pose-hg-train) is Lua/Torch7: src/util/eval.lua getPreds and
  src/util/pose.lua postprocess / src/util/img.lua getTransform are re-written here from reading them.
  (MediaPipe's RefineLandmarksFromHeatmapCalculator is the third such decoder; its reference lives with the
  BlazePose footage tests.)

Reads the heatmaps MMPose's fixture writer made (Fixtures/codecs/heatmaps.json), so both files decode the
same maps. Run by Scripts/references/real-references.sh after mmpose_references.py; needs numpy only.
Deterministic; the arithmetic keeps the sources' dtypes (float32) so the fixtures carry their rounding.
"""

import base64
import json
import math
import os
import sys

import numpy as np

f32 = np.float32
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Fixtures", "codecs")


# HRNet: lib/core/inference.py get_max_preds + the POST_PROCESS block of get_final_preds. transform_preds
# (lib/utils/transforms.py) and the input crop share one affine map up to the factor input/heatmap size,
# so input coordinates are the heatmap coordinates times that factor.
def hrnet_decode(hm, input_size):
    K, H, W = hm.shape
    flat = hm.reshape(K, -1)
    idx = np.argmax(flat, 1)
    vals = np.amax(flat, 1)
    coords = np.tile(idx.reshape(K, 1), (1, 2)).astype(f32)
    coords[:, 0] = coords[:, 0] % W
    coords[:, 1] = np.floor(coords[:, 1] / W)
    coords *= np.tile(np.greater(vals, 0.0).reshape(K, 1), (1, 2)).astype(f32)
    for k in range(K):
        m = hm[k]
        px = int(math.floor(coords[k][0] + 0.5))
        py = int(math.floor(coords[k][1] + 0.5))
        if 1 < px < W - 1 and 1 < py < H - 1:
            coords[k] += np.sign(np.array([m[py][px + 1] - m[py][px - 1], m[py + 1][px] - m[py - 1][px]])) * 0.25
    return coords, coords * (np.array(input_size, dtype=np.float64) / (W, H)), vals


# Stacked Hourglass: pose-hg-train src/util/eval.lua getPreds (1-based argmax; max <= 0 -> (1, 1)) and
# src/util/pose.lua postprocess (score read at the prediction, +-0.25 when 1 < p < outputRes, then +0.5).
# Square maps only: getPreds divides the flat index by size(3) (the height) and postprocess tests both axes
# against one outputRes, which is right only when H == W, as in the release (64x64).
def newell_decode(hm, input_res):
    K, H, W = hm.shape
    assert H == W
    res = H
    flat = hm.reshape(K, -1)
    idx1 = np.argmax(flat, 1) + 1  # torch.max index, 1-based
    mx = np.amax(flat, 1)
    preds = np.zeros((K, 2), dtype=f32)
    preds[:, 0] = (idx1 - 1) % W + 1
    preds[:, 1] = np.floor((idx1 - 1) / H) + 1
    mask = (mx > 0).astype(f32)
    preds = (preds - 1) * mask[:, None] + 1
    scores = np.zeros(K, dtype=f32)
    for k in range(K):
        m = hm[k]
        pX, pY = int(preds[k, 0]), int(preds[k, 1])
        scores[k] = m[pY - 1][pX - 1]
        if pX > 1 and pX < res and pY > 1 and pY < res:
            diff = np.array([m[pY - 1][pX] - m[pY - 1][pX - 2], m[pY][pX - 1] - m[pY - 2][pX - 1]])
            preds[k] += np.sign(diff) * 0.25
    preds += 0.5
    return preds, newell_to_input(preds, res, input_res), scores


def newell_transform(center, scale, res):
    """src/util/img.lua getTransform (rotation 0): image -> a res x res crop of side 200 * scale."""
    h = 200 * scale
    return np.array([[res / h, 0, res * (-center[0] / h + 0.5)],
                     [0, res / h, res * (-center[1] / h + 0.5)],
                     [0, 0, 1]], dtype=np.float64)


def newell_to_input(preds, output_res, input_res):
    """transformPreds takes a prediction p to the image as inverse(getTransform(res=outputRes)) * (p - 1) (then
    truncates and adds 1); crop() samples the input through getTransform(res=inputRes). Composing the two, with
    any centre and scale, gives the input pixel coordinate of p (truncation left out: it is the image step)."""
    center, scale = (123.0, 77.0), 1.7
    to_image = np.linalg.inv(newell_transform(center, scale, output_res))
    to_input = newell_transform(center, scale, input_res)
    out = []
    for p in preds.astype(np.float64):
        q = to_input @ to_image @ np.array([p[0] - 1, p[1] - 1, 1.0])
        out.append(q[:2])
    return np.array(out)


def num(v):
    v = float(v)
    return v if math.isfinite(v) else str(v)


def rows(cells, coords, scores):
    """Per keypoint [cell x, cell y, input x, input y, score]."""
    return [[num(c[0]), num(c[1]), num(p[0]), num(p[1]), num(s)] for c, p, s in zip(cells, coords, scores)]


def load_heatmaps():
    """id -> (K, H, W) float32, from heatmaps.json (channels-last entries transposed back)."""
    with open(os.path.join(OUT, "heatmaps.json")) as f:
        entries = json.load(f)["heatmaps"]
    maps = {}
    for e in entries:
        data = np.frombuffer(base64.b64decode(e["float32le_base64"]), dtype="<f4")
        K, H, W = e["channels"], e["height"], e["width"]
        maps[e["id"]] = data.reshape(K, H, W) if e["layout"] == "NCHW" else data.reshape(H, W, K).transpose(2, 0, 1)
    return maps


def main():
    maps = load_heatmaps()

    def input_size(hm):
        """4x the heatmap, except one case with a ratio that is not a power of two (as mmpose_references.py)."""
        K, H, W = hm.shape
        return (50, 70) if (H, W) == (16, 12) and K == 5 else (4 * W, 4 * H)

    def cases(decode, names):
        out = []
        for n in names:
            hm = maps[n].astype(f32)
            size = input_size(hm)
            cells, coords, scores = decode(hm.copy(), size)
            out.append({"heatmap": n, "params": {}, "input_width": size[0], "input_height": size[1],
                        "keypoints": rows(cells, coords, scores)})
        return out

    names = list(maps)
    square = [n for n in names if maps[n].shape[1] == maps[n].shape[2]]
    for name, payload in (
            ("hrnet.json", {"source": "HAND-WRITTEN from deep-high-resolution-net.pytorch lib/core/inference.py "
                                      "get_final_preds (POST_PROCESS on)", "cases": cases(hrnet_decode, names)}),
            ("newell.json", {"source": "HAND-WRITTEN from pose-hg-train src/util/eval.lua getPreds + src/util/pose.lua "
                                       "postprocess", "cases": cases(lambda hm, size: newell_decode(hm, size[0]), square)})):
        with open(os.path.join(OUT, name), "w") as f:
            json.dump(payload, f, separators=(",", ":"))
            f.write("\n")
    print(f"wrote hrnet.json and newell.json to {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
