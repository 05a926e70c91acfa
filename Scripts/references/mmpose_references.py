#!/usr/bin/env python3
"""Codec and crop fixtures written by MMPose 1.3.2 itself (run by Scripts/references/real-references.sh in
.venv-mmpose-real: numpy<2, mmengine, mmcv-lite 2.1.0, mmpose 1.3.2 --no-deps, CPU torch, opencv-python-headless
4.10). Every decode below is a call into the installed MMPose; nothing is re-written from its source.

  Fixtures/codecs/heatmaps.json      the heatmaps every decode reads (crafted border cases, random, realistic)
  Fixtures/codecs/msra.json          MSRAHeatmap.decode; cells from codecs.utils get_heatmap_maximum + refine_keypoints
  Fixtures/codecs/dark.json          MSRAHeatmap(unbiased=True).decode; cells from refine_keypoints_dark
  Fixtures/codecs/udp.json           UDPHeatmap.decode; cells from refine_keypoints_dark_udp
  Fixtures/codecs/megvii.json        MegviiHeatmap.decode (cells = keypoints / scale_factor)
  Fixtures/codecs/gaussian_blur.json cv2.getGaussianKernel and codecs.utils gaussian_blur
  Fixtures/codecs/flip_and_regression.json  models.utils.tta flip_heatmaps; RegressionHead / RLEHead.predict
                                     (forward replaced by the recorded outputs) with and without flip test
  Fixtures/codecs/simcc.json         SimCCLabel.decode (MMPose's min score), with and without use_dark
  Fixtures/mmpose/affine.json        GetBBoxCenterScale + TopdownAffine (plain and UDP): centre, scale, warp matrix,
                                     keypoints through the warp; TopdownPoseEstimator.add_pred_to_datasample back
  Fixtures/mmpose/expected.json      the shipped HRNet export on Fixtures/mmpose/person.mkv through TopdownAffine,
                                     ONNX Runtime, MSRAHeatmap.decode and add_pred_to_datasample (whole-frame box)

The hand-written decoders that have no installable original (HRNet's get_final_preds, Newell's Stacked
Hourglass) stay in codec_reference.py, which reads heatmaps.json from here. Deterministic (fixed seeds).
"""

import base64
import hashlib
import importlib.abc
import importlib.machinery
import json
import math
import os
import sys
import types

import cv2
import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "lib"))
import video_frames  # noqa: E402
import torch

import mmpose


# mmpose.models imports every head and estimator, some of which import mmdet and mmcv's compiled ops (RTMO's
# head, the bottom-up heads); neither installs without CUDA-era builds. They are stood in by empty modules, so
# the import succeeds: nothing called below (RegressionHead, RLEHead, TopdownPoseEstimator's back-transform)
# touches them, and a call that did would fail on the empty stand-in.
class _Absent(types.ModuleType):
    def __getattr__(self, name):
        if name.startswith("__"):
            raise AttributeError(name)
        return type(name, (), {})


class _AbsentFinder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    def find_spec(self, fullname, path, target=None):
        if fullname.split(".")[0] == "mmdet" or fullname.startswith("mmcv.ops") or fullname == "mmcv._ext":
            return importlib.machinery.ModuleSpec(fullname, self, is_package=True)
        return None

    def create_module(self, spec):
        return _Absent(spec.name)

    def exec_module(self, module):
        module.__path__ = []


sys.meta_path.insert(0, _AbsentFinder())

from mmengine.structures import InstanceData
from mmpose.codecs import MegviiHeatmap, MSRAHeatmap, RegressionLabel, SimCCLabel, UDPHeatmap
from mmpose.codecs.utils import gaussian_blur, get_heatmap_maximum, refine_keypoints, refine_keypoints_dark
from mmpose.codecs.utils import refine_keypoints_dark_udp
from mmpose.datasets.transforms import GetBBoxCenterScale, TopdownAffine
from mmpose.models.heads import RegressionHead, RLEHead
from mmpose.models.pose_estimators import TopdownPoseEstimator
from mmpose.models.utils.tta import flip_heatmaps
from mmpose.structures import PoseDataSample
from mmpose.structures.bbox import get_warp_matrix

f32 = np.float32
ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Fixtures", "codecs")


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


def write(folder, name, payload):
    with open(os.path.join(folder, name), "w") as f:
        json.dump(payload, f, separators=(",", ":"))
        f.write("\n")


# ---------------------------------------------------------------------------------------------
# Decodes: each a call into MMPose. Inputs are copied because MMPose's blurs work in place.

def msra(hm, size, unbiased=False, kernel=11):
    K, H, W = hm.shape
    codec = MSRAHeatmap(input_size=size, heatmap_size=(W, H), sigma=2.0, unbiased=unbiased, blur_kernel_size=kernel)
    keypoints, scores = codec.decode(hm.copy())
    locs, _ = get_heatmap_maximum(hm.copy())
    cells = refine_keypoints_dark(locs[None], hm.copy(), kernel)[0] if unbiased else refine_keypoints(locs[None], hm.copy())[0]
    return cells, keypoints[0], scores[0]


def udp(hm, size, kernel=11):
    K, H, W = hm.shape
    codec = UDPHeatmap(input_size=size, heatmap_size=(W, H), heatmap_type="gaussian", sigma=2.0, blur_kernel_size=kernel)
    keypoints, scores = codec.decode(hm.copy())
    locs, _ = get_heatmap_maximum(hm.copy())
    cells = refine_keypoints_dark_udp(locs[None], hm.copy(), kernel)[0]
    return cells, keypoints[0], scores[0]


def megvii(hm, size, kernel):
    K, H, W = hm.shape
    codec = MegviiHeatmap(input_size=size, heatmap_size=(W, H), kernel_size=kernel)
    keypoints, scores = codec.decode(hm.copy())
    return keypoints[0] / codec.scale_factor, keypoints[0], scores[0]


def head_sample(flip_indices, size):
    return PoseDataSample(metainfo=dict(flip_indices=flip_indices, input_size=size))


def regression(raw, size, flipped=None, flip_indices=None, shift=True):
    """RegressionHead / RLEHead.predict with forward() giving the recorded outputs (torch float32)."""
    K, D = raw.shape
    decoder = dict(type="RegressionLabel", input_size=size)
    head = RLEHead(in_channels=8, num_joints=K, decoder=decoder) if D == 4 else \
        RegressionHead(in_channels=8, num_joints=K, decoder=decoder)
    head.forward = lambda feats: feats.clone()
    sample = head_sample(flip_indices or list(range(K)), size)
    with torch.no_grad():
        if flipped is None:
            preds = head.predict(torch.from_numpy(raw[None].copy()), [sample], test_cfg={})
        else:
            feats = [torch.from_numpy(raw[None].copy()), torch.from_numpy(flipped[None].copy())]
            preds = head.predict(feats, [sample], test_cfg=dict(flip_test=True, shift_coords=shift))
    return preds[0].keypoints[0], preds[0].keypoint_scores[0]


def flipped_coordinates(coords, flip_indices, shift, size):
    from mmpose.models.utils.tta import flip_coordinates
    out = flip_coordinates(torch.from_numpy(coords[None].copy()), flip_indices=flip_indices, shift_coords=shift, input_size=size)
    return out[0].numpy()


def simcc(x, y, sigma, dark):
    K = x.shape[0]
    codec = SimCCLabel(input_size=(x.shape[1] // 2, y.shape[1] // 2), sigma=sigma, simcc_split_ratio=2.0, use_dark=dark)
    keypoints, scores = codec.decode(x[None].copy(), y[None].copy())
    return keypoints[0], scores[0]


def simcc_vectors(rng, K, bins):
    """Realistic SimCC rows (Gaussian bumps, σ≈5 bins, noise), a border peak, a tie, a row below zero."""
    v = np.arange(bins, dtype=f32)
    centres = rng.uniform(3, bins - 4, K)
    centres[0], centres[1] = 0.4, bins - 1.3
    rows_ = np.exp(-((v - centres[:, None].astype(f32)) ** 2) / f32(2 * 5.0 ** 2)) * rng.uniform(0.3, 1.0, (K, 1))
    rows_ = (rows_ + rng.normal(0, 0.01, (K, bins))).astype(f32)
    rows_[2] = -0.5
    rows_[3, 10] = rows_[3, 30] = 2.0
    return rows_.astype(f32)


# ---------------------------------------------------------------------------------------------
# TopdownAffine and the back-transform.

def affine_cases(rng):
    cases = []
    boxes = [[0, 0, 300, 420], [40.5, 30.25, 200.75, 380.5], [150, 10, 330, 200], [-20, 50, 120, 300], [10, 20, 400, 90]]
    for size in ((192, 256), (288, 384), (256, 256)):
        for udp_ in (False, True):
            for box in boxes:
                probes = rng.uniform(-20, 420, (1, 6, 2)).astype(f32)
                results = dict(img=np.zeros((420, 300, 3), np.uint8), bbox=np.array([box], f32),
                               keypoints=probes.copy(), keypoints_visible=np.ones((1, 6), f32))
                results = GetBBoxCenterScale(padding=1.25).transform(results)
                results = TopdownAffine(input_size=size, use_udp=udp_).transform(results)
                center, scale = results["input_center"], results["input_scale"]
                warp = get_warp_matrix(center, scale, 0, output_size=size) if not udp_ else None
                # The back-transform of input points, by the estimator's own method.
                points = rng.uniform(-5, max(size) + 5, (1, 6, 2)).astype(f32)
                back = back_transform(points.copy(), center, scale, size)
                cases.append({"input_width": size[0], "input_height": size[1], "udp": udp_, "box": [float(v) for v in box],
                              "center": [float(v) for v in center], "scale": [float(v) for v in scale],
                              "warp": None if warp is None else np.asarray(warp, np.float64).tolist(),
                              "probes": probes[0].astype(np.float64).tolist(),
                              "probes_in_input": results["transformed_keypoints"][0, :, :2].astype(np.float64).tolist(),
                              "input_points": points[0].astype(np.float64).tolist(), "back": back.tolist()})
    return cases


def back_transform(points, center, scale, size):
    instances = InstanceData(keypoints=points, keypoint_scores=np.ones(points.shape[:2], f32))
    sample = PoseDataSample(metainfo=dict(input_center=center, input_scale=scale, input_size=size))
    sample.gt_instances = InstanceData(bboxes=np.zeros((1, 4), f32), bbox_scores=np.ones(1, f32))
    estimator = types.SimpleNamespace(test_cfg={})
    TopdownPoseEstimator.add_pred_to_datasample(estimator, [instances], None, [sample])
    return np.asarray(sample.pred_instances.keypoints[0], np.float64)


def frames_rgb(video):
    return video_frames.frames(video, "rgb24")


def hrnet_topdown(video, model):
    """inference_topdown's steps for an mmdeploy export with no boxes: the whole frame [0, 0, w, h]."""
    import onnxruntime as ort
    session = ort.InferenceSession(model, providers=["CPUExecutionProvider"])
    _, _, in_h, in_w = session.get_inputs()[0].shape
    mean, std = np.array([123.675, 116.28, 103.53], f32), np.array([58.395, 57.12, 57.375], f32)
    out = []
    for i, img in enumerate(frames_rgb(video)):
        h, w = img.shape[:2]
        results = GetBBoxCenterScale(padding=1.25).transform(dict(img=img.copy(), bbox=np.array([[0, 0, w, h]], f32)))
        results = TopdownAffine(input_size=(in_w, in_h)).transform(results)
        # PoseDataPreprocessor: (RGB − mean) / std, channels first.
        tensor = ((results["img"].astype(f32) - mean) / std).transpose(2, 0, 1)[None]
        heatmaps = session.run(["output"], {"input": tensor})[0][0]
        codec = MSRAHeatmap(input_size=(in_w, in_h), heatmap_size=heatmaps.shape[:0:-1], sigma=2.0)
        keypoints, scores = codec.decode(heatmaps)
        back = back_transform(keypoints.astype(f32), results["input_center"], results["input_scale"], (in_w, in_h))
        out.append({"frame": i, "keypoints": [[float(x), float(y), float(s)] for (x, y), s in zip(back, scores[0])]})
    return out


def heatmap_inputs(rng):
    """The heatmaps every decode is run on: id -> (array (K,H,W), layout, note)."""
    maps = {}

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
    return maps


def input_size(hm):
    """4x the heatmap, except one case with a ratio that is not a power of two."""
    K, H, W = hm.shape
    return (50, 70) if (H, W) == (16, 12) and K == 5 else (4 * W, 4 * H)


def write_heatmap_decodes(maps, version):
    """heatmaps.json, and each heatmap codec's decode of them: msra, megvii, dark, udp, gaussian_blur."""
    write(OUT, "heatmaps.json", {"heatmaps": [heatmap_entry(n, h, l, note) for n, (h, l, note) in maps.items()]})

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
    write(OUT, "msra.json", {"source": f"{version} MSRAHeatmap.decode (unbiased=False)", "cases": cases(msra, names, [{}])})
    write(OUT, "megvii.json", {"source": f"{version} MegviiHeatmap.decode",
                               "cases": cases(megvii, names, [{"kernel": 5}, {"kernel": 9}, {"kernel": 11}])})
    write(OUT, "dark.json", {
        "source": f"{version} MSRAHeatmap.decode (unbiased=True) -> refine_keypoints_dark",
        "cases": cases(lambda hm, size, kernel: msra(hm, size, True, kernel), names, [{"kernel": 11}]) +
        cases(lambda hm, size, kernel: msra(hm, size, True, kernel), ["gaussian-64x48"], [{"kernel": 17}, {"kernel": 7}])})
    write(OUT, "udp.json", {
        "source": f"{version} UDPHeatmap.decode (heatmap_type='gaussian')",
        "cases": cases(udp, names, [{"kernel": 11}]) + cases(udp, ["gaussian-64x48"], [{"kernel": 17}])})

    blur_sources = {"crafted-8x8-nchw": (3, 5, 9, 11), "uniform-16x12-0": (5, 11, 17)}
    write(OUT, "gaussian_blur.json", {
        "source": f"cv2.getGaussianKernel(k, 0, CV_32F); {version} codecs.utils.gaussian_blur",
        "opencv": cv2.__version__,
        "kernels": [{"size": n, "weights": [num(v) for v in cv2.getGaussianKernel(n, 0, ktype=cv2.CV_32F).ravel()]}
                    for n in range(3, 33, 2)],
        "blurred": [{"heatmap": n, "kernel": k, "float32le_base64": b64(gaussian_blur(maps[n][0].copy(), k))}
                    for n, kernels in blur_sources.items() for k in kernels]})


def heatmap_flips(maps):
    """flip_heatmaps of two heatmaps, with and without the shift, and HeatmapHead's average."""
    flip_indices = [0, 2, 1, 4, 3]
    flips = []
    for n in ("uniform-8x8-0", "quantised-8x8-1"):
        hm = maps[n][0]
        for shift in (False, True):
            flipped = flip_heatmaps(torch.from_numpy(hm[None].copy()), flip_mode="heatmap", flip_indices=flip_indices,
                                    shift_heatmap=shift)
            # HeatmapHead.predict's average of the plain and the flipped-back maps.
            averaged = (torch.from_numpy(hm[None].copy()) + flipped) * 0.5
            flips.append({"heatmap": n, "flip_indices": flip_indices, "shift": shift,
                          "flipped_base64": b64(flipped[0].numpy()), "averaged_base64": b64(averaged[0].numpy())})
    return flips


def regression_cases(rng):
    """RegressionLabel.decode of random outputs, plain and with a flipped run averaged in (shift or not)."""
    reg = []
    for K, D, size in ((5, 2, (192, 256)), (5, 4, (192, 256)), (4, 4, (288, 384))):
        raw = np.concatenate([rng.uniform(-0.1, 1.1, (K, 2)), rng.normal(0, 3, (K, D - 2))], axis=1).astype(f32)
        flipped_raw = np.concatenate([rng.uniform(-0.1, 1.1, (K, 2)), rng.normal(0, 3, (K, D - 2))],
                                     axis=1).astype(f32)
        fi = [0, 2, 1, 4, 3][:K] if K == 5 else [1, 0, 3, 2]
        coords, scores = regression(raw, size)
        entry = {"dims": D, "keypoint_count": K, "input_width": size[0], "input_height": size[1],
                 "values": [num(v) for v in raw.ravel()],
                 "keypoints": [[num(c[0]), num(c[1]), num(s)] for c, s in zip(coords, scores)],
                 "flip": []}
        for shift in (True, False):
            fc, fs = regression(raw, size, flipped_raw, fi, shift)
            entry["flip"].append({
                "flipped_values": [num(v) for v in flipped_raw.ravel()], "flip_indices": fi, "shift": shift,
                "flipped_back": [num(v) for v in flipped_coordinates(flipped_raw, fi, shift, size).ravel()],
                "keypoints": [[num(c[0]), num(c[1]), num(s)] for c, s in zip(fc, fs)]})
        reg.append(entry)
    return reg


def simcc_cases(rng):
    """SimCCLabel.decode of random vectors at three input sizes, with and without DARK."""
    found = []
    for K, w, h, sigma in ((6, 192, 256, (4.9, 5.66)), (5, 288, 384, (6.0, 6.93)), (4, 48, 64, (1.5, 2.0))):
        x, y = simcc_vectors(rng, K, 2 * w), simcc_vectors(rng, K, 2 * h)
        for dark in (False, True):
            keypoints, scores = simcc(x, y, sigma, dark)
            found.append({"keypoints": K, "input_width": w, "input_height": h, "sigma": list(sigma), "dark": dark,
                          "x_base64": b64(x), "y_base64": b64(y),
                          "decoded": [[num(p[0]), num(p[1]), num(s)] for p, s in zip(keypoints, scores)]})
    return found


def write_topdown(rng, version):
    """Fixtures/mmpose: the crop and back-transform cases, and HRNet's keypoints on person.mkv."""
    mm = os.path.join(ROOT, "Fixtures", "mmpose")
    write(mm, "affine.json", {"source": f"{version} GetBBoxCenterScale(padding=1.25) + TopdownAffine; "
                                        "TopdownPoseEstimator.add_pred_to_datasample", "cases": affine_cases(rng)})
    model = os.path.join(ROOT, "Pipelines", "hrnet", "hrnet.onnx")
    with open(model, "rb") as fh:
        sha = hashlib.sha256(fh.read()).hexdigest()
    with open(os.path.join(mm, "expected.json"), "w") as fh:
        json.dump({"video": "person.mkv", "model": "hrnet.onnx", "model_sha256": sha,
                   "source": f"{version} TopdownAffine, MSRAHeatmap.decode, add_pred_to_datasample",
                   "frames": hrnet_topdown(os.path.join(mm, "person.mkv"), model)}, fh, indent=1)
        fh.write("\n")
    return mm


def main():
    # One generator for every random input, drawn in this order: the fixtures depend on it.
    rng = np.random.default_rng(20261129)
    version = f"MMPose {mmpose.__version__}"
    maps = heatmap_inputs(rng)
    os.makedirs(OUT, exist_ok=True)
    write_heatmap_decodes(maps, version)
    write(OUT, "flip_and_regression.json", {
        "source": f"{version} models/utils/tta.py flip_heatmaps, flip_coordinates; RegressionHead and RLEHead.predict "
                  "(forward giving the recorded outputs) with RegressionLabel.decode",
        "heatmap_flips": heatmap_flips(maps), "regression": regression_cases(rng)})
    write(OUT, "simcc.json", {"source": f"{version} SimCCLabel.decode (simcc_split_ratio 2.0)", "cases": simcc_cases(rng)})
    mm = write_topdown(rng, version)
    print(f"wrote {OUT} and {mm}", file=sys.stderr)


if __name__ == "__main__":
    main()
