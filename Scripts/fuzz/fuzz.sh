#!/usr/bin/env bash
# Fuzzes posepipe (one command): a few hundred mutated containers, from files and from standard
# input, and mutated pipeline descriptions, each with a bounded time; prints the crashes, hangs and
# invalid outputs it finds and a summary line, and exits 1 when there are any. Options go to
# Scripts/fuzz/fuzz.py (--containers N, --pipelines N, --timeout S, --seed N); POSEPIPE=path skips the build.
set -euo pipefail
cd "$(dirname "$0")/../.."
if [[ -z "${POSEPIPE:-}" ]]; then
    export PATH="/opt/swift/usr/bin:$PATH"
    swift build -c release --product posepipe >&2
    POSEPIPE=.build/release/posepipe
fi
exec python3 Scripts/fuzz/fuzz.py --binary "$POSEPIPE" "$@"
