#!/usr/bin/env bash
# People per frame that each detector part lets a pipeline find on a clip (default: the vtest
# pedestrians), with CPU seconds per run: what `--detector` buys. After `swift build -c release`.
#   Scripts/bench/detector-reach.sh [CLIP] [PIPELINE]
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
CLIP="${1:-$ROOT/Fixtures/vtest_pedestrians.mp4}"
PIPELINE="${2:-blazepose}"
OUT="$(mktemp -d)"
trap 'rm -rf "$OUT"' EXIT
echo "| detector | people a frame | ids | CPU s |"
echo "|---|---|---|---|"
for detector in blazepose efficientdet-lite0; do
  /usr/bin/time -f "%U %S" -o "$OUT/time" "$ROOT/.build/release/posepipe" "$CLIP" -o "$OUT/$detector.jsonl" -q \
    --pipeline "$PIPELINE" --detector "$detector"
  python3 - "$OUT/$detector.jsonl" "$detector" "$(awk '{print $1 + $2}' "$OUT/time")" <<'PY'
import json, sys
path, name, cpu = sys.argv[1], sys.argv[2], float(sys.argv[3])
frames = [json.loads(line) for line in open(path)][1:]
people = sum(len(f["persons"]) for f in frames) / len(frames)
ids = len({p["id"] for f in frames for p in f["persons"]})
print(f"| {name} | {people:.2f} | {ids} | {cpu:.1f} |")
PY
done
