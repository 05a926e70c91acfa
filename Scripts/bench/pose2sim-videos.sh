#!/usr/bin/env bash
# Writes videos of the pose2sim==0.10.49 wheel as OUT_DIR/<file name>, fetching the wheel once into
# .data-bench/wheel/ (pip, through the machine's own configuration). Files already in OUT_DIR are kept.
#   Scripts/bench/pose2sim-videos.sh PYTHON OUT_DIR MEMBER...
# PYTHON: an interpreter with pip; MEMBER: a path inside the wheel (Pose2Sim/Demo_SinglePerson/videos/cam01.mp4).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
python="$1" out="$2"
shift 2
WHEELS="$ROOT/.data-bench/wheel"
mkdir -p "$WHEELS" "$out"
ls "$WHEELS"/pose2sim-0.10.49-*.whl > /dev/null 2>&1 \
    || "$python" -m pip download -q --no-deps -d "$WHEELS" pose2sim==0.10.49
"$python" - "$out" "$WHEELS"/pose2sim-0.10.49-*.whl "$@" <<'PY'
import os, sys, zipfile
out, wheel, members = sys.argv[1], sys.argv[2], sys.argv[3:]
with zipfile.ZipFile(wheel) as z:
    for member in members:
        path = os.path.join(out, os.path.basename(member))
        if not os.path.exists(path):
            with open(path, "wb") as f:
                f.write(z.read(member))
PY
