#!/usr/bin/env bash
# Fuzzes posepipe (one command): mutated containers (from files and standard input), every shipped
# pipeline's description mutated, mutated track files into export/render/plot, every command's
# output path set to links, pipes, devices and folders, and options at their extremes, each case
# with a bounded time; prints the crashes, hangs, invalid outputs and data losses it finds and a
# summary line, and exits 1 when there are any. Options go to Scripts/fuzz/fuzz.py (--containers N,
# --descriptions N, --tracks N, --outputs N, --options N, --timeout S, --seed N); POSEPIPE=path skips the build.
set -euo pipefail
cd "$(dirname "$0")/../.."
source Scripts/lib/release-binary.sh
exec python3 Scripts/fuzz/fuzz.py --binary "$POSEPIPE" "$@"
