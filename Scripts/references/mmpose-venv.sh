#!/usr/bin/env bash
# Makes (or keeps) the git-ignored venv in which MMPose 1.3.2's codecs and top-down transforms import:
#   Scripts/references/mmpose-venv.sh VENV_DIR
# numpy<2, mmengine, mmcv-lite 2.1.0 (no compiled ops), mmpose 1.3.2 without its dependencies, a CPU torch
# (from the pip configuration's find-links when it has one), munkres, json_tricks, scipy, six, xtcocotools,
# opencv-python-headless<4.11, and onnxruntime for the exports. mmengine pulls in opencv-python, which would
# shadow the pinned headless OpenCV (whose Gaussian kernels the fixtures record): it is removed again.
set -euo pipefail
VENV="$1"
REQS=(numpy==1.26.4 torch==2.13.0 mmengine==0.10.7 mmcv-lite==2.1.0 munkres==3.0.0 json_tricks==3.17.3 scipy==1.17.1
      six==1.17.0 xtcocotools==1.14.3 opencv-python-headless==4.10.0.84 onnxruntime==1.32.0)
WANT="${REQS[*]} mmpose==1.3.2"
if [[ ! -f "$VENV/.reqs" || "$(cat "$VENV/.reqs")" != "$WANT" ]]; then
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet "${REQS[@]}"
  "$VENV/bin/pip" install --quiet --no-deps mmpose==1.3.2
  "$VENV/bin/pip" uninstall --quiet -y opencv-python
  "$VENV/bin/pip" install --quiet --force-reinstall --no-deps opencv-python-headless==4.10.0.84
  echo "$WANT" > "$VENV/.reqs"
fi
