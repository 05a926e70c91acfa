"""EfficientDet-Lite0 as posepipe ships it: where the model comes from, its interface, and the changes made to
tf2onnx's graph of it (each function's docstring says why). Used by convert_efficientdet.py.
"""
import copy
import re

import numpy as np
from onnx import TensorProto, helper, numpy_helper, shape_inference

from tflite_conversion import canonicalize_names, finished, tflite_to_onnx

SIZE = 320               # the model's square input side
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
    model = explicit_resize_sizes(tflite_to_onnx(tflite_bytes, work_dir))
    model = expose_candidates(pad_selected(float_input(model)))
    del model.graph.value_info[:]
    model = canonicalize_suffixes(canonicalize_names(model))
    return finished(model, f"EfficientDet-Lite0 (google/automl), converted from {TFLITE_PATH} in PyPI "
                           f"NVRChannel==0.1.5 (sha256 {TFLITE_SHA256}); Apache-2.0, see LICENSE")
