#!/usr/bin/env bash
# int8 pipelines, reproducibly: statically quantises each named pipeline's current models (default: blazepose and
# the five trained families) on real person crops, measures them against float, and writes Pipelines/NAME-int8/
# (model, pipeline.json, LICENSE, MODEL.md with sha256s and the measurements) only where they agree; the others'
# measurements go to out/int8/NAME-int8.md. See quantize_int8.py for the steps and the bounds.
#   Scripts/convert/quantize-int8.sh [NAME...]
# Needs Scripts/setup.sh's FFmpeg and a release build (made when missing) for the end-to-end check; fetches the
# training clips once (Scripts/training/seedtrain/footage.py) and keeps its venv in .venv-quantize/ (git-ignored).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="$ROOT/.venv-quantize"
"$ROOT/Scripts/lib/pinned-venv.sh" "$VENV" onnxruntime==1.31.1 onnx==1.23.2 ml_dtypes==0.6.0 numpy==2.4.6 \
    opencv-python-headless==4.10.0.84
command -v ffmpeg >/dev/null || "$ROOT/Scripts/setup.sh"
if [ ! -x "$ROOT/.build/release/posepipe" ]; then
    PATH="/opt/swift/usr/bin:$PATH" swift build -c release --product posepipe --package-path "$ROOT"
fi
[ "$#" -gt 0 ] || set -- blazepose hrnet hourglass mspn mca tfpose
cd "$ROOT/Scripts/convert"
exec "$VENV/bin/python" quantize_int8.py "$@"
