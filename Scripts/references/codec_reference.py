#!/usr/bin/env python3
"""HAND-WRITTEN reference decodes, kept only where no installable original exists; writes
Fixtures/codecs/{hrnet,newell}.json. Every MMPose decode is written by MMPose itself (mmpose_references.py).

  HRNet's own repository (leoxiaobin/deep-high-resolution-net.pytorch) is not a package: its
  lib/core/inference.py get_final_preds is re-written from reading it.
  Stacked Hourglass (princeton-vl/pose-hg-train) is Lua/Torch7: src/util/eval.lua getPreds and
  src/util/pose.lua postprocess / src/util/img.lua getTransform are re-written from reading them.
  Both live in Scripts/lib/keypoint_codecs.py (MSRA.decode_cells, Newell.decode_cells), the Python side's one
  copy of each codec, which training decodes with too; this file writes their fixtures.
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
sys.path.insert(0, os.path.join(ROOT, "Scripts", "lib"))
import keypoint_codecs as codecs  # noqa: E402  (the Python side's one copy of each codec)


def hrnet_decode(hm, input_size):
    codec = codecs.MSRA(input_size, (hm.shape[2], hm.shape[1]))
    cells, maxima = codec.decode_cells(hm)
    return cells, cells * codec.scale(), maxima


def newell_decode(hm, input_res):
    codec = codecs.Newell((input_res, input_res), (hm.shape[2], hm.shape[1]))
    cells, scores = codec.decode_cells(hm)
    return cells + 1, codec.decode(hm)[0], scores



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
