"""Reference decoders in NumPy, written from the published rules the Swift codecs follow (issue 7).

Each returns keypoints in input pixel indices (pixel centres at integers) and scores, for one crop:
heatmaps [K, H, W] -> ([K, 2], [K]).
"""
import cv2
import numpy as np


def _argmax(heatmaps):
    k, h, w = heatmaps.shape
    flat = heatmaps.reshape(k, -1)
    idx = flat.argmax(1)
    scores = flat[np.arange(k), idx]
    return np.stack([idx % w, idx // w], 1).astype(np.float64), scores.astype(np.float64)


def _quarter(hm, px, py):
    return np.array([np.sign(hm[py, px + 1] - hm[py, px - 1]), np.sign(hm[py + 1, px] - hm[py - 1, px])]) * 0.25


def msra(heatmaps, input_w, input_h):
    """HRNet's get_final_preds (guard: joint): both axes move a quarter cell toward the higher neighbour
    only when 1 < px < W-1 and 1 < py < H-1; x * input / heatmap size; score = max."""
    k, h, w = heatmaps.shape
    coords, scores = _argmax(heatmaps)
    for j in range(k):
        px, py = int(np.floor(coords[j, 0] + 0.5)), int(np.floor(coords[j, 1] + 0.5))
        if 1 < px < w - 1 and 1 < py < h - 1:
            coords[j] += _quarter(heatmaps[j], px, py)
    return coords * np.array([input_w / w, input_h / h]), scores


def newell(heatmaps, input_w, input_h):
    """pose-hg-train's postprocess: argmax, a quarter cell toward the higher neighbour when the peak is
    off the border (1 < p < 64 in its 1-based indices), then half a cell; x stride."""
    k, h, w = heatmaps.shape
    coords, scores = _argmax(heatmaps)
    for j in range(k):
        px, py = int(coords[j, 0]), int(coords[j, 1])
        if 0 < px < w - 1 and 0 < py < h - 1:
            coords[j] += _quarter(heatmaps[j], px, py)
    return (coords + 0.5) * np.array([input_w / w, input_h / h]), scores


def max_preserving_blur(heatmaps, kernel):
    """MMPose's gaussian_blur: zero padding of (kernel - 1) / 2, cv2.GaussianBlur (sigma from the kernel),
    crop, rescale so each map keeps its maximum."""
    border = (kernel - 1) // 2
    out = np.empty_like(heatmaps)
    for j, hm in enumerate(heatmaps):
        peak = hm.max()
        padded = np.pad(hm, border)
        blurred = cv2.GaussianBlur(padded, (kernel, kernel), 0)[border:-border, border:-border]
        out[j] = blurred * (peak / blurred.max()) if blurred.max() != 0 else blurred
    return out


def megvii(heatmaps, input_w, input_h, kernel=5):
    """MMPose's MegviiHeatmap: max-preserving blur, argmax, inside 1 < p < size-1 a quarter cell toward
    the higher neighbour plus half a cell; score = max / 255 + 0.5; x stride."""
    k, h, w = heatmaps.shape
    blurred = max_preserving_blur(heatmaps.astype(np.float32), kernel)
    coords, scores = _argmax(blurred)
    for j in range(k):
        px, py = int(coords[j, 0]), int(coords[j, 1])
        if 1 < px < w - 1 and 1 < py < h - 1:
            coords[j] += _quarter(blurred[j], px, py) + 0.5
    return coords * np.array([input_w / w, input_h / h]), scores / 255.0 + 0.5


def regression(coords, input_w, input_h):
    """[K, 4] (x, y in [0, 1] of the crop, two pre-sigmoid sigmas) as MMPose's RLEHead: score =
    mean(1 - sigmoid(sigma))."""
    coords = np.asarray(coords, np.float64)
    sigma = 1.0 / (1.0 + np.exp(-coords[:, 2:4]))
    return coords[:, :2] * np.array([input_w, input_h]), (1.0 - sigma).mean(1)


DECODERS = {"msra": msra, "newell": newell, "megvii": megvii}
