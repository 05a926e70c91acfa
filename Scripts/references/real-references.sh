#!/usr/bin/env bash
# Regenerates every codec, crop and rtmlib fixture from the real reference code at pinned versions, in two
# git-ignored venvs (first run: a few minutes of installs):
#   Scripts/references/real-references.sh
# .venv-mmpose-real (MMPose 1.3.2, Scripts/references/mmpose-venv.sh):
#   keypoint_sets.py       Pipelines/keypoints/{halpe-26,coco-wholebody-133}.json from MMPose's dataset metainfo
#   mmpose_references.py   Fixtures/codecs/{heatmaps,msra,dark,udp,megvii,gaussian_blur,flip_and_regression,simcc}.json,
#                          Fixtures/mmpose/{affine,expected}.json
#   codec_reference.py     Fixtures/codecs/{hrnet,newell}.json: the hand-written decoders no package has
#   family_outputs.py      Fixtures/codecs/family-*.json
# .venv-rtmlib (rtmlib 0.0.16 as PyPI has it):
#   synthetic_exports.py   Fixtures/models/*.onnx: RTMPose, YOLOX, RTMDet, RTMO, YOLO-pose exports with set outputs
#   rtmlib_references.py   Fixtures/rtmlib/expected.json
# numpy's AVX2/AVX-512 float32 log differs from the C library's logf by an ulp on some values and MMPose's
# DARK/UDP Newton steps amplify that; NPY_DISABLE_CPU_FEATURES keeps numpy on its scalar loops, so the
# fixtures do not depend on the machine that wrote them (posepipe uses logf too).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
HERE="$ROOT/Scripts/references"
MMPOSE="$ROOT/.venv-mmpose-real"
RTMLIB="$ROOT/.venv-rtmlib"
"$HERE/mmpose-venv.sh" "$MMPOSE"
"$ROOT/Scripts/lib/pinned-venv.sh" "$RTMLIB" rtmlib==0.0.16 numpy==1.26.4 onnxruntime==1.32.0 opencv-python==4.11.0.86 \
  opencv-contrib-python==4.11.0.86 onnx==1.23.2
export NPY_DISABLE_CPU_FEATURES="AVX512F AVX512CD AVX512_SKX AVX512_CLX AVX512_CNL AVX512_ICL AVX2 FMA3 F16C AVX"
cd "$ROOT"
"$MMPOSE/bin/python" "$HERE/keypoint_sets.py"
"$MMPOSE/bin/python" "$HERE/mmpose_references.py"
"$MMPOSE/bin/python" "$HERE/codec_reference.py"
"$MMPOSE/bin/python" "$HERE/family_outputs.py"
"$RTMLIB/bin/python" "$HERE/synthetic_exports.py"
"$RTMLIB/bin/python" "$HERE/rtmlib_references.py"
echo "fixtures rewritten; git diff shows what moved"
