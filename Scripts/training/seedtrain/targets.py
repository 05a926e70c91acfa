"""Training targets placed so that each family's decoder returns the teacher's point.

u is a keypoint in input pixel indices (pixel centres at integers, as MMPose), s = input / heatmap size.
- msra (HRNet): decode x = x_hm * s, so the Gaussian's centre is u / s (sub-pixel, unbiased).
- newell (Hourglass, MCA) and megvii (MSPN): decode adds half a cell after the quarter shift, x = (x_hm + 0.5) * s,
  so the centre is u / s - 0.5.
- regression (TFPose): u / input size, in [0, 1] of the crop.
"""
import math

import numpy as np

CENTRE_SHIFT = {"msra": 0.0, "newell": -0.5, "megvii": -0.5}


def opencv_sigma(kernel):
    """The sigma cv2.GaussianBlur uses for a kernel size when sigma is 0 (MegviiHeatmap's kernels)."""
    return 0.3 * ((kernel - 1) * 0.5 - 1) + 0.8


def gaussian_heatmaps(keypoints, clear, heatmap_w, heatmap_h, stride, codec, sigma, peak=1.0):
    """[K, H, W] float32 Gaussians at each clear keypoint; masked ones stay zero (their weight is zero too).
    With peak 255 (MegviiHeatmap) every map is rescaled so its largest cell is 255, as its encoder does."""
    shift = CENTRE_SHIFT[codec]
    xs = np.arange(heatmap_w, dtype=np.float32)
    ys = np.arange(heatmap_h, dtype=np.float32)
    maps = np.zeros((len(keypoints), heatmap_h, heatmap_w), np.float32)
    weights = np.zeros(len(keypoints), np.float32)
    for k, ((u, v), ok) in enumerate(zip(keypoints, clear)):
        mx, my = u / stride + shift, v / stride + shift
        if not ok or not (-0.5 <= mx <= heatmap_w - 0.5 and -0.5 <= my <= heatmap_h - 0.5):
            continue
        gx = np.exp(-((xs - mx) ** 2) / (2 * sigma * sigma))
        gy = np.exp(-((ys - my) ** 2) / (2 * sigma * sigma))
        hm = gy[:, None] * gx[None, :]
        maps[k] = hm * (peak / hm.max()) if peak != 1.0 else hm
        weights[k] = 1.0
    return maps, weights


def regression_targets(keypoints, clear, input_w, input_h):
    coords = np.asarray(keypoints, np.float32) / np.array([input_w, input_h], np.float32)
    inside = (coords >= 0).all(1) & (coords <= 1).all(1)
    return coords, (np.asarray(clear) & inside).astype(np.float32)


def megvii_kernels(stages, units):
    """MSPN's coarse-to-fine supervision (Li et al. 2019, Sec. 3, 'Coarse-to-fine Supervision'): units of a stage run from the coarsest
    resolution to the finest with shrinking kernels (15, 11, 9, 7); the last stage's units shift one step
    finer (11, 9, 7, 5), and its finest unit's kernel 5 is the one the megvii decode blurs with."""
    ladder = [15, 11, 9, 7, 5]
    per_stage = []
    for stage in range(stages):
        start = 1 if stage == stages - 1 else 0
        per_stage.append(ladder[start + 4 - units: start + 4])
    return per_stage


assert megvii_kernels(2, 4) == [[15, 11, 9, 7], [11, 9, 7, 5]]
assert math.isclose(opencv_sigma(5), 1.1)
