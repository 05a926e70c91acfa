"""Keypoint codecs in NumPy: each method's encode (training targets) and decode (keypoints and scores) side by
side, so that the target a model learns and the rule that reads it cannot drift apart (as MMPose's codecs).

The Swift codecs (Sources/PosePipeKit/Codecs/) are posepipe's; this module is the Python side's one copy,
used by training (Scripts/training/), the export checks and the references that no released code provides.
Shapes, for one crop: K keypoints; keypoints [K, 2] in input pixel indices (pixel centres at integers, as
MMPose and OpenCV); visible [K] bool; heatmaps [K, H, W]; sizes are (width, height).

Each decode is written from its published rule (read, not copied):
- MSRA: HRNet's get_final_preds (leoxiaobin/deep-high-resolution-net.pytorch, lib/core/inference.py):
  argmax, a quarter cell toward the higher neighbour on both axes only inside 1 < p < size - 1 (the joint
  guard), times the stride; score = the maximum.
- Newell: pose-hg-train's getPreds + postprocess (src/util/eval.lua, src/util/pose.lua): argmax, a quarter
  cell toward the higher neighbour off the border, plus half a cell, times the stride.
  These two are HAND-WRITTEN from reading the originals (neither is an installable package); they also write
  the fixtures the Swift codecs are tested against (Scripts/references/codec_reference.py), so they keep the
  originals' float32 arithmetic and index conventions.
- Megvii: MMPose 1.3.2's MegviiHeatmap (mmpose/codecs/megvii_heatmap.py): max-preserving Gaussian blur,
  argmax, inside 1 < p < size - 1 a quarter step plus half a cell; score = max / 255 + 0.5.
- Regression: MMPose's RLEHead layout (x, y in [0, 1] of the crop, two pre-sigmoid sigmas); score =
  mean(1 - sigmoid(sigma)).
"""
import math

import cv2
import numpy as np


def opencv_sigma(kernel):
    """The sigma cv2.GaussianBlur uses for a kernel size when sigma is 0 (MegviiHeatmap's kernels)."""
    return 0.3 * ((kernel - 1) * 0.5 - 1) + 0.8


def heatmap_maximum(heatmaps):
    """Argmax locations [K, 2] (x, y) as float64 and the maxima [K]."""
    k, h, w = heatmaps.shape
    flat = heatmaps.reshape(k, -1)
    idx = flat.argmax(1)
    return np.stack([idx % w, idx // w], 1).astype(np.float64), flat[np.arange(k), idx].astype(np.float64)


def quarter_step(heatmap, px, py):
    """A quarter cell toward the higher neighbour on each axis."""
    return np.array([np.sign(heatmap[py, px + 1] - heatmap[py, px - 1]),
                     np.sign(heatmap[py + 1, px] - heatmap[py - 1, px])]) * 0.25


def max_preserving_blur(heatmaps, kernel):
    """MMPose's gaussian_blur: zero padding of (kernel - 1) / 2, cv2.GaussianBlur (sigma from the kernel),
    crop, rescale so each map keeps its maximum."""
    border = (kernel - 1) // 2
    out = np.empty_like(heatmaps)
    for j, hm in enumerate(heatmaps):
        peak = hm.max()
        blurred = cv2.GaussianBlur(np.pad(hm, border), (kernel, kernel), 0)[border:-border, border:-border]
        out[j] = blurred * (peak / blurred.max()) if blurred.max() != 0 else blurred
    return out


class HeatmapCodec:
    """Gaussian heatmaps. `centre_shift` (cells) places each Gaussian where the decoder's rule reads it back:
    a decoder that adds half a cell needs the centre half a cell lower."""
    centre_shift = 0.0
    peak = 1.0

    def __init__(self, input_size, heatmap_size, sigma=2.0):
        self.input_size, self.heatmap_size, self.sigma = tuple(input_size), tuple(heatmap_size), sigma

    @property
    def stride(self):
        return self.input_size[0] / self.heatmap_size[0]

    def encode(self, keypoints, visible, sigma=None):
        """[K, H, W] float32 Gaussians at each visible keypoint inside the map, and weights [K] (1 where a
        Gaussian was placed). With peak 255 (Megvii) every map is scaled so its largest cell is 255."""
        sigma = self.sigma if sigma is None else sigma
        w, h = self.heatmap_size
        xs, ys = np.arange(w, dtype=np.float32), np.arange(h, dtype=np.float32)
        maps = np.zeros((len(keypoints), h, w), np.float32)
        weights = np.zeros(len(keypoints), np.float32)
        for k, ((u, v), ok) in enumerate(zip(keypoints, visible)):
            mx, my = u / self.stride + self.centre_shift, v / self.stride + self.centre_shift
            if not ok or not (-0.5 <= mx <= w - 0.5 and -0.5 <= my <= h - 0.5):
                continue
            gx = np.exp(-((xs - mx) ** 2) / (2 * sigma * sigma))
            gy = np.exp(-((ys - my) ** 2) / (2 * sigma * sigma))
            hm = gy[:, None] * gx[None, :]
            maps[k] = hm * (self.peak / hm.max()) if self.peak != 1.0 else hm
            weights[k] = 1.0
        return maps, weights

    def scale(self):
        return np.array([self.input_size[0] / self.heatmap_size[0], self.input_size[1] / self.heatmap_size[1]])


class MSRA(HeatmapCodec):
    """HRNet's rule: the Gaussian at u / stride (sub-pixel, unbiased), decoded with the joint guard."""

    def decode_cells(self, heatmaps):
        """HRNet's get_max_preds and the POST_PROCESS block of get_final_preds, in float32 as the original:
        argmax (a map whose maximum is <= 0 gives cell (0, 0)), then a quarter cell toward the higher
        neighbour on both axes when 1 < px < W - 1 and 1 < py < H - 1. Returns cells [K, 2] and maxima [K]."""
        k, h, w = heatmaps.shape
        flat = heatmaps.reshape(k, -1)
        index, maxima = np.argmax(flat, 1), np.amax(flat, 1)
        cells = np.stack([index % w, np.floor(index / w)], 1).astype(np.float32)
        cells *= (maxima > 0.0).astype(np.float32)[:, None]
        for j in range(k):
            m = heatmaps[j]
            px, py = int(math.floor(cells[j][0] + 0.5)), int(math.floor(cells[j][1] + 0.5))
            if 1 < px < w - 1 and 1 < py < h - 1:
                cells[j] += np.sign(np.array([m[py][px + 1] - m[py][px - 1], m[py + 1][px] - m[py - 1][px]])) * 0.25
        return cells, maxima

    def decode(self, heatmaps):
        cells, maxima = self.decode_cells(heatmaps)
        return cells * self.scale(), maxima.astype(np.float64)


class Newell(HeatmapCodec):
    """Newell's rule: the decoder adds half a cell, so the Gaussian sits at u / stride - 0.5."""
    centre_shift = -0.5

    def decode_cells(self, heatmaps):
        """pose-hg-train's getPreds (1-based argmax; a map whose maximum is <= 0 gives (1, 1)) and postprocess
        (the score read at the prediction, a quarter step when 1 < p < res on both axes, then + 0.5), in
        float32; returned 0-based with the half cell added: cells [K, 2] in heatmap units (cell i spans i to
        i + 1), and scores.
        Square maps only, as the release: getPreds divides the flat index by the height."""
        k, h, w = heatmaps.shape
        assert h == w, "Newell's decode is written for square maps"
        flat = heatmaps.reshape(k, -1)
        index1, maxima = np.argmax(flat, 1) + 1, np.amax(flat, 1)
        preds = np.stack([(index1 - 1) % w + 1, np.floor((index1 - 1) / h) + 1], 1).astype(np.float32)
        preds = (preds - 1) * (maxima > 0).astype(np.float32)[:, None] + 1
        scores = np.zeros(k, dtype=np.float32)
        for j in range(k):
            m = heatmaps[j]
            px, py = int(preds[j, 0]), int(preds[j, 1])
            scores[j] = m[py - 1][px - 1]
            if 1 < px < h and 1 < py < h:
                preds[j] += np.sign(np.array([m[py - 1][px] - m[py - 1][px - 2], m[py][px - 1] - m[py - 2][px - 1]])) * 0.25
        return preds + 0.5 - 1, scores

    def decode(self, heatmaps):
        """Input pixels: transformPreds then the crop's getTransform share centre and scale, so a prediction
        p (1-based) lands at (p - 1) times input / output resolution."""
        cells, scores = self.decode_cells(heatmaps)
        return cells.astype(np.float64) * self.scale(), scores.astype(np.float64)


class Megvii(HeatmapCodec):
    """MegviiHeatmap: Gaussians from a kernel size (sigma as cv2.GaussianBlur derives it), peak 255, at
    u / stride - 0.5; decoded after a max-preserving blur with `kernel`."""
    centre_shift = -0.5
    peak = 255.0

    def __init__(self, input_size, heatmap_size, kernel=5):
        super().__init__(input_size, heatmap_size, opencv_sigma(kernel))
        self.kernel = kernel

    def encode(self, keypoints, visible, kernel=None):
        return super().encode(keypoints, visible, None if kernel is None else opencv_sigma(kernel))

    def decode(self, heatmaps):
        _, h, w = heatmaps.shape
        blurred = max_preserving_blur(heatmaps.astype(np.float32), self.kernel)
        coords, scores = heatmap_maximum(blurred)
        for j in range(len(coords)):
            px, py = int(coords[j, 0]), int(coords[j, 1])
            if 1 < px < w - 1 and 1 < py < h - 1:
                coords[j] += quarter_step(blurred[j], px, py) + 0.5
        return coords * self.scale(), scores / 255.0 + 0.5


def megvii_kernels(stages, units):
    """MSPN's coarse-to-fine supervision (Li et al. 2019, Sec. 3): units of a stage run from the coarsest
    resolution to the finest with shrinking kernels (15, 11, 9, 7); the last stage's units shift one step
    finer (11, 9, 7, 5), and its finest unit's kernel 5 is the one the Megvii decode blurs with."""
    ladder = [15, 11, 9, 7, 5]
    return [ladder[(1 if stage == stages - 1 else 0) + 4 - units:(1 if stage == stages - 1 else 0) + 4]
            for stage in range(stages)]


class Regression:
    """Coordinates normalised to the crop: encode u / input size (keypoints outside the crop get weight 0);
    decode [K, 4] (x, y, two pre-sigmoid sigmas) back to input pixels, score = mean(1 - sigmoid(sigma))."""

    def __init__(self, input_size):
        self.input_size = tuple(input_size)

    def encode(self, keypoints, visible):
        coords = np.asarray(keypoints, np.float32) / np.array(self.input_size, np.float32)
        inside = (coords >= 0).all(1) & (coords <= 1).all(1)
        return coords, (np.asarray(visible) & inside).astype(np.float32)

    def decode(self, values):
        values = np.asarray(values, np.float64)
        sigma = 1.0 / (1.0 + np.exp(-values[:, 2:4]))
        return values[:, :2] * np.array(self.input_size), (1.0 - sigma).mean(1)


assert megvii_kernels(2, 4) == [[15, 11, 9, 7], [11, 9, 7, 5]]
assert megvii_kernels(4, 4)[0] == [15, 11, 9, 7] and megvii_kernels(4, 4)[-1] == [11, 9, 7, 5]
assert math.isclose(opencv_sigma(5), 1.1)
