#!/usr/bin/env bash
# Makes (or keeps) .venv-training/, the throwaway venv that training and the Python tests run in. pip resolves
# the pinned packages through the machine's own configuration (a local wheel folder or a mirror, where set).
# Quiet and quick when the venv already holds exactly these pins.
set -euo pipefail
cd "$(dirname "$0")/../.."
REQS=(torch==2.13.0 numpy==2.4.6 opencv-python-headless==5.1.0.95 onnxruntime==1.31.1 onnx==1.23.2 pytest==9.2.0)
Scripts/lib/pinned-venv.sh .venv-training "${REQS[@]}"
