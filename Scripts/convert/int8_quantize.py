"""Static int8 quantisation of one ONNX model, with the operators where error concentrates kept in float.

QDQ format, per-channel int8 weights, uint8 activations whose ranges come from real crops (int8_crops.py),
calibrated once (MinMax) and reused for every trial. The error is measured where posepipe reads the outputs:
keypoints decoded by int8_models.Model on held-out crops, in frame pixels. Where it comes from is measured by
layers: each block of consecutive nodes quantised alone (the rest float) gives the keypoint error it causes.
The search keeps in float the heads (the nodes writing the outputs), then the most sensitive blocks one by
one, until the keypoints agree or half the blocks are float.
"""
import os
import statistics
import time

import numpy as np
import onnx
import onnx.version_converter
import onnxruntime as ort
from onnxruntime.quantization import (CalibrationDataReader, CalibrationMethod, QuantFormat, QuantType,
                                      quantize_static)
from onnxruntime.quantization.shape_inference import quant_pre_process

MEDIAN_PX, P95_PX = 0.5, 3.0   # agreement with float in frame pixels (issue 21)
BLOCKS = 8                     # the graph's nodes in this many runs of consecutive nodes, for the layer measure
TIMING_CROPS = 30


def session(path_or_bytes, threads=1):
    options = ort.SessionOptions()
    options.intra_op_num_threads = threads
    options.inter_op_num_threads = 1
    options.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(path_or_bytes, options, providers=["CPUExecutionProvider"])


class Reader(CalibrationDataReader):
    def __init__(self, model, crops, batch=1):
        self.items = [{model.input_name: model.tensor(crops[i:i + batch])} for i in range(0, len(crops), batch)]
        self.iterator = iter(self.items)

    def get_next(self):
        return next(self.iterator, None)


def run(sess, model, crops, batch=8):
    """Keypoints for every crop, in crop order (batched: a crop's result does not depend on the others)."""
    points = []
    for i in range(0, len(crops), batch):
        points += model.keypoints(sess.run(model.outputs, {model.input_name: model.tensor(crops[i:i + batch])}))
    return points


def distances(crops, float_points, quant_points, clips=None):
    """|int8 - float| per counted keypoint in frame pixels (and in input pixels), over the crops of `clips`
    (all when None)."""
    frame, inputs = [], []
    for crop, (fp, mask), (qp, _) in zip(crops, float_points, quant_points):
        if clips is not None and crop.clip not in clips:
            continue
        d = np.linalg.norm(np.asarray(qp, np.float64) - np.asarray(fp, np.float64), axis=-1)
        d = d[mask] if np.ndim(mask) else (d if mask else d[:0])
        d = d[np.isfinite(d)].ravel()
        inputs.append(d)
        frame.append(d * crop.frame_px)
    if not frame or not sum(map(len, frame)):
        return None
    frame, inputs = np.concatenate(frame), np.concatenate(inputs)
    return {"median_px": float(np.median(frame)), "p95_px": float(np.percentile(frame, 95)),
            "max_px": float(frame.max()), "median_input_px": float(np.median(inputs)),
            "p95_input_px": float(np.percentile(inputs, 95)), "keypoints": int(len(frame))}


def holds(agreement):
    return agreement is not None and agreement["median_px"] <= MEDIAN_PX and agreement["p95_px"] <= P95_PX


def head_nodes(graph):
    """The nodes that write the graph's outputs, back through shape-only ops to the last weighted op of each."""
    shape_only = {"Reshape", "Transpose", "Identity", "Squeeze", "Unsqueeze", "Flatten", "Concat", "Sigmoid"}
    by_output = {out: node for node in graph.node for out in node.output}
    heads, todo = [], [o.name for o in graph.output]
    while todo:
        node = by_output.get(todo.pop())
        if node is None or node.name in heads:
            continue
        heads.append(node.name)
        if node.op_type in shape_only:
            todo += list(node.input)
    return heads


class Quantiser:
    """One model's quantisation: calibrated once, then re-quantised with more nodes in float until it agrees."""

    def __init__(self, model, calibration, held_out, work, gate_clips=None):
        self.model, self.calibration, self.held_out, self.work = model, calibration, held_out, work
        self.gate_clips = gate_clips
        source = onnx.load(model.path)
        if source.opset_import[0].version < 13:  # per-channel DequantizeLinear takes `axis` from opset 13
            source = onnx.version_converter.convert_version(source, 13)
        upgraded, self.prepared = os.path.join(work, "opset13.onnx"), os.path.join(work, "prepared.onnx")
        onnx.save(source, upgraded)
        quant_pre_process(upgraded, self.prepared, skip_symbolic_shape=True)
        self.cache = os.path.join(work, "ranges.json")
        if os.path.exists(self.cache):
            os.remove(self.cache)
        self.float_points = run(session(self.prepared), model, held_out)
        graph = onnx.load(self.prepared).graph
        self.order = [node.name for node in graph.node]
        self.heads = head_nodes(graph)

    def quantise(self, excluded, path):
        """Quantises with `excluded` nodes in float; agreement on the held-out crops of the gate's clips."""
        quantize_static(self.prepared, path, Reader(self.model, self.calibration), quant_format=QuantFormat.QDQ,
                        activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8, per_channel=True,
                        calibrate_method=CalibrationMethod.MinMax, nodes_to_exclude=list(excluded),
                        extra_options={"CalibTensorRangeSymmetric": False}, calibration_cache_path=self.cache)
        self.last_points = run(session(path), self.model, self.held_out)
        return distances(self.held_out, self.float_points, self.last_points, self.gate_clips)

    def block_sensitivity(self):
        """Each block of consecutive nodes quantised alone (the rest float): the keypoint error it causes."""
        nodes = [n for n in self.order if n not in self.heads]
        size = -(-len(nodes) // BLOCKS)
        rows = []
        for start in range(0, len(nodes), size):
            inside = set(nodes[start:start + size])
            agreement = self.quantise([n for n in self.order if n not in inside], os.path.join(self.work, "block.onnx"))
            rows.append((nodes[start:start + size], agreement))
        return rows

    def search(self):
        """All int8; then the heads in float; then the most sensitive blocks in float one by one, while at most
        half the blocks are float. Returns the trials [(excluded, agreement, path)], the block measure and the
        index of the first trial that agrees (None when none does)."""
        def trial(excluded):
            path = os.path.join(self.work, f"int8.{len(trials)}.onnx")
            trials.append((list(excluded), self.quantise(excluded, path), path))
            return holds(trials[-1][1])

        trials, blocks = [], []
        if not trial([]) and not trial(self.heads):
            blocks = self.block_sensitivity()
            excluded = list(self.heads)
            for block, _ in sorted(blocks, key=lambda b: -(b[1]["p95_px"] if b[1] else 0))[:BLOCKS // 2]:
                excluded += block
                if trial(excluded):
                    break
        chosen = next((k for k, t in enumerate(trials) if holds(t[1])), None)
        return trials, blocks, chosen


def speed(model, float_path, int8_path, crops):
    """ms per crop at batch 1, one thread, float and int8 interleaved (medians)."""
    sessions = {"float": session(float_path), "int8": session(int8_path)}
    times = {k: [] for k in sessions}
    inputs = [{model.input_name: model.tensor([c])} for c in crops[:TIMING_CROPS]]
    for x in inputs * 2:
        for k, sess in sessions.items():
            began = time.perf_counter()
            sess.run(model.outputs, x)
            times[k].append((time.perf_counter() - began) * 1000)
    return {k: statistics.median(v) for k, v in times.items()}
