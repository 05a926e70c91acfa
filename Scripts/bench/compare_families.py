#!/usr/bin/env python3
"""Measures the shipped pipelines side by side and prints a Markdown table (Scripts/bench/compare-families.sh).

Per pipeline (blazepose and the five trained families): the pose model's input, decoder, parameters
(float initializers of the ONNX graph), GFLOPs per crop (2 x the multiply-adds of Conv, ConvTranspose,
MatMul and Gemm nodes at batch 1), ms per crop in ONNX Runtime at one thread
(median of RUNS runs after 5 warm-ups, one random input), frames/s of
`posepipe CLIP --pipeline NAME --threads 1` (median of FPS_RUNS runs; the whole pipeline: decoding,
detector, pose model, tracking, smoothing, output), agreement with the teacher on the held-out views
as the family's MODEL.md card measured it (the model alone, on the teacher's boxes), and end to end
(end_to_end.py: `posepipe VIEW --pipeline NAME` against `posepipe VIEW`, worst of the held-out views), and
people per frame and ids on CLIP.

Usage: compare_families.py POSEPIPE CLIP HELDOUT_DIR [NAME...]
Environment: RUNS (default 50), FPS_RUNS (default 3).
"""
import json
import os
import re
import statistics
import subprocess
import sys
import tempfile
import time

import numpy as np
import onnx
import onnxruntime as ort

import end_to_end

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
NAMES = ("blazepose", "hrnet", "hourglass", "mspn", "mca", "tfpose")
FLOAT_TYPES = {onnx.TensorProto.FLOAT, onnx.TensorProto.FLOAT16, onnx.TensorProto.DOUBLE}


def graph_counts(path):
    """(parameters, multiply-adds) at batch 1. The operand shapes are read from one ONNX Runtime run with
    every operand exposed as an output: static shape inference leaves resized and reshaped tensors unsized."""
    model = onnx.load(path)
    params = sum(int(np.prod(t.dims)) for t in model.graph.initializer if t.data_type in FLOAT_TYPES)
    params += sum(int(np.prod(a.t.dims)) for n in model.graph.node if n.op_type == "Constant"
                  for a in n.attribute if a.name == "value" and a.t.data_type in FLOAT_TYPES and len(a.t.dims) > 1)
    shapes = {t.name: list(t.dims) for t in model.graph.initializer}
    counted = [n for n in model.graph.node if n.op_type in ("Conv", "ConvTranspose", "MatMul", "Gemm")]
    wanted = {name for n in counted for name in (n.input[0], n.input[1], n.output[0]) if name not in shapes}
    existing = {o.name for o in model.graph.output}
    for name in sorted(wanted - existing):
        model.graph.output.append(onnx.helper.make_tensor_value_info(name, onnx.TensorProto.FLOAT, None))
    session = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    names = [o.name for o in session.get_outputs()]
    for name, value in zip(names, session.run(None, random_feed(session))):
        shapes[name] = list(value.shape)
    macs = 0
    for node in counted:
        out, a, b = shapes[node.output[0]], shapes[node.input[0]], shapes[node.input[1]]
        if node.op_type == "Conv":
            macs += int(np.prod(out)) * int(np.prod(b[1:]))
        elif node.op_type == "ConvTranspose":
            macs += int(np.prod(a)) * int(np.prod(b[1:]))
        elif node.op_type == "MatMul":
            macs += int(np.prod(out)) * a[-1]
        else:
            trans_a = next((x.i for x in node.attribute if x.name == "transA"), 0)
            macs += int(np.prod(out)) * (a[0] if trans_a else a[-1])
    return params, macs


def random_feed(session):
    """One random input per graph input, batch 1."""
    rng = np.random.default_rng(0)
    return {i.name: rng.standard_normal([d if isinstance(d, int) else 1 for d in i.shape]).astype(np.float32)
            for i in session.get_inputs()}


def ms_per_crop(path, runs):
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    session = ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])
    feed = random_feed(session)
    for _ in range(5):
        session.run(None, feed)
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        session.run(None, feed)
        times.append((time.perf_counter() - start) * 1000)
    shape = session.get_inputs()[0].shape
    return statistics.median(times), shape


def frames_per_second(posepipe, clip, name, runs):
    rates = []
    with tempfile.TemporaryDirectory() as scratch:
        out = os.path.join(scratch, "tracks.jsonl")
        for _ in range(runs):
            if os.path.exists(out):
                os.remove(out)
            start = time.perf_counter()
            subprocess.run([posepipe, clip, "--pipeline", name, "--threads", "1", "-o", out, "--quiet"], check=True)
            seconds = time.perf_counter() - start
            with open(out) as f:
                frames = sum(1 for _ in f) - 1      # the first line is the header
            rates.append(frames / seconds)
    return statistics.median(rates), frames


def card(name):
    """(trained, median, PCK@0.05, PCK@0.1) from Pipelines/NAME/MODEL.md, or None (blazepose: the teacher)."""
    path = os.path.join(ROOT, "Pipelines", name, "MODEL.md")
    if not os.path.exists(path):
        return None
    text = open(path).read()
    row = re.search(r"^\| all \| \d+ \| \d+ \| ([\d.]+) \| [\d.]+ \| ([\d.]+) \| ([\d.]+) \|$", text, re.M)
    trained = re.search(r"^- Trained: (\d+) steps .*?, ([\d.]+) minutes", text, re.M)
    total = re.search(r"over (\d+) steps", text)
    chosen = re.search(r"The validation view chose step (\d+)", text)
    if not row:
        return None
    steps = "?"
    if trained:
        # Cards written before validation chose checkpoints give neither the schedule's length nor a chosen step.
        steps = f"{trained.group(1)} of {total.group(1)} steps" if total else f"{trained.group(1)} steps"
        steps += f" (step {chosen.group(1)} chosen)" if chosen else ""
        steps += f", {float(trained.group(2)):.0f} min"
    return steps, row.group(1), row.group(2), row.group(3)


def main():
    posepipe, clip, heldout = sys.argv[1], sys.argv[2], sys.argv[3]
    views = sorted(os.path.join(heldout, v) for v in os.listdir(heldout) if v.endswith(".mp4"))
    scratch = tempfile.mkdtemp(prefix="compare-families-")
    names = sys.argv[4:] or [n for n in NAMES if os.path.exists(os.path.join(ROOT, "Pipelines", n, "pipeline.json"))]
    runs, fps_runs = int(os.environ.get("RUNS", 50)), int(os.environ.get("FPS_RUNS", 3))
    load_before = os.getloadavg()
    rows = []
    for name in names:
        with open(os.path.join(ROOT, "Pipelines", name, "pipeline.json")) as f:
            pose = json.load(f)["pose"]
        model = os.path.join(ROOT, "Pipelines", name, pose["model"])
        params, macs = graph_counts(model)
        ms, shape = ms_per_crop(model, runs)
        fps, frames = frames_per_second(posepipe, clip, name, fps_runs)
        dims = [d for d in shape[1:] if isinstance(d, int)]
        size = f"{dims[1]}×{dims[2]}" if pose["input"].get("layout", "NCHW") == "NCHW" else f"{dims[0]}×{dims[1]}"
        quality = card(name)
        whole = end_to_end.measure(posepipe, name, views, clip, scratch)
        print(f"{name}: {params} parameters, {2 * macs / 1e9:.3f} GFLOPs, "
              f"{ms:.2f} ms/crop, {fps:.2f} frames/s over {frames} frames; end to end {json.dumps(whole)}",
              file=sys.stderr, flush=True)
        rows.append((name, size, pose["codec"]["type"], params, 2 * macs / 1e9, ms, fps,
                     quality, whole))
    load_after = os.getloadavg()
    print(f"Measured {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())} on {os.cpu_count()} cores; "
          f"load average {load_before[0]:.1f} before, {load_after[0]:.1f} after; ONNX Runtime {ort.__version__}; "
          f"ms per crop: median of {runs}, frames/s: median of {fps_runs} runs on {os.path.basename(clip)}.")
    print()
    print("| pipeline | input (h×w) | decoder | parameters | GFLOPs a crop | ms a crop (1 thread) | "
          "frames/s (1 thread) | trained | model alone: median error / box, PCK@0.05, PCK@0.1 | "
          "end to end, worst view: PCK@0.05, PCK@0.1 | people a frame (ids) |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for name, size, decoder, params, gflops, ms, fps, quality, whole in rows:
        trained, median, pck05, pck10 = quality or ("— (the teacher)", "—", "—", "—")
        worst = whole["worst"]
        print(f"| {name} | {size} | `{decoder}` | {params / 1e6:.2f} M | {gflops:.2f} | {ms:.1f} | {fps:.1f} | {trained} | "
              f"{median}, {pck05}, {pck10} | {worst['pck05']:.3f}, {worst['pck10']:.3f} | "
              f"{whole['crowd']['per_frame']:.2f} ({whole['crowd']['ids']}) |")


if __name__ == "__main__":
    main()
