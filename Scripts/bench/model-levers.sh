#!/usr/bin/env bash
# Measures two ONNX Runtime levers on the shipped BlazePose models, outside posepipe so that nothing else
# moves: the cost of one crop when several run in one call (batch 1, 2, 4), and int8 weights (static,
# per-channel, calibrated on real frames) for speed and agreement with fp32. Issue 11's "kept only if it
# pays" is decided from these numbers (README, Performance). One thread, spinning off, as posepipe runs.
#   Scripts/bench/model-levers.sh            # a few minutes; prints a Markdown table
# Installs into a git-ignored .venv-levers/ (onnxruntime, onnx, numpy by package name); quick when present.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="$ROOT/.venv-levers"
REQS=(onnxruntime==1.31.1 onnx==1.23.2 ml_dtypes==0.6.0 numpy==2.4.6)
if [[ ! -f "$VENV/.reqs" || "$(cat "$VENV/.reqs")" != "${REQS[*]}" ]]; then
    rm -rf "$VENV"
    python3 -m venv "$VENV"
    "$VENV/bin/pip" install --quiet --disable-pip-version-check "${REQS[@]}"
    echo "${REQS[*]}" > "$VENV/.reqs"
fi
command -v ffmpeg >/dev/null || { echo "model-levers: ffmpeg missing (run Scripts/setup.sh)" >&2; exit 1; }
WORK="$(mktemp -d)"
trap 'rm -rf -- "$WORK"' EXIT
# Real frames for calibration and agreement: every 10th frame of each fixture, its centre square at 256 px.
for clip in sports2d_demo pose2sim_multiperson_cam02 vtest_pedestrians; do
    ffmpeg -nostdin -v error -i "$ROOT/Fixtures/$clip.mp4" -vf "select=not(mod(n\,10)),crop=min(iw\,ih):min(iw\,ih),scale=256:256" \
        -fps_mode passthrough -f rawvideo -pix_fmt rgb24 "$WORK/$clip.rgb"
done
"$VENV/bin/python" "$ROOT/Scripts/bench/model_levers.py" "$ROOT/Pipelines/blazepose" "$WORK"
