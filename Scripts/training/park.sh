#!/usr/bin/env bash
# Parks each family's unfinished run (checkpoint and best model) and the teacher labels in
# Scripts/training/parked/, to be committed: a fresh clone's train-seed.sh then resumes there instead of at step 0.
#   Scripts/training/park.sh [FAMILY...]     (default: every family with a run)
set -euo pipefail
cd "$(dirname "$0")/../.."
Scripts/training/venv.sh
PYTHONPATH="$PWD/Scripts/training:$PWD/Scripts/lib" .venv-training/bin/python -m seedtrain.parked "$@"
