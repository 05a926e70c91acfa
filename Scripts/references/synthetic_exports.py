#!/usr/bin/env python3
"""Builds small ONNX graphs in the export conventions of the RTMPose family and Ultralytics YOLO-pose, whose
outputs this script sets, into Fixtures/models/ (no trained weights: none of these models' real weights can be
fetched here, and Ultralytics' are AGPL-3.0 and never committed).

  rtmpose-synthetic.onnx      input `input` [1,3,256,192] -> `simcc_x` [1,17,384], `simcc_y` [1,17,512]
  rtmpose-halpe26-synthetic.onnx  the same with 26 keypoints (HALPE-26, Sports2D's body_with_feet)
  yolox-e2e-synthetic.onnx    input `input` [1,3,640,640] -> `dets` [1,4,5], `labels` [1,4] (mmdeploy end2end)
  yolox-grid-synthetic.onnx   input `images` [1,3,416,416] -> `output` [1,3549,6] (YOLOX's raw grid, 1 class)
  rtmdet-e2e-synthetic.onnx   input `input` [1,3,640,640] -> `dets` [1,3,5], `labels` [1,3]
  rtmo-synthetic.onnx         input `input` [1,3,640,640] -> `dets` [1,4,5], `keypoints` [1,4,17,3]
  yolo-pose-synthetic.onnx    input `images` [1,3,640,640] -> `output0` [1,56,8400] (yolo export format=onnx)

Each output is a constant, plus for YOLO-pose a term proportional to the mean input value (so people move with
the picture's brightness from frame to frame and tracking has something to follow); each graph reads its input.
Run by Scripts/references/rtmlib-references.sh (its venv has onnx); deterministic (seeded).
"""
import os

import numpy as np
import onnx
from onnx import TensorProto, helper, numpy_helper

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "Fixtures", "models")
rng = np.random.default_rng(20261206)


def save(name, nodes, inputs, outputs, initializers):
    graph = helper.make_graph(nodes, name, inputs, outputs, initializers)
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid("", 13)], producer_name="posepipe-synthetic")
    model.ir_version = 8
    onnx.checker.check_model(model)
    onnx.save(model, os.path.join(OUT, name + ".onnx"))


def image_input(name, h, w):
    return helper.make_tensor_value_info(name, TensorProto.FLOAT, [1, 3, h, w])


def mean_of(input_name):
    """Nodes giving `m` [1]: the input's mean value (so the graph reads its input)."""
    return [helper.make_node("ReduceMean", [input_name], ["m4"], keepdims=1),
            helper.make_node("Reshape", ["m4", "shape1"], ["m"])], [numpy_helper.from_array(np.array([1], np.int64), "shape1")]


def constant_outputs(input_name, h, w, outputs, name):
    """Each output = its constant + 0 * mean(input)."""
    nodes, inits = mean_of(input_name)
    nodes.append(helper.make_node("Mul", ["m", "zero"], ["nothing"]))
    inits.append(numpy_helper.from_array(np.zeros([1], np.float32), "zero"))
    infos = []
    for out_name, value in outputs:
        if value.dtype == np.float32:
            inits.append(numpy_helper.from_array(value, out_name + "_const"))
            nodes.append(helper.make_node("Add", [out_name + "_const", "nothing"], [out_name]))
            infos.append(helper.make_tensor_value_info(out_name, TensorProto.FLOAT, list(value.shape)))
        else:
            inits.append(numpy_helper.from_array(value, out_name + "_const"))
            nodes.append(helper.make_node("Identity", [out_name + "_const"], [out_name]))
            infos.append(helper.make_tensor_value_info(out_name, TensorProto.INT64, list(value.shape)))
    save(name, nodes, [image_input(input_name, h, w)], infos, inits)


def simcc_vectors(k, bins, peaks):
    """Smooth bumps at the given (sub-bin) peaks, a little noise, one keypoint scored below zero."""
    x = np.arange(bins, dtype=np.float32)
    v = np.stack([np.exp(-((x - p) ** 2) / (2 * 6.0 ** 2)) * (0.95 - 0.02 * i) for i, p in enumerate(peaks)])
    v = v + rng.normal(0, 0.003, v.shape)
    v[k - 1] -= 2.0  # the last keypoint's maxima are negative: rtmlib and MMPose put it at -1
    return v[None].astype(np.float32)


def rtmpose(name, k):
    xs = rng.uniform(20, 364, k)
    ys = rng.uniform(20, 492, k)
    constant_outputs("input", 256, 192, [("simcc_x", simcc_vectors(k, 384, xs)), ("simcc_y", simcc_vectors(k, 512, ys))], name)


def yolox_grid():
    size, strides = 416, [8, 16, 32]
    cells = sum((size // s) ** 2 for s in strides)
    grid = np.zeros((1, cells, 6), np.float32)
    grid[0, :, 4] = 0.01  # objectness
    grid[0, :, 5] = 0.5
    # Two people as clusters of neighbouring cells at stride 16 and one weak one; exact values are set here.
    offset = (size // 8) ** 2
    side16 = size // 16
    for (gx, gy, w, h, obj) in ((5, 10, 60, 150, 0.95), (6, 10, 62, 148, 0.9), (5, 11, 58, 152, 0.85),
                                (17, 12, 50, 120, 0.93), (17, 13, 52, 118, 0.8), (20, 3, 20, 40, 0.6)):
        i = offset + gy * side16 + gx
        grid[0, i, :4] = [0.4, 0.3, np.log(w / 16.0), np.log(h / 16.0)]
        grid[0, i, 4] = obj
        grid[0, i, 5] = 0.98
    constant_outputs("images", size, size, [("output", grid)], "yolox-grid-synthetic")


def dets(rows):
    d = np.array(rows, np.float32)[None]
    return d, np.zeros(d.shape[:2], np.int64)


def yolo_pose():
    anchors, k = 8400, 17
    people = [  # centre, size in the 640 input, score; keypoints laid out in the box
        ((200.0, 330.0), (120.0, 300.0), 0.92),
        ((430.0, 340.0), (110.0, 280.0), 0.81),
    ]
    rows = []  # (row, anchor, value, brightness coefficient)
    anchor = 1000
    template = rng.uniform(-0.4, 0.4, (k, 2))
    for p, ((cx, cy), (w, h), score) in enumerate(people):
        for copy in range(3):  # near-duplicate anchors that NMS must merge
            a = anchor + 37 * copy
            dx = 2.0 * copy
            s = score - 0.05 * copy
            rows += [(0, a, cx + dx, 0.6), (1, a, cy, 0.0), (2, a, w, 0.0), (3, a, h, 0.0), (4, a, s, 0.0)]
            for j in range(k):
                rows += [(5 + 3 * j, a, cx + dx + template[j, 0] * w, 0.6), (6 + 3 * j, a, cy + template[j, 1] * h, 0.0),
                         (7 + 3 * j, a, 0.9 - 0.04 * j if j != 3 else 0.2, 0.0)]
        anchor += 2000
    rows.append((4, 7000, 0.1, 0.0))  # below the score threshold
    indices = np.array([[0, r, a] for r, a, _, _ in rows], np.int64)
    base = np.array([v for _, _, v, _ in rows], np.float32)
    coeff = np.array([c for _, _, _, c in rows], np.float32)
    nodes, inits = mean_of("images")
    nodes += [helper.make_node("Mul", ["m", "coeff"], ["moved"]), helper.make_node("Add", ["base", "moved"], ["updates"]),
              helper.make_node("ScatterND", ["zeros", "indices", "updates"], ["output0"])]
    inits += [numpy_helper.from_array(coeff, "coeff"), numpy_helper.from_array(base, "base"),
              numpy_helper.from_array(indices, "indices"),
              numpy_helper.from_array(np.array([1, 5 + 3 * k, anchors], np.int64), "full_shape")]
    nodes.insert(0, helper.make_node("ConstantOfShape", ["full_shape"], ["zeros"],
                                     value=numpy_helper.from_array(np.zeros([1], np.float32))))
    save("yolo-pose-synthetic", nodes, [image_input("images", 640, 640)],
         [helper.make_tensor_value_info("output0", TensorProto.FLOAT, [1, 5 + 3 * k, anchors])], inits)


def rtmo():
    boxes = np.array([[100, 120, 220, 430, 0.93], [104, 118, 224, 428, 0.88], [330, 150, 440, 460, 0.85],
                      [500, 100, 560, 200, 0.4]], np.float32)
    keypoints = np.zeros((4, 17, 3), np.float32)
    for i, b in enumerate(boxes):
        keypoints[i, :, 0] = rng.uniform(b[0], b[2], 17)
        keypoints[i, :, 1] = rng.uniform(b[1], b[3], 17)
        keypoints[i, :, 2] = rng.uniform(0.1, 1.0, 17)
    constant_outputs("input", 640, 640, [("dets", boxes[None]), ("keypoints", keypoints[None])], "rtmo-synthetic")


def main():
    os.makedirs(OUT, exist_ok=True)
    rtmpose("rtmpose-synthetic", 17)
    rtmpose("rtmpose-halpe26-synthetic", 26)
    d, labels = dets([[60.5, 40.25, 250.75, 600.5, 0.91], [330.0, 80.0, 470.5, 610.0, 0.77], [10, 10, 40, 60, 0.2],
                      [500, 500, 520, 540, 0.29]])
    constant_outputs("input", 640, 640, [("dets", d), ("labels", labels)], "yolox-e2e-synthetic")
    d, labels = dets([[80.0, 60.0, 240.0, 590.0, 0.66], [300.25, 90.5, 460.0, 600.0, 0.31], [1, 1, 5, 5, 0.3]])
    constant_outputs("input", 640, 640, [("dets", d), ("labels", labels)], "rtmdet-e2e-synthetic")
    yolox_grid()
    rtmo()
    yolo_pose()
    for f in sorted(os.listdir(OUT)):
        print(f, os.path.getsize(os.path.join(OUT, f)))


if __name__ == "__main__":
    main()
