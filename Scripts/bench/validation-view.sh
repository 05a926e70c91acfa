#!/usr/bin/env bash
# Chooses a pipeline's settings on the validation view (pose2sim's Demo_MultiPerson cam04, set aside by seed
# training; the held-out Demo_SinglePerson views only report): end-to-end agreement with the default pipeline
# with the flip test off and on, and with each CLEAR_SCORE given (Scripts/bench/validation_view.py).
# Idempotent: builds the release binary (incremental) and the pinned venv .venv-compare/ when missing, and takes
# the view from the pose2sim==0.10.49 wheel once (into .data-bench/validation/).
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
VIEW=.data-bench/validation/cam04.mp4
Scripts/bench/pose2sim-videos.sh "$VENV/bin/python" "$(dirname "$VIEW")" Pose2Sim/Demo_MultiPerson/videos/cam04.mp4
"$VENV/bin/python" Scripts/bench/validation_view.py .build/release/posepipe "$VIEW" "$@"
