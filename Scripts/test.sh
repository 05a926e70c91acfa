#!/usr/bin/env bash
# The README's second command (and CI's): installs what is missing, then builds and runs every test: the Swift
# tests; Scripts/slurm/test.sh (the README's scale-out commands under GNU parallel and a one-node Slurm
# cluster, with this build; it installs Slurm and GNU parallel when it can); the Python tests of the training
# package and the shared codec module (in .venv-training/, made once); last, Scripts/package/test-package.sh
# (a release build packaged, installed with apt in a clean Debian root and checked against this build).
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/setup.sh
export PATH="/opt/swift/usr/bin:$PATH"
swift build --build-tests
swift test --skip-build
Scripts/slurm/test.sh
Scripts/training/venv.sh
PYTHONPATH="$PWD/Scripts/training:$PWD/Scripts/lib" .venv-training/bin/python -m pytest -q -p no:cacheprovider \
    -W ignore::DeprecationWarning Scripts/lib/tests Scripts/training/tests
Scripts/package/test-package.sh
