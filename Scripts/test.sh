#!/usr/bin/env bash
# The README's second command (and CI's): installs what is missing, then builds and runs every test,
# the package's last (a release build installed with apt in a clean Debian root).
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/setup.sh
export PATH="/opt/swift/usr/bin:$PATH"
swift build --build-tests
swift test --skip-build
Scripts/package/test-package.sh
