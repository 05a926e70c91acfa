#!/usr/bin/env bash
# The README's first command: installs what is missing, builds posepipe, and runs it on the shipped
# two-person clip, writing out/demo.jsonl (the tracks) and out/demo-frame120.png (a frame to look at).
set -euo pipefail
cd "$(dirname "$0")/.."
Scripts/setup.sh
export PATH="/opt/swift/usr/bin:$PATH"
swift build -c release --product posepipe 2>&1 | grep -vE '^(\[[0-9]+/[0-9]+\]|Building|Compiling|Write|Planning)' || true
mkdir -p out
.build/release/posepipe Fixtures/sports2d_demo.mp4 -o out/demo.jsonl --verbose
.build/release/posepipe snapshot Fixtures/sports2d_demo.mp4 --frame 120 -o out/demo-frame120.png
echo "tracks: out/demo.jsonl ($(($(wc -l < out/demo.jsonl) - 1)) frames); picture: out/demo-frame120.png"
