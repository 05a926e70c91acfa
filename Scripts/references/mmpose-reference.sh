#!/usr/bin/env bash
# Writes Fixtures/mmpose/expected.json: MMPose's inference_topdown keypoints (from its published
# formulas, Scripts/references/mmpose_reference.py) for the shipped HRNet export on the lossless one-person
# clip Fixtures/mmpose/person.mkv. Run it again whenever Pipelines/hrnet/hrnet.onnx changes; the
# test that reads the fixture says so when the model's sha256 no longer matches.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="$ROOT/.venv-mmpose-ref"
REQS=(numpy==2.2.6 opencv-python-headless==4.10.0.84 onnxruntime==1.31.1)
"$ROOT/Scripts/lib/pinned-venv.sh" "$VENV" "${REQS[@]}"
"$VENV/bin/python" "$ROOT/Scripts/references/mmpose_reference.py" "$ROOT/Fixtures/mmpose/person.mkv" \
  "$ROOT/Pipelines/hrnet/hrnet.onnx" "$ROOT/Fixtures/mmpose/expected.json"
echo "wrote Fixtures/mmpose/expected.json"
