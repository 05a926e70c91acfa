"""What int8 quantisation needs to know of each model posepipe ships: its input, its normalisation and how its
outputs become keypoints, read from the pipeline description so that a retrained model is handled as it is.

A `Model` turns real crops (int8_crops.Crop) into the model's input tensors and its outputs into keypoints in
input pixels, so float and int8 can be compared where posepipe reads them.
"""
import json
import os
import sys
from dataclasses import dataclass

import numpy as np
import onnx

ROOT = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", ".."))
sys.path.insert(0, os.path.join(ROOT, "Scripts", "lib"))
import keypoint_codecs as codecs  # noqa: E402

BLAZEPOSE_KEYPOINTS = 33
ALIGNMENT_ROWS = (33, 34)
CLEAR = 0.5  # posepipe's clear_score for BlazePose: keypoints below it are guesses


@dataclass
class Model:
    role: str               # "pose" or "detector"
    path: str               # the float ONNX file
    input_name: str
    layout: str             # NHWC or NCHW
    size: tuple             # (width, height)
    mean: np.ndarray
    std: np.ndarray
    codec: dict             # the pipeline's codec (pose) or {"type": "blazepose-detector"}
    crops: str              # which crops feed it: "detector", "landmark" or "box"
    outputs: list
    clear: float = 0.5      # the pipeline's clear_score: keypoints the float model scores lower are guesses

    def tensor(self, crops):
        """uint8 RGB crops -> the model's float input, normalised as posepipe does."""
        x = (np.stack([c.image for c in crops]).astype(np.float32) - self.mean) / self.std
        return np.ascontiguousarray(x.transpose(0, 3, 1, 2) if self.layout == "NCHW" else x)

    def keypoints(self, outputs):
        """Per crop of a batch: keypoints [K, 2] in input pixels, and which of them count: those the model scores
    clear (the float model's call when comparing)."""
        named = dict(zip(self.outputs, outputs))
        kind = self.codec["type"]
        if kind == "blazepose-detector":
            return detector_points(named)
        if kind == "mediapipe":
            return mediapipe_points(named, self.codec, self.size)
        return [(coords, scores >= self.clear) for coords, scores in family_points(named, self.codec, self.size)]


def normalisation(spec):
    """(mean, std) per channel on 0-255 values for a pipeline's input description."""
    if "mean" in spec:
        return np.array(spec["mean"], np.float32), np.array(spec["std"], np.float32)
    lo, hi = spec.get("range", [0, 1])
    return np.full(3, -lo * 255 / (hi - lo), np.float32), np.full(3, 255 / (hi - lo), np.float32)


def onnx_io(path):
    model = onnx.load(path, load_external_data=False)
    dims = [d.dim_value for d in model.graph.input[0].type.tensor_type.shape.dim]
    return model.graph.input[0].name, dims, [o.name for o in model.graph.output]


def pose_model(pipeline_dir):
    """The pose model a pipeline folder describes."""
    with open(os.path.join(pipeline_dir, "pipeline.json")) as f:
        description = json.load(f)
    pose = description["pose"]
    path = os.path.join(pipeline_dir, pose["model"])
    name, dims, outputs = onnx_io(path)
    spec = pose["input"]
    layout = spec.get("layout", "NCHW")
    h, w = (dims[1], dims[2]) if layout == "NHWC" else (dims[2], dims[3])
    mean, std = normalisation(spec)
    crops = "landmark" if pose["crop"]["type"] == "aligned" else "box"
    return Model("pose", path, name, layout, (w, h), mean, std, pose["codec"], crops, outputs,
                 pose.get("clear_score", description.get("clear_score", 0.5)))


def detector_model(detector_json):
    with open(detector_json) as f:
        spec = json.load(f)
    path = os.path.normpath(os.path.join(os.path.dirname(detector_json), spec["model"]))
    name, dims, outputs = onnx_io(path)
    mean, std = normalisation(spec["input"])
    return Model("detector", path, name, "NHWC", (dims[2], dims[1]), mean, std, {"type": "blazepose-detector"},
                 "detector", outputs)


def sigmoid(x):
    return 1 / (1 + np.exp(-np.clip(np.asarray(x, np.float64), -80, 80)))


def mediapipe_points(named, codec, size):
    """BlazePose's keypoints as posepipe decodes them: the regression rows refined by the heatmaps
    (MediaPipeHeatmapCodec: kernel-sized window at the regressed cell, sigmoid-weighted mean when its top
    confidence >= 0.5), plus the alignment rows that place the next frame's crop. Every crop counts whose
    presence flag is >= 0.5."""
    rows = named["Identity"].reshape(len(named["Identity"]), -1, 5)
    maps = named[codec["output"]]  # NHWC
    kernel = codec.get("kernel", 7)
    out = []
    for r, m, flag in zip(rows, maps, named["Identity_1"].ravel()):
        points = r[:, :2].astype(np.float64).copy()
        scores = np.zeros(len(points))
        h, w, channels = m.shape
        for k in range(min(BLAZEPOSE_KEYPOINTS, channels)):
            col, row = int(np.float32(points[k, 0] / size[0] * w)), int(np.float32(points[k, 1] / size[1] * h))
            if not (0 <= col < w and 0 <= row < h):
                continue
            y0, y1, x0, x1 = max(0, row - kernel // 2), min(h, row + kernel // 2 + 1), max(0, col - kernel // 2), min(w, col + kernel // 2 + 1)
            c = sigmoid(m[y0:y1, x0:x1, k])
            scores[k] = c.max()
            if c.max() >= 0.5 and c.sum() > 0:
                ys, xs = np.mgrid[y0:y1, x0:x1]
                points[k] = ((xs * c).sum() / c.sum() / w * size[0], (ys * c).sum() / c.sum() / h * size[1])
        keep = [*range(BLAZEPOSE_KEYPOINTS), *ALIGNMENT_ROWS]
        clear = np.concatenate([scores[:BLAZEPOSE_KEYPOINTS] >= CLEAR, np.ones(len(ALIGNMENT_ROWS), bool)])
        out.append((points[keep], clear & (flag >= 0.5)))
    return out


def family_points(named, codec, size):
    """A trained family's keypoints and scores through the one Python copy of its codec
    (Scripts/lib/keypoint_codecs.py)."""
    kind = codec["type"]
    if kind == "regression":
        values = named[codec["output"]]
        decoder = codecs.Regression(size)
        return [decoder.decode(v) for v in values]
    maps = named[codec.get("output", list(named)[-1])]
    heat = (maps.shape[3], maps.shape[2])
    decoder = {"msra": lambda: codecs.MSRA(size, heat), "newell": lambda: codecs.Newell(size, heat),
               "megvii": lambda: codecs.Megvii(size, heat, codec.get("kernel", 5))}[kind]()
    return [decoder.decode(m.astype(np.float32)) for m in maps]


def detector_points(named):
    """The detector's box corners and alignment points of the anchors scored >= 0.5 (224-px input units);
    which anchors count is the float model's call."""
    raw, logits = named["Identity"], named["Identity_1"]
    out = []
    for r, s in zip(raw, logits):
        centre = r[:, :2]
        corners = np.concatenate([centre - r[:, 2:4] / 2, centre + r[:, 2:4] / 2, r[:, 4:8]], axis=1)
        out.append((corners.reshape(len(r), -1, 2), sigmoid(s[:, 0]) >= 0.5))
    return out
