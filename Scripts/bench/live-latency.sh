#!/usr/bin/env bash
# Live sources: posepipe reads MPEG-TS that FFmpeg sends over UDP on loopback (encoded beforehand: libx264 ultrafast,
# zerolatency, the clip looped), in real time (the clip's own rate, as a camera sends it) and at 1x and 2x the
# pipeline's own speed, measured first on the same clip
# read as a file (--smoothing online, as live runs are). One person (--max-people 1 on the two-person clip),
# two people, and a crowd (the pedestrians clip). Each line's arrival is timed against when its frame
# was sent (Scripts/bench/live_latency.py). Prints a Markdown table and writes out/live-latency.md and
# out/live-latency.json. Takes about 7 minutes on 2 cores.
#   Scripts/bench/live-latency.sh [POSEPIPE]   default: out/bench-bin/posepipe (benchmark.sh's copy),
#                                              else .build/release/posepipe
# Environment: LIVE_LOOPS=2 (each clip is sent 1 + LOOPS times), LIVE_ARGS (more posepipe options).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
BIN="${1:-}"
[ -n "$BIN" ] || { [ -x out/bench-bin/posepipe ] && BIN=out/bench-bin/posepipe || BIN=.build/release/posepipe; }
[ -x "$BIN" ] || { echo "live-latency.sh: no posepipe at $BIN (swift build -c release)" >&2; exit 1; }
LOOPS="${LIVE_LOOPS:-2}"
read -r -a EXTRA <<<"${LIVE_ARGS:-}"
mkdir -p out
RESULTS="out/live-latency.json"
: > "$RESULTS.tmp"

# name|clip|options
CASES=(
    "one person|Fixtures/sports2d_demo.mp4|--max-people 1"
    "two people|Fixtures/sports2d_demo.mp4|"
    "a crowd|Fixtures/vtest_pedestrians.mp4|"
)
for case in "${CASES[@]}"; do
    IFS='|' read -r name clip options <<<"$case"
    read -r -a opts <<<"$options"
    opts+=(${EXTRA[@]+"${EXTRA[@]}"})
    clip_fps="$(ffprobe -v error -select_streams v:0 -show_entries stream=r_frame_rate -of csv=p=0 "$clip" | awk -F/ '{ print $1 / ($2 ? $2 : 1) }')"
    # The pipeline's own speed: frames a second of its run, as --verbose reports it (model loading excluded).
    speed="$("$BIN" "$clip" -o /dev/null -q --smoothing online --verbose ${opts[@]+"${opts[@]}"} 2>&1 \
        | sed -n 's/.* in [0-9.]* s (\([0-9.]*\) fps).*/\1/p' | tail -n1)"
    [ -n "$speed" ] || { echo "live-latency.sh: no speed measured for $name" >&2; exit 1; }
    # 0: the clip's own rate (real time); 1 and 2: that multiple of the pipeline's speed.
    for multiple in 0 1 2; do
        rate="$(awk -v s="$speed" -v f="$clip_fps" -v m="$multiple" 'BEGIN { printf "%.3f", m ? s * m / f : 1 }')"
        echo "live-latency.sh: $name: pipeline $speed fps, sending at $rate times the clip's rate" >&2
        python3 Scripts/bench/live_latency.py --posepipe "$BIN" --clip "$clip" --rate "$rate" --loops "$LOOPS" \
            -- ${opts[@]+"${opts[@]}"} \
            | python3 -c 'import json, sys; r = json.load(sys.stdin); r.update(case=sys.argv[1], multiple=int(sys.argv[2]), pipeline_fps=float(sys.argv[3]), clip_fps=float(sys.argv[4])); print(json.dumps(r))' \
                "$name" "$multiple" "$speed" "$clip_fps" >> "$RESULTS.tmp"
    done
done
mv "$RESULTS.tmp" "$RESULTS"
python3 - "$RESULTS" "$(git describe --always --dirty 2>/dev/null || echo unknown)" <<'PY' | tee out/live-latency.md
import json, sys
rows = [json.loads(line) for line in open(sys.argv[1])]
print(f"posepipe {sys.argv[2]}, UDP on loopback, default --max-latency; latency: a frame's sending to its line\n")
print("| scene | sent at | latency p50 | p95 | first line | sent | processed | skipped | lost | unaccounted | peak memory |")
print("|---|---|---|---|---|---|---|---|---|---|---|")
for r in rows:
    f = lambda v: "–" if v is None else f"{v:.2f} s"
    sent_at = f"{r['multiple']}× speed ({r['pipeline_fps']:.1f} fps × {r['multiple']})" if r['multiple'] else f"real time ({r['clip_fps']:.0f} fps)"
    print(f"| {r['case']} | {sent_at} | {f(r.get('latency_p50'))} | {f(r.get('latency_p95'))} "
          f"| {f(r.get('first_line'))} | {r['sent']} | {r.get('processed', 0)} | {r.get('skipped', 0)} | {r['lost']} | {r['unaccounted']} "
          f"| {r['peak_rss_mb']} MB |")
PY
