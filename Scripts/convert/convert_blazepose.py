#!/usr/bin/env python3
"""Convert MediaPipe's BlazePose .tflite models (from the mediapipe wheel) to ONNX.

The wheel carries the detector and the full landmark model only: MediaPipe fetches the lite and heavy
landmark models from its own storage at run time, so they cannot be converted from here.

Run through Scripts/convert/convert-blazepose.sh, which provides the pinned venv and the wheel.
Usage: convert_blazepose.py WHEEL OUT_DIR FIXTURES_DIR
"""
import math
import os
import sys
import tempfile
import zipfile

import numpy as np
import onnx.utils
import tensorflow as tf
from onnx import numpy_helper
from tensorflow.lite.python import schema_py_generated as schema
from tensorflow.lite.tools import flatbuffer_utils

from tflite_conversion import (OPSET, canonicalize_names, decode_frames, finished, interface, interface_lines, pinned,
                               recipe, session, sha256, test_inputs, tflite_to_onnx, write)

TOLERANCE = 1e-2        # max abs diff ONNX vs TFLite; outputs are pixels (0..256) or logits
BATCH_TOLERANCE = 1e-4  # batch-4 run vs four batch-1 runs of the same ONNX model
BATCH_DIM = "batch"

# Pinned so that a different wheel build (another platform, a re-upload) can't silently
# change the weights we ship: the ONNX files are only meaningful relative to these.
MODELS = {
    "pose_detection": dict(
        path="mediapipe/modules/pose_detection/pose_detection.tflite",
        sha256="9ba9dd3d42efaaba86b4ff0122b06f29c4122e756b329d89dca1e297fd8f866c",
        input_range=(-1.0, 1.0), real="frames"),
    "pose_landmark_full": dict(
        path="mediapipe/modules/pose_landmark/pose_landmark_full.tflite",
        sha256="e9a5c5cb17f736fafd4c2ec1da3b3d331d6edbe8a0d32395855aeb2cdfd64b9f",
        input_range=(0.0, 1.0), real="crops",
        # Only what posepipe reads: landmarks, pose flag, heatmaps. ONNX Runtime runs every node of a
        # graph whatever outputs a caller asks for, and the segmentation mask's decoder and the world
        # landmarks were half of this model's time (19.1 -> 9.3 ms a crop, one thread).
        outputs=("Identity", "Identity_1", "Identity_3")),
}

# Real footage for the check: frames of the tuning fixtures (never pose2sim's evaluation views). The
# detector sees each frame letterboxed and its left and right squares; every person it finds there
# is cut out the way MediaPipe crops for the landmark models.
REAL_FRAMES = {"sports2d_demo.mp4": [30, 90, 150, 210], "pose2sim_multiperson_cam02.mp4": [10, 40],
               "vtest_pedestrians.mp4": [20]}
DETECTOR_SIDE, LANDMARK_SIDE = 224, 256
MIN_REAL_CROPS = 8


def densify(tflite_bytes, work_dir):
    """Return a copy of the model with every DENSIFY op replaced by a dense constant.

    The detector stores 38 fp16 conv weights sparsity-encoded behind DENSIFY ops; tf2onnx
    has no DENSIFY handler and also crashes decoding the sparse buffers as dense constants.
    Rather than re-implementing the TFLite sparsity format, let the interpreter densify them
    (preserve_all_tensors keeps the op outputs readable) and bake the result into the graph.
    """
    src = os.path.join(work_dir, "sparse.tflite")
    with open(src, "wb") as f:
        f.write(tflite_bytes)
    model = flatbuffer_utils.read_model(src)
    graph = model.subgraphs[0]
    codes = [max(c.builtinCode, c.deprecatedBuiltinCode) for c in model.operatorCodes]
    is_densify = [codes[op.opcodeIndex] == schema.BuiltinOperator.DENSIFY for op in graph.operators]
    if not any(is_densify):
        return tflite_bytes, 0
    interp = tf.lite.Interpreter(model_path=src, experimental_preserve_all_tensors=True)
    interp.allocate_tensors()
    interp.invoke()
    for op, dens in zip(graph.operators, is_densify):
        if not dens:
            continue
        sparse, dense = graph.tensors[op.inputs[0]], graph.tensors[op.outputs[0]]
        model.buffers[dense.buffer].data = np.frombuffer(interp.get_tensor(op.outputs[0]).tobytes(), np.uint8)
        # The orphaned sparse tensor must lose its data too: tf2onnx emits a Const for
        # every tensor that has a buffer, even unused ones, and that is where it crashes.
        model.buffers[sparse.buffer].data = None
        sparse.buffer, sparse.sparsity = 0, None
    graph.operators = [op for op, dens in zip(graph.operators, is_densify) if not dens]
    dst = os.path.join(work_dir, "dense.tflite")
    flatbuffer_utils.write_model(model, dst)
    with open(dst, "rb") as f:
        return f.read(), sum(is_densify)


def make_batch_dynamic(model):
    """Give inputs/outputs a symbolic batch dim so callers can run N crops per call.

    tf2onnx bakes the TFLite batch of 1 into Reshape targets ([1,117], [1,-1,12], ...);
    a leading 0 in an ONNX Reshape target means "copy that dim from the input" instead.
    All other ops in these two graphs (Conv, Pad, Resize-by-scales, DepthToSpace, Concat
    on axis 1, Transpose) are batch-agnostic; verify() checks the result numerically.
    """
    g = model.graph
    inits = {t.name: t for t in g.initializer}
    for node in g.node:
        if node.op_type == "Reshape" and node.input[1] in inits:
            shape = numpy_helper.to_array(inits[node.input[1]]).copy()
            if shape[0] == 1:
                shape[0] = 0
                inits[node.input[1]].CopyFrom(numpy_helper.from_array(shape, node.input[1]))
    for vi in list(g.input) + list(g.output):
        vi.type.tensor_type.shape.dim[0].dim_param = BATCH_DIM
    del g.value_info[:]  # stale batch-1 intermediate shapes would contradict the new dim
    return model


def convert(name, tflite_bytes, work_dir):
    dense_bytes, n_densify = densify(tflite_bytes, work_dir)
    model = make_batch_dynamic(tflite_to_onnx(dense_bytes, work_dir))
    if "outputs" in MODELS[name]:
        model = onnx.utils.Extractor(model).extract_model([i.name for i in model.graph.input],
                                                          list(MODELS[name]["outputs"]))
    model = canonicalize_names(model)
    doc = f"MediaPipe BlazePose {name}, converted from {MODELS[name]['path']} " \
          f"(sha256 {MODELS[name]['sha256']}); Apache-2.0, see LICENSE"
    return finished(model, doc), n_densify


def warp(frame, center, size, rotation, side):
    """A side x side square of the frame: `size` px wide around `center`, turned by `rotation` radians
    (MediaPipe's rotated rect, clockwise on screen), bilinear, black outside; float RGB in [0, 1]."""
    t = (np.arange(side) + 0.5) / side - 0.5
    dx, dy = np.meshgrid(t * size, t * size)
    c, s = math.cos(rotation), math.sin(rotation)
    x = center[0] + c * dx - s * dy - 0.5
    y = center[1] + s * dx + c * dy - 0.5
    x0, y0 = np.floor(x).astype(int), np.floor(y).astype(int)
    fx, fy = (x - x0)[..., None], (y - y0)[..., None]
    h, w = frame.shape[:2]

    def at(yy, xx):
        inside = ((xx >= 0) & (xx < w) & (yy >= 0) & (yy < h))[..., None]
        return np.where(inside, frame[np.clip(yy, 0, h - 1), np.clip(xx, 0, w - 1)], 0).astype(np.float64)
    top = at(y0, x0) * (1 - fx) + at(y0, x0 + 1) * fx
    bottom = at(y0 + 1, x0) * (1 - fx) + at(y0 + 1, x0 + 1) * fx
    return (top * (1 - fy) + bottom * fy) / 255.0


def detector_anchors():
    """MediaPipe's SSD anchors for the pose detector (strides 8, 16, 32 x3; 2, 2 and 6 anchors a cell)."""
    anchors = []
    for stride, per_cell in ((8, 2), (16, 2), (32, 6)):
        cells = DETECTOR_SIDE // stride
        for y in range(cells):
            for x in range(cells):
                anchors += [((x + 0.5) / cells, (y + 0.5) / cells)] * per_cell
    return np.array(anchors)


def find_people(interp, square, center, size):
    """Crop squares (centre, side, rotation) in frame pixels for the people the TFLite detector finds in
    one square of the frame: MediaPipe's alignment rule (hip centre, twice its distance to the point above
    the head, turned upright), scaled 1.25. Greedy non-maximum suppression at IoU 0.3."""
    inp, outs = interp.get_input_details()[0], interp.get_output_details()
    interp.set_tensor(inp["index"], (square[None] * 2 - 1).astype(np.float32))
    interp.invoke()
    by_name = {d["name"]: interp.get_tensor(d["index"])[0] for d in outs}
    raw, scores = by_name["Identity"], 1 / (1 + np.exp(-np.clip(by_name["Identity_1"][:, 0].astype(np.float64), -100, 100)))
    anchors = detector_anchors()
    kept = []
    for i in np.argsort(-scores):
        if scores[i] < 0.5:
            break
        cx, cy = raw[i, :2] / DETECTOR_SIDE + anchors[i]
        bw, bh = raw[i, 2:4] / DETECTOR_SIDE
        box = (cx - bw / 2, cy - bh / 2, cx + bw / 2, cy + bh / 2)
        if any(iou(box, other) > 0.3 for other, _ in kept):
            continue
        points = raw[i, 4:8].reshape(2, 2) / DETECTOR_SIDE + anchors[i]
        kept.append((box, points))
    people = []
    for _, points in kept:
        (hx, hy), (tx, ty) = (np.asarray(center) + (p - 0.5) * size for p in points)
        rotation = math.pi / 2 - math.atan2(-(ty - hy), tx - hx)
        people.append(((hx, hy), 1.25 * 2 * math.hypot(tx - hx, ty - hy), rotation))
    return people


def iou(a, b):
    ix = max(0.0, min(a[2], b[2]) - max(a[0], b[0]))
    iy = max(0.0, min(a[3], b[3]) - max(a[1], b[1]))
    inter = ix * iy
    union = (a[2] - a[0]) * (a[3] - a[1]) + (b[2] - b[0]) * (b[3] - b[1]) - inter
    return inter / union if union > 0 else 0.0


def real_inputs(detector_tflite, fixtures):
    """Real detector inputs (letterboxed frames and their squares) and real landmark crops."""
    interp = tf.lite.Interpreter(model_content=detector_tflite)
    interp.allocate_tensors()
    squares, crops = [], []
    for clip, indices in REAL_FRAMES.items():
        for frame in decode_frames(os.path.join(fixtures, clip), indices):
            h, w = frame.shape[:2]
            short = min(w, h)
            views = [((w / 2, h / 2), max(w, h)), ((short / 2, short / 2), short), ((w - short / 2, h - short / 2), short)]
            for center, size in views:
                square = warp(frame, center, size, 0.0, DETECTOR_SIDE)
                squares.append(square)
                for person in find_people(interp, square, center, size):
                    crops.append(warp(frame, *person, LANDMARK_SIDE))
    if len(crops) < MIN_REAL_CROPS:
        sys.exit(f"only {len(crops)} people found on the fixtures' frames; expected at least {MIN_REAL_CROPS}")
    as_inputs = lambda images, lo, hi: [(lo + (hi - lo) * im)[None].astype(np.float32) for im in images]
    return {"frames": as_inputs(squares, -1.0, 1.0), "crops": as_inputs(crops, 0.0, 1.0)}


def max_diffs(interp, sess, t_out, inputs):
    """Max abs diff per output of ONNX against TFLite over the inputs, and the ONNX outputs of each input."""
    t_in, o_in = interp.get_input_details(), sess.get_inputs()
    diffs = {d["name"]: 0.0 for d in t_out}
    singles = []
    for x in inputs:
        interp.set_tensor(t_in[0]["index"], x)
        interp.invoke()
        ours = sess.run(None, {o_in[0].name: x})
        singles.append(ours)
        for d, o in zip(t_out, ours):
            assert o.shape == tuple(d["shape"]), (d["name"], o.shape, d["shape"])
            ref, n = interp.get_tensor(d["index"]), d["name"]
            diffs[n] = max(diffs[n], float(np.abs(ref - o).max()))
    return diffs, singles


def verify(name, tflite_bytes, onnx_bytes, real):
    """Compare ONNX (ORT_ENABLE_ALL) against the original sparse TFLite on test images and on real
    footage; return diffs."""
    interp = tf.lite.Interpreter(model_content=tflite_bytes)
    interp.allocate_tensors()
    t_in = interp.get_input_details()
    t_out = interp.get_output_details()
    sess = session(onnx_bytes)
    o_in, o_out = sess.get_inputs(), sess.get_outputs()
    assert [i.name for i in o_in] == [d["name"] for d in t_in], (o_in, t_in)
    out_names = [o.name for o in o_out]
    assert out_names == list(MODELS[name].get("outputs", [d["name"] for d in t_out])), (o_out, t_out)
    t_out = [next(d for d in t_out if d["name"] == n) for n in out_names]

    inputs = test_inputs(t_in[0]["shape"], *MODELS[name]["input_range"])
    diffs, singles = max_diffs(interp, sess, t_out, inputs)
    real_diffs, _ = max_diffs(interp, sess, t_out, real)
    batched = sess.run(None, {o_in[0].name: np.concatenate(inputs)})
    batch_diff = max(float(np.abs(batched[j][k] - single[j][0]).max())
                     for k, single in enumerate(singles) for j in range(len(out_names)))

    print(f"{name}: max abs diff ONNX vs TFLite (4 test inputs | {len(real)} real {MODELS[name]['real']}), "
          f"tolerance {TOLERANCE}:")
    for n in out_names:
        print(f"  {n:12s} {diffs[n]:.3e} | {real_diffs[n]:.3e}")
    print(f"  batch-4 vs batch-1: {batch_diff:.3e} (tolerance {BATCH_TOLERANCE})")
    # On the gradient input, show value ranges so readers know what each output carries.
    for n, o in zip(out_names, singles[-1]):
        print(f"  {n:12s} range on gradient input: [{o.min():.3f}, {o.max():.3f}]")
    ok = max(list(diffs.values()) + list(real_diffs.values())) <= TOLERANCE and batch_diff <= BATCH_TOLERANCE
    return ok, dict(diffs=diffs, real_diffs=real_diffs, real_count=len(real), batch_diff=batch_diff, io=interface(sess))


def main():
    wheel, out_dir, fixtures = sys.argv[1:4]
    os.makedirs(out_dir, exist_ok=True)
    md_path = os.path.join(out_dir, "MODELS.md")
    previous_md = open(md_path).read() if os.path.exists(md_path) else ""
    with zipfile.ZipFile(wheel) as zf:
        sources = {n: pinned(zf, m["path"], m["sha256"], n) for n, m in MODELS.items()}
        license_name = next(p for p in zf.namelist() if p.endswith(".dist-info/LICENSE"))
        write(os.path.join(out_dir, "LICENSE"), zf.read(license_name))
    real = real_inputs(sources["pose_detection"], fixtures)
    print(f"real footage: {len(real['frames'])} detector squares, {len(real['crops'])} person crops")

    results, all_ok = {}, True
    for name, tfl in sources.items():
        out = os.path.join(out_dir, name + ".onnx")
        existing = open(out, "rb").read() if os.path.exists(out) else None
        # Skip conversion only when the file on disk is the one MODELS.md vouches for and
        # it was made by this exact script and tool set.
        if existing is not None and sha256(existing) in previous_md and recipe(__file__) in previous_md:
            print(f"{name}: {out} up to date, skipping conversion")
            onnx_bytes = existing
        else:
            with tempfile.TemporaryDirectory() as tmp:
                onnx_bytes, n_densify = convert(name, tfl, tmp)
            write(out, onnx_bytes)
            print(f"{name}: wrote {out} ({len(onnx_bytes)} bytes, {n_densify} DENSIFY ops folded)")
        ok, checks = verify(name, tfl, onnx_bytes, real[MODELS[name]["real"]])
        all_ok &= ok
        results[name] = dict(tflite=sha256(tfl), onnx=sha256(onnx_bytes), size=len(onnx_bytes), **checks)
    if not all_ok:
        sys.exit("verification FAILED: diff above tolerance")
    write(md_path, models_md(os.path.basename(wheel), sha256(open(wheel, "rb").read()), license_name, results))
    print("all checks passed")


def models_md(wheel_name, wheel_sha, license_name, results):
    lines = [
        "# BlazePose ONNX models",
        "",
        "Generated by `Scripts/convert/convert-blazepose.sh` (do not edit by hand; re-run the script).",
        "",
        f"- Source: PyPI wheel `mediapipe==0.10.14`, file `{wheel_name}` (sha256 `{wheel_sha}`)",
        f"- Licence: Apache-2.0, `LICENSE` is `{license_name}` from that wheel, unchanged",
        f"- Conversion: tf2onnx `from_tflite`, ONNX opset {OPSET}; tools: {recipe(__file__)}",
        "- The detector's sparse (DENSIFY) fp16 weights are densified before conversion; all "
        "ONNX weights are fp32.",
        f"- Layout NHWC as in TFLite; dim 0 is symbolic `{BATCH_DIM}` (N crops per call).",
        "- Logits, as in MediaPipe (apply sigmoid): detector `Identity_1` scores; landmark "
        "`Identity_3` heatmaps, and visibility/presence (items 4 and 5 of "
        "each 5-tuple) in `Identity`. Landmark `Identity_1` (pose flag) is already a probability.",
        "- The landmark graph keeps only the outputs posepipe reads (`Identity`, `Identity_1`, "
        "`Identity_3`): ONNX Runtime runs every node whatever outputs are fetched, and the "
        "segmentation decoder (`Identity_2`) and world landmarks (`Identity_4`) took half the "
        "model's time. The kept outputs are bit-identical to the full graph's.",
        "- The wheel holds no lite or heavy landmark model: MediaPipe's `Pose(model_complexity=0 or 2)` downloads "
        "`pose_landmark_lite.tflite` or `pose_landmark_heavy.tflite` from Google's storage at run time, which "
        "this project cannot reach, so only the full model is converted.",
        "",
        "| ONNX file | source in wheel | sha256 .tflite | sha256 .onnx | bytes |",
        "| --- | --- | --- | --- | --- |",
    ]
    for name, r in results.items():
        lines.append(f"| `{name}.onnx` | `{MODELS[name]['path']}` | `{r['tflite']}` | `{r['onnx']}` | {r['size']} |")
    lines += ["", "## Interface (onnxruntime)", ""]
    for name, r in results.items():
        lo, hi = MODELS[name]["input_range"]
        lines.append(f"`{name}.onnx` (input float RGB in [{lo:g}, {hi:g}]):")
        lines.append("")
        lines += interface_lines(r["io"])
        lines.append("")
    frames = ", ".join(f"`Fixtures/{clip}` frames {', '.join(map(str, idx))}" for clip, idx in REAL_FRAMES.items())
    lines += [
        "## Verification",
        "",
        "Max abs difference ONNX (onnxruntime CPU, ORT_ENABLE_ALL) vs the original TFLite "
        "interpreter (tensorflow's, as above), over 3 seeded uniform-noise inputs and 1 gradient image (test "
        f"inputs), and over real footage: {frames}. The detector sees each of those frames letterboxed "
        "and its left and right squares (real frames); each person the TFLite detector finds there is cut "
        "out the way MediaPipe crops for the landmark model (hip centre, twice the distance to the point above "
        "the head, turned upright, scaled 1.25; real crops). The script "
        f"fails above {TOLERANCE} on either. A batch of the 4 test inputs must match the batch-1 runs within "
        f"{BATCH_TOLERANCE}.",
        "",
        "| model | output | max abs diff, test inputs | max abs diff, real footage |",
        "| --- | --- | --- | --- |",
    ]
    for name, r in results.items():
        for n, d in r["diffs"].items():
            lines.append(f"| {name} | `{n}` | {d:.2e} | {r['real_diffs'][n]:.2e} ({r['real_count']} real {MODELS[name]['real']}) |")
        lines.append(f"| {name} | batch 4 vs batch 1 (all outputs) | {r['batch_diff']:.2e} | |")
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
