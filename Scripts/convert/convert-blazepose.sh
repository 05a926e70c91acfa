#!/usr/bin/env bash
# Reproducibly convert MediaPipe's BlazePose .tflite models to ONNX in Pipelines/blazepose/, each checked
# against the TFLite runtime on test images and on real frames and person crops of the fixtures.
# Everything downloaded lives in .venv-convert/ (git-ignored); delete it to start from scratch.
# Re-running is cheap: the venv, the wheel and up-to-date ONNX files are reused, and the
# ONNX-vs-TFLite verification runs every time.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="$ROOT/.venv-convert"
CACHE="$VENV/downloads"
OUT="$ROOT/Pipelines/blazepose"
MEDIAPIPE=mediapipe==0.10.14

source "$ROOT/Scripts/convert/convert-venv.sh"
convert_venv convert-blazepose "$VENV"

# Only the .tflite files and the licence are needed, so fetch the wheel without installing
# it. Platform flags pin the same manylinux x86_64 build whatever machine runs this; the
# Python script additionally checks the sha256 of the two models.
if ! compgen -G "$CACHE/mediapipe-0.10.14-*.whl" > /dev/null; then
  "$VENV/bin/pip" download --quiet --no-deps --only-binary=:all: \
    --platform manylinux2014_x86_64 --python-version 3.11 --implementation cp --abi cp311 \
    --dest "$CACHE" "$MEDIAPIPE"
fi
WHEEL="$(compgen -G "$CACHE/mediapipe-0.10.14-*.whl" | head -n1)"

# Quiet TensorFlow's C++ start-up chatter; real errors still surface.
export TF_CPP_MIN_LOG_LEVEL=2
"$VENV/bin/python" "$ROOT/Scripts/convert/convert_blazepose.py" "$WHEEL" "$OUT" "$ROOT/Fixtures"
