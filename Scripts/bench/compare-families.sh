#!/usr/bin/env bash
# Compares the shipped pipelines (blazepose and the trained families): input, decoder, parameters,
# GFLOPs a crop, ms a crop and frames/s at one thread, held-out agreement from the cards, end-to-end agreement
# with the default pipeline on pose2sim's Demo_SinglePerson views (fetched once from the pose2sim==0.10.49
# wheel into .data-bench/), people a frame and ids on the two-person clip (Scripts/bench/compare_families.py).
# Idempotent: builds the release binary (incremental) and a pinned venv .venv-compare/ when missing. Prints a
# Markdown table and writes out/compare-families.md.
#   Scripts/bench/compare-families.sh [NAME...]     (RUNS=50 ms samples, FPS_RUNS=3 clip runs)
# Timings depend on what else runs on the machine: the table's first line records the load average.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
export PATH=/opt/swift/usr/bin:$PATH
[ -d .deps ] || Scripts/setup.sh
swift build -c release --product posepipe >&2
VENV=.venv-compare
REQS=(numpy==2.2.6 onnx==1.17.0 onnxruntime==1.31.1)
"$ROOT/Scripts/lib/pinned-venv.sh" "$VENV" "${REQS[@]}"
HELDOUT=.data-bench/heldout
Scripts/bench/pose2sim-videos.sh "$VENV/bin/python" "$HELDOUT" \
    Pose2Sim/Demo_SinglePerson/videos/cam0{1,2,3,4}.mp4
mkdir -p out
"$VENV/bin/python" Scripts/bench/compare_families.py .build/release/posepipe Fixtures/sports2d_demo.mp4 "$HELDOUT" "$@" \
  | tee out/compare-families.md
