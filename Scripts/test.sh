#!/usr/bin/env bash
# The README's second command (and CI's): installs what is missing, then builds and runs every test.
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/setup.sh
export PATH="/opt/swift/usr/bin:$PATH"
swift build --build-tests
swift test --skip-build
