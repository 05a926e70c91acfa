#!/usr/bin/env bash
# Writes Fixtures/codecs/family-FAMILY.json: each shipped family's real ONNX output for one real person
# crop and its reference decode (Scripts/references/family_outputs.py: MMPose 1.3.2's own crop and codecs,
# the hand-written decoders only for HRNet's joint guard and Newell's). Run it again whenever a family's model
# changes: FamilyOutputDecodeTests compares the model's sha256 with the fixture's and says so.
#   Scripts/references/family-outputs.sh [FAMILY...]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="$ROOT/.venv-mmpose-real"
"$ROOT/Scripts/references/mmpose-venv.sh" "$VENV"
export NPY_DISABLE_CPU_FEATURES="AVX512F AVX512CD AVX512_SKX AVX512_CLX AVX512_CNL AVX512_ICL AVX2 FMA3 F16C AVX"
cd "$ROOT"
"$VENV/bin/python" "$ROOT/Scripts/references/family_outputs.py" "$@"
