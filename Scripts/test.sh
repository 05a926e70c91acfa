#!/usr/bin/env bash
# The README's second command (and CI's): installs what is missing, then builds and runs every test
# (the Swift tests, then Scripts/slurm/test.sh, which installs Slurm and GNU parallel when it can).
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/setup.sh
export PATH="/opt/swift/usr/bin:$PATH"
swift build --build-tests
swift test --skip-build
# The README's scale-out commands under GNU parallel and a one-node Slurm cluster, with this build.
Scripts/slurm/test.sh
