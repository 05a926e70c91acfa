#!/usr/bin/env python3
"""Reference decodes for posepipe's heatmap and regression codecs; writes Fixtures/codecs/*.json.

Each decode below is re-written from the published source named in its comment (read, not copied):
  MMPose 1.3.2 (open-mmlab/mmpose):        mmpose/codecs/{msra_heatmap,megvii_heatmap,udp_heatmap,regression_label}.py,
                                            mmpose/codecs/utils/{post_processing,refinement}.py,
                                            mmpose/models/utils/tta.py, mmpose/models/heads/regression_heads/rle_head.py
  HRNet (leoxiaobin/deep-high-resolution-net.pytorch): lib/core/inference.py, lib/utils/transforms.py
  Stacked Hourglass (princeton-vl/pose-hg-train):      src/util/eval.lua getPreds, src/util/pose.lua postprocess,
                                                        src/util/img.lua getTransform/transform
The arithmetic keeps the sources' dtypes (float32 heatmaps and keypoints) so the fixtures carry their rounding.

Pinned (a git-ignored venv, e.g. .venv-codecs/):
  python3 -m venv .venv-codecs
  .venv-codecs/bin/pip install numpy==2.4.6 opencv-python-headless==4.10.0.84
  .venv-codecs/bin/python Scripts/references/codec_reference.py
Output is deterministic (fixed seeds); rerunning rewrites the same files.
"""

import base64
import json
import math
import os
import sys

import cv2
import numpy as np

f32 = np.float32
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Fixtures", "codecs")


# ---------------------------------------------------------------------------------------------
# MMPose: mmpose/codecs/utils/post_processing.py get_heatmap_maximum
def mmpose_heatmap_maximum(hm):
    """(K, H, W) float32 -> locations (K, 2) float32 (x, y), values (K,); max <= 0 -> location -1."""
    K, H, W = hm.shape
    flat = hm.reshape(K, -1)
    rows, cols = np.unravel_index(np.argmax(flat, axis=1), (H, W))
    locs = np.stack((cols, rows), axis=-1).astype(f32)
    vals = np.amax(flat, axis=1)
    locs[vals <= 0.0] = -1
    return locs, vals


# MMPose: mmpose/codecs/utils/post_processing.py gaussian_blur (max-preserving, zero padded by (k-1)/2)
def mmpose_gaussian_blur(hm, kernel):
    assert kernel % 2 == 1
    b = (kernel - 1) // 2
    K, H, W = hm.shape
    out = hm.copy()
    for k in range(K):
        top = np.max(out[k])
        padded = np.zeros((H + 2 * b, W + 2 * b), dtype=f32)
        padded[b:-b, b:-b] = out[k]
        padded = cv2.GaussianBlur(padded, (kernel, kernel), 0)
        out[k] = padded[b:-b, b:-b]
        out[k] *= top / np.max(out[k])
    return out


def log32(a):
    """The float32 log, correctly rounded. MMPose calls np.log on float32 maps, whose result depends on the
    machine: numpy dispatches to SIMD code that is up to an ulp off (on AVX-512, 7 % of values differ from the
    correctly rounded log), and the Newton steps below amplify an ulp at ill-conditioned border peaks to
    ~1e-4 cell. Rounding the double log keeps these fixtures independent of the machine that wrote them."""
    return np.log(a.astype(np.float64)).astype(f32)


# MMPose: mmpose/codecs/utils/refinement.py refine_keypoints (per-axis guards, quarter step)
def mmpose_refine_quarter(locs, hm):
    K, H, W = hm.shape
    locs = locs.copy()
    for k in range(K):
        x, y = locs[k].astype(int)
        dx = hm[k, y, x + 1] - hm[k, y, x - 1] if (1 < x < W - 1 and 0 < y < H) else 0.0
        dy = hm[k, y + 1, x] - hm[k, y - 1, x] if (1 < y < H - 1 and 0 < x < W) else 0.0
        locs[k] += np.sign([dx, dy], dtype=f32) * 0.25
    return locs


# MMPose: mmpose/codecs/utils/refinement.py refine_keypoints_dark
def mmpose_refine_dark(locs, hm, kernel):
    K, H, W = hm.shape
    locs = locs.copy()
    hm = mmpose_gaussian_blur(hm, kernel)
    np.maximum(hm, 1e-10, out=hm)
    hm = log32(hm)
    for k in range(K):
        x, y = locs[k].astype(int)
        if 1 < x < W - 2 and 1 < y < H - 2:
            m = hm[k]
            dx = 0.5 * (m[y, x + 1] - m[y, x - 1])
            dy = 0.5 * (m[y + 1, x] - m[y - 1, x])
            dxx = 0.25 * (m[y, x + 2] - 2 * m[y, x] + m[y, x - 2])
            dxy = 0.25 * (m[y + 1, x + 1] - m[y - 1, x + 1] - m[y + 1, x - 1] + m[y - 1, x - 1])
            dyy = 0.25 * (m[y + 2, x] - 2 * m[y, x] + m[y - 2, x])
            if dxx * dyy - dxy ** 2 != 0:
                step = -np.linalg.inv(np.array([[dxx, dxy], [dxy, dyy]])) @ np.array([[dx], [dy]])
                locs[k] += step[:, 0]
    return locs


# MMPose: mmpose/codecs/utils/refinement.py refine_keypoints_dark_udp (edge-padded flat indexing, as written:
# a location of -1 reads whatever its flat index points at, wrapping like Python indexing)
def mmpose_refine_dark_udp(locs, hm, kernel):
    K, H, W = hm.shape
    locs = locs.copy()
    hm = mmpose_gaussian_blur(hm, kernel)
    np.clip(hm, 1e-3, 50.0, out=hm)
    hm = log32(hm)
    flat = np.pad(hm, ((0, 0), (1, 1), (1, 1)), mode="edge").flatten()
    idx = locs[:, 0] + 1 + (locs[:, 1] + 1) * (W + 2)
    idx += (W + 2) * (H + 2) * np.arange(0, K)
    idx = idx.astype(int).reshape(-1, 1)
    i0 = flat[idx]
    xp, xm = flat[idx + 1], flat[idx - 1]
    yp, ym = flat[idx + W + 2], flat[idx - 2 - W]
    xpyp, xmym = flat[idx + W + 3], flat[idx - W - 3]
    dx = 0.5 * (xp - xm)
    dy = 0.5 * (yp - ym)
    grad = np.concatenate([dx, dy], axis=1).reshape(K, 2, 1)
    dxx = xp - 2 * i0 + xm
    dyy = yp - 2 * i0 + ym
    dxy = 0.5 * (xpyp - xp - yp + i0 + i0 - xm - ym + xmym)
    hess = np.concatenate([dxx, dxy, dxy, dyy], axis=1).reshape(K, 2, 2)
    hess = np.linalg.inv(hess + np.finfo(np.float32).eps * np.eye(2))
    locs -= np.einsum("imn,ink->imk", hess, grad).squeeze(-1)
    return locs


# MMPose: mmpose/codecs/msra_heatmap.py MSRAHeatmap.decode (unbiased=False: refine_keypoints; True: DARK)
def mmpose_msra_decode(hm, input_size, unbiased=False, blur_kernel=11):
    K, H, W = hm.shape
    scale = (np.array(input_size) / (W, H)).astype(f32)
    locs, vals = mmpose_heatmap_maximum(hm)
    cells = mmpose_refine_dark(locs, hm.copy(), blur_kernel) if unbiased else mmpose_refine_quarter(locs, hm)
    return cells, cells * scale, vals


# MMPose: mmpose/codecs/megvii_heatmap.py MegviiHeatmap.decode
def mmpose_megvii_decode(hm, input_size, kernel):
    K, H, W = hm.shape
    scale = (np.array(input_size) / (W, H)).astype(f32)
    blurred = mmpose_gaussian_blur(hm.copy(), kernel)
    locs, vals = mmpose_heatmap_maximum(blurred)
    for k in range(K):
        m = blurred[k]
        px, py = int(locs[k, 0]), int(locs[k, 1])
        if 1 < px < W - 1 and 1 < py < H - 1:
            diff = np.array([m[py][px + 1] - m[py][px - 1], m[py + 1][px] - m[py - 1][px]])
            locs[k] += np.sign(diff) * 0.25 + 0.5
    vals = vals / 255.0 + 0.5
    return locs, locs * scale, vals


# MMPose: mmpose/codecs/udp_heatmap.py UDPHeatmap.decode, heatmap_type='gaussian'
def mmpose_udp_decode(hm, input_size, blur_kernel=11):
    K, H, W = hm.shape
    locs, vals = mmpose_heatmap_maximum(hm)
    cells = mmpose_refine_dark_udp(locs, hm.copy(), blur_kernel)
    return cells, cells / [W - 1, H - 1] * input_size, vals


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


# MMPose: mmpose/models/utils/tta.py flip_heatmaps (flip_mode='heatmap') and the averaging in
# mmpose/models/heads/heatmap_heads/heatmap_head.py predict: (plain + flipped) * 0.5
def mmpose_flip_heatmaps(hm, flip_indices, shift):
    out = hm[:, :, ::-1][flip_indices].copy()
    if shift:
        out[..., 1:] = out[..., :-1].copy()
    return out


# MMPose: mmpose/models/utils/tta.py flip_coordinates, on normalised [K, D] coordinates
def mmpose_flip_coordinates(coords, flip_indices, shift, input_width):
    c = coords.copy()
    c[:, 0] = f32(1.0) - c[:, 0]
    if shift:
        c[:, 0] -= f32(1.0 / input_width)
    return c[flip_indices]


def sigmoid32(x):
    return (f32(1) / (f32(1) + np.exp(-x.astype(f32)))).astype(f32)


# MMPose: mmpose/codecs/regression_label.py RegressionLabel.decode; for [K, 4] the head (rle_head.py predict)
# has already replaced channels 2-3 by their sigmoid; flip test averages after that sigmoid.
def mmpose_regression_decode(raw, input_size, flipped=None, flip_indices=None, shift=True):
    def activate(c):
        c = c.copy()
        if c.shape[-1] == 4:
            c[:, 2:] = sigmoid32(c[:, 2:])
        return c
    coords = activate(raw)
    if flipped is not None:
        coords = ((coords + activate(mmpose_flip_coordinates(flipped, flip_indices, shift, input_size[0])))
                  * f32(0.5)).astype(f32)
    if coords.shape[-1] == 2:
        scores = np.ones(coords.shape[0], dtype=f32)
    else:
        scores = (1 - coords[:, 2:4]).mean(axis=-1)
    return coords[:, :2] * np.array(input_size), scores


# ---------------------------------------------------------------------------------------------
# Heatmaps: crafted to hit every border rule, random, and realistic.

def crafted_channels(H, W):
    """One channel per rule: peak cells on rows/columns 0, 1, 2, n-3, n-2, n-1 with unequal neighbours, corners,
    equal neighbours, equal maxima, a plateau, negative / zero / tiny maxima."""
    mx, my = W // 2, H // 2
    chans = []

    def peak(x, y, base=0.0, value=1.0):
        m = np.full((H, W), base, dtype=f32)
        m[y, x] = value
        for dxy, v in (((1, 0), 0.6), ((-1, 0), 0.2), ((0, 1), 0.45), ((0, -1), 0.3)):
            xx, yy = x + dxy[0], y + dxy[1]
            if 0 <= xx < W and 0 <= yy < H:
                m[yy, xx] = base + (value - base) * v
        return m

    for x in (0, 1, 2, W - 3, W - 2, W - 1):
        chans.append(peak(x, my))
    for y in (0, 1, 2, H - 3, H - 2, H - 1):
        chans.append(peak(mx, y))
    for x, y in ((0, 0), (W - 1, H - 1), (1, 1), (W - 2, H - 2), (W - 1, 0), (0, H - 1)):
        chans.append(peak(x, y))
    m = peak(mx, my)
    m[my, mx - 1] = m[my, mx + 1] = 0.5  # equal horizontal neighbours: no x move
    chans.append(m)
    m = peak(mx, my)
    m[my, mx + 1] = 1.0  # plateau: the first of two equal cells wins and leans toward the other
    chans.append(m)
    m = np.zeros((H, W), dtype=f32)
    m[1, W - 3] = m[H - 2, 2] = 0.8  # equal maxima apart: the first in row-major order
    m[1, W - 2] = 0.3
    m[H - 2, 3] = 0.7
    chans.append(m)
    chans.append(peak(mx - 1, my + 1, base=-2.0, value=-0.1))  # all negative
    m = peak(mx, my - 1, base=-1.0, value=0.0)  # maximum exactly 0
    chans.append(m)
    chans.append(peak(mx + 1, my, base=-1.0, value=1e-6))  # tiny positive maximum
    return np.stack(chans)


def random_uniform(rng, K, H, W):
    return rng.uniform(-0.2, 1.0, size=(K, H, W)).astype(f32)


def random_quantised(rng, K, H, W):
    """Few distinct values: many ties between neighbours and between maxima."""
    return rng.integers(-1, 4, size=(K, H, W)).astype(f32)


def realistic(rng, K, H, W, amplitude=1.0):
    """MMPose-style Gaussian targets (sigma 2, sub-cell centres) with noise, one centre near each border."""
    centres = [(1.3, H * 0.41), (W * 0.52, H - 1.6), (W * 0.3 + 0.37, H * 0.7 + 0.21), (W - 2.2, 2.4),
               (W * 0.77, H * 0.18)]
    x = np.arange(W, dtype=f32)
    y = np.arange(H, dtype=f32)[:, None]
    maps = []
    for k in range(K):
        cx, cy = centres[k % len(centres)]
        g = np.exp(-((x - f32(cx)) ** 2 + (y - f32(cy)) ** 2) / f32(2 * 2.0 ** 2)).astype(f32)
        maps.append((g * f32(amplitude * (0.9 - 0.1 * k)) + rng.normal(0, 0.01 * amplitude, (H, W))).astype(f32))
    return np.stack(maps)


def b64(a):
    return base64.b64encode(np.ascontiguousarray(a, dtype="<f4").tobytes()).decode("ascii")


def heatmap_entry(name, hm, layout, note):
    K, H, W = hm.shape
    data = hm if layout == "NCHW" else hm.transpose(1, 2, 0)
    return {"id": name, "channels": K, "height": H, "width": W, "layout": layout, "note": note,
            "float32le_base64": b64(data)}


def num(v):
    v = float(v)
    return v if math.isfinite(v) else str(v)


def rows(cells, coords, scores):
    """Per keypoint [cell x, cell y, input x, input y, score]."""
    return [[num(c[0]), num(c[1]), num(p[0]), num(p[1]), num(s)] for c, p, s in zip(cells, coords, scores)]


def main():
    rng = np.random.default_rng(20261129)
    maps = {}  # id -> (array (K,H,W), layout, note)

    def add(name, hm, layout, note):
        maps[name] = (hm.astype(f32), layout, note)

    c1612 = crafted_channels(16, 12)
    add("crafted-16x12-nchw", c1612, "NCHW", "every border rule, H=16 W=12")
    c88 = crafted_channels(8, 8)
    add("crafted-8x8-nchw", c88, "NCHW", "every border rule, 8x8")
    add("crafted-8x8-nhwc", c88, "NHWC", "the same maps channels-last")
    for i in range(2):
        add(f"uniform-16x12-{i}", random_uniform(rng, 5, 16, 12), ("NCHW", "NHWC")[i % 2], "uniform in [-0.2, 1)")
        add(f"quantised-16x12-{i}", random_quantised(rng, 5, 16, 12), ("NHWC", "NCHW")[i % 2],
            "integers -1..3: ties everywhere")
    for i in range(2):
        add(f"uniform-8x8-{i}", random_uniform(rng, 5, 8, 8), ("NCHW", "NHWC")[i], "uniform in [-0.2, 1)")
        add(f"quantised-8x8-{i}", random_quantised(rng, 5, 8, 8), ("NHWC", "NCHW")[i],
            "integers -1..3: ties everywhere")
    first = np.zeros((3, 8, 8), dtype=f32)
    first[0] = -0.5
    first[1, 3, 4] = 0.7
    first[2] = rng.uniform(0.0, 1.0, (8, 8)).astype(f32)
    add("masked-first-8x8", first, "NHWC", "channel 0 all negative: UDP's flat index wraps to the last channel")
    add("gaussian-64x48", realistic(rng, 2, 64, 48), "NCHW", "sigma-2 Gaussians with noise, as a 256x192 model emits")
    add("gaussian-64x64", realistic(rng, 1, 64, 64), "NHWC", "sigma-2 Gaussian with noise, square")

    square = [n for n, (h, _, _) in maps.items() if h.shape[1] == h.shape[2]]

    def input_size(hm):
        """4x the heatmap, except one case with a ratio that is not a power of two."""
        K, H, W = hm.shape
        return (50, 70) if (H, W) == (16, 12) and K == 5 else (4 * W, 4 * H)

    os.makedirs(OUT, exist_ok=True)

    def write(name, payload):
        with open(os.path.join(OUT, name), "w") as f:
            json.dump(payload, f, separators=(",", ":"))
            f.write("\n")

    write("heatmaps.json", {"heatmaps": [heatmap_entry(n, h, l, note) for n, (h, l, note) in maps.items()]})

    def cases(decode, names, params_list):
        out = []
        for n in names:
            hm = maps[n][0]
            for params in params_list:
                size = input_size(hm)
                cells, coords, scores = decode(hm.copy(), size, **params)
                out.append({"heatmap": n, "params": params, "input_width": size[0], "input_height": size[1],
                            "keypoints": rows(cells, coords, scores)})
        return out

    names = list(maps)
    write("msra.json", {
        "source": "mmpose/codecs/msra_heatmap.py MSRAHeatmap.decode (unbiased=False)",
        "cases": cases(lambda hm, size: mmpose_msra_decode(hm, size), names, [{}])})
    write("hrnet.json", {
        "source": "deep-high-resolution-net.pytorch lib/core/inference.py get_final_preds (POST_PROCESS on)",
        "cases": cases(hrnet_decode, names, [{}])})
    write("newell.json", {
        "source": "pose-hg-train src/util/eval.lua getPreds + src/util/pose.lua postprocess",
        "cases": cases(lambda hm, size: newell_decode(hm, size[0]), square, [{}])})
    write("megvii.json", {
        "source": "mmpose/codecs/megvii_heatmap.py MegviiHeatmap.decode",
        "cases": cases(lambda hm, size, kernel: mmpose_megvii_decode(hm, size, kernel), names,
                       [{"kernel": 5}, {"kernel": 9}, {"kernel": 11}])})
    write("dark.json", {
        "source": "mmpose/codecs/msra_heatmap.py MSRAHeatmap.decode (unbiased=True) -> refine_keypoints_dark",
        "cases": cases(lambda hm, size, kernel: mmpose_msra_decode(hm, size, True, kernel), names,
                       [{"kernel": 11}]) +
        cases(lambda hm, size, kernel: mmpose_msra_decode(hm, size, True, kernel), ["gaussian-64x48"],
              [{"kernel": 17}, {"kernel": 7}])})
    write("udp.json", {
        "source": "mmpose/codecs/udp_heatmap.py UDPHeatmap.decode (heatmap_type='gaussian')",
        "cases": cases(lambda hm, size, kernel: mmpose_udp_decode(hm, size, kernel), names, [{"kernel": 11}]) +
        cases(lambda hm, size, kernel: mmpose_udp_decode(hm, size, kernel), ["gaussian-64x48"],
              [{"kernel": 17}])})

    blur_sources = {"crafted-8x8-nchw": (3, 5, 9, 11), "uniform-16x12-0": (5, 11, 17)}
    write("gaussian_blur.json", {
        "source": "cv2.getGaussianKernel(k, 0, CV_32F); mmpose/codecs/utils/post_processing.py gaussian_blur",
        "opencv": cv2.__version__,
        "kernels": [{"size": n, "weights": [num(v) for v in cv2.getGaussianKernel(n, 0, ktype=cv2.CV_32F).ravel()]}
                    for n in range(3, 33, 2)],
        "blurred": [{"heatmap": n, "kernel": k, "float32le_base64": b64(mmpose_gaussian_blur(maps[n][0].copy(), k))}
                    for n, kernels in blur_sources.items() for k in kernels]})

    flip_indices = [0, 2, 1, 4, 3]
    flips = []
    for n in ("uniform-8x8-0", "quantised-8x8-1"):
        hm = maps[n][0]
        for shift in (False, True):
            flipped = mmpose_flip_heatmaps(hm, flip_indices, shift)
            flips.append({"heatmap": n, "flip_indices": flip_indices, "shift": shift,
                          "flipped_base64": b64(flipped),
                          "averaged_base64": b64(((hm + flipped) * f32(0.5)).astype(f32))})

    reg = []
    for K, D, size in ((5, 2, (192, 256)), (5, 4, (192, 256)), (4, 4, (288, 384))):
        raw = np.concatenate([rng.uniform(-0.1, 1.1, (K, 2)), rng.normal(0, 3, (K, D - 2))], axis=1).astype(f32)
        flipped_raw = np.concatenate([rng.uniform(-0.1, 1.1, (K, 2)), rng.normal(0, 3, (K, D - 2))],
                                     axis=1).astype(f32)
        fi = [0, 2, 1, 4, 3][:K] if K == 5 else [1, 0, 3, 2]
        coords, scores = mmpose_regression_decode(raw, size)
        entry = {"dims": D, "keypoint_count": K, "input_width": size[0], "input_height": size[1],
                 "values": [num(v) for v in raw.ravel()],
                 "keypoints": [[num(c[0]), num(c[1]), num(s)] for c, s in zip(coords, scores)],
                 "flip": []}
        for shift in (True, False):
            fc, fs = mmpose_regression_decode(raw, size, flipped_raw, fi, shift)
            entry["flip"].append({
                "flipped_values": [num(v) for v in flipped_raw.ravel()], "flip_indices": fi, "shift": shift,
                "flipped_back": [num(v) for v in mmpose_flip_coordinates(flipped_raw, fi, shift, size[0]).ravel()],
                "keypoints": [[num(c[0]), num(c[1]), num(s)] for c, s in zip(fc, fs)]})
        reg.append(entry)
    write("flip_and_regression.json", {
        "source": "mmpose/models/utils/tta.py flip_heatmaps, flip_coordinates; "
                  "mmpose/codecs/regression_label.py RegressionLabel.decode; rle_head.py predict",
        "heatmap_flips": flips, "regression": reg})

    total = sum(os.path.getsize(os.path.join(OUT, f)) for f in os.listdir(OUT))
    print(f"wrote {len(os.listdir(OUT))} files, {total} bytes, to {OUT}", file=sys.stderr)


if __name__ == "__main__":
    main()
