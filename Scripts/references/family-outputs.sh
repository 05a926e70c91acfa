#!/usr/bin/env bash
# Writes Fixtures/codecs/family-FAMILY.json: each shipped family's real ONNX output for one real person
# crop and its reference decode (Scripts/references/family_outputs.py). Run it again whenever a family's model
# changes: FamilyOutputDecodeTests compares the model's sha256 with the fixture's and says so.
#   Scripts/references/family-outputs.sh [FAMILY...]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
# The same pinned venv as Scripts/references/mmpose-reference.sh (the crop rule comes from mmpose_reference.py).
VENV="$ROOT/.venv-mmpose-ref"
REQS=(numpy==2.2.6 opencv-python-headless==4.10.0.84 onnxruntime==1.31.1)
"$ROOT/Scripts/lib/pinned-venv.sh" "$VENV" "${REQS[@]}"
"$VENV/bin/python" "$ROOT/Scripts/references/family_outputs.py" "$@"
