#!/usr/bin/env bash
# Reproducibly convert MediaPipe's BlazePose .tflite models to ONNX in Pipelines/blazepose/.
# Everything downloaded lives in .venv-convert/ (git-ignored); delete it to start from scratch.
# Re-running is cheap: the venv, the wheel and up-to-date ONNX files are reused, and the
# ONNX-vs-TFLite verification runs every time.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv-convert"
CACHE="$VENV/downloads"
OUT="$ROOT/Pipelines/blazepose"
PYTHON="${PYTHON:-python3}"

# TF 2.15 wheels exist only for CPython 3.9-3.11 and need numpy 1.x.
REQS=(tensorflow-cpu==2.15.1 tf2onnx==1.17.0 onnx==1.16.2 onnxruntime==1.31.1 "numpy<2")
MEDIAPIPE=mediapipe==0.10.14

"$PYTHON" -c 'import sys; sys.exit(not (3, 9) <= sys.version_info[:2] <= (3, 11))' ||
  { echo "convert-blazepose: need Python 3.9-3.11 for TF 2.15 (set PYTHON=...)" >&2; exit 1; }

if [[ ! -f "$VENV/.reqs" || "$(cat "$VENV/.reqs")" != "${REQS[*]}" ]]; then
  rm -rf "$VENV"
  "$PYTHON" -m venv "$VENV"
  "$VENV/bin/pip" install --quiet "${REQS[@]}"
  echo "${REQS[*]}" > "$VENV/.reqs"   # written last so a failed install is retried
fi

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
"$VENV/bin/python" "$ROOT/Scripts/convert_blazepose.py" "$WHEEL" "$OUT"
