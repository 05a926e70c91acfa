#!/usr/bin/env python3
"""Batch and int8 levers on the BlazePose ONNX models; run through Scripts/bench/model-levers.sh.

Usage: model_levers.py PIPELINE_DIR FRAMES_DIR (FRAMES_DIR holds 256x256 rgb24 .rgb files)."""
import glob
import os
import statistics
import sys
import tempfile
import time

import numpy as np
import onnxruntime as ort
from onnxruntime.quantization import CalibrationDataReader, QuantFormat, QuantType, quantize_static
from onnxruntime.quantization.shape_inference import quant_pre_process

ROUNDS = 40          # interleaved timing rounds; medians reported
BATCHES = (1, 2, 4)


def session(path):
    options = ort.SessionOptions()
    options.intra_op_num_threads = 1
    options.inter_op_num_threads = 1
    options.add_session_config_entry("session.intra_op.allow_spinning", "0")
    return ort.InferenceSession(path, options, providers=["CPUExecutionProvider"])


def frames(directory):
    """Real frames as float NHWC in [0, 1], in a fixed order."""
    out = []
    for path in sorted(glob.glob(os.path.join(directory, "*.rgb"))):
        raw = np.fromfile(path, np.uint8).reshape(-1, 256, 256, 3)
        out.extend(raw.astype(np.float32) / 255)
    return out


def model_input(sess, image):
    """The frame as this model's input: the detector takes 224 px in [-1, 1], the landmark model 256 px in [0, 1]."""
    shape = sess.get_inputs()[0].shape
    size = shape[1]
    if size != image.shape[0]:
        index = (np.arange(size) * image.shape[0] / size).astype(int)
        image = image[index][:, index]
    return image * 2 - 1 if "detection" in sess._model_path else image


def per_crop_ms(sess, images):
    name = sess.get_inputs()[0].name
    times = {b: [] for b in BATCHES}
    for r in range(ROUNDS):
        for b in BATCHES:
            x = np.stack([model_input(sess, images[(r * b + k) % len(images)]) for k in range(b)])
            began = time.perf_counter()
            sess.run(None, {name: x})
            times[b].append((time.perf_counter() - began) * 1000 / b)
    return {b: statistics.median(t) for b, t in times.items()}


class Calibration(CalibrationDataReader):
    def __init__(self, sess, images):
        self.items = iter([{sess.get_inputs()[0].name: model_input(sess, im)[None]} for im in images])

    def get_next(self):
        return next(self.items, None)


def int8(path, sess, calibration, work):
    prepared, quantized = os.path.join(work, "pre.onnx"), os.path.join(work, os.path.basename(path) + ".int8.onnx")
    quant_pre_process(path, prepared, skip_symbolic_shape=True)
    quantize_static(prepared, quantized, Calibration(sess, calibration), quant_format=QuantFormat.QDQ,
                    activation_type=QuantType.QUInt8, weight_type=QuantType.QInt8, per_channel=True)
    return quantized


def agreement(full, small, images):
    """Median and 95th percentile |difference| of the first output (landmark or box coordinates, model pixels)."""
    name = full.get_inputs()[0].name
    diffs = []
    for im in images:
        x = model_input(full, im)[None]
        a, b = full.run(None, {name: x})[0], small.run(None, {name: x})[0]
        diffs.append(np.abs(a - b).ravel())
    d = np.concatenate(diffs)
    return float(np.median(d)), float(np.percentile(d, 95))


def main():
    pipeline, frames_dir = sys.argv[1:3]
    images = frames(frames_dir)
    calibration, held = images[0::2], images[1::2]
    rows = []
    with tempfile.TemporaryDirectory() as work:
        for model in ("pose_landmark_full.onnx", "pose_detection.onnx"):
            path = os.path.join(pipeline, model)
            full = session(path)
            quantized = session(int8(path, full, calibration, work))
            # Interleave the fp32 and int8 timings so that load on the machine hits both alike.
            fp32_ms, int8_ms = {b: [] for b in BATCHES}, {b: [] for b in BATCHES}
            for _ in range(3):
                for b, ms in per_crop_ms(full, held).items():
                    fp32_ms[b].append(ms)
                for b, ms in per_crop_ms(quantized, held).items():
                    int8_ms[b].append(ms)
            fp32_ms = {b: statistics.median(v) for b, v in fp32_ms.items()}
            int8_ms = {b: statistics.median(v) for b, v in int8_ms.items()}
            median, p95 = agreement(full, quantized, held)
            rows.append((model, fp32_ms, int8_ms, median, p95))
    print(f"{len(images)} real frames ({len(calibration)} calibrate int8, {len(held)} timed and compared); "
          f"ms per crop, 1 thread, median of 3 x {ROUNDS} interleaved runs\n")
    print("| model | fp32 batch 1 / 2 / 4 | int8 batch 1 / 2 / 4 | int8 speed-up (batch 1) | int8 vs fp32, first output: median / p95 abs diff |")
    print("|---|---|---|---|---|")
    for model, f, q, median, p95 in rows:
        print(f"| `{model}` | {' / '.join(f'{f[b]:.2f}' for b in BATCHES)} | {' / '.join(f'{q[b]:.2f}' for b in BATCHES)} | "
              f"{f[1] / q[1]:.2f}x | {median:.2f} / {p95:.2f} px |")


if __name__ == "__main__":
    main()
