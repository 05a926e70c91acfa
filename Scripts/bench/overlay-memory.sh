#!/usr/bin/env bash
# Peak memory of a run writing an overlay (`--overlay`) and of `posepipe render --tracks`, on the
# sports2d clip and on it looped LOOPS times (default 4): flat in video length when the long clip's
# peaks match the short one's. Writes out/overlay-memory/ and prints one line per measurement.
set -euo pipefail
cd "$(dirname "$0")/../.."
loops=${LOOPS:-4}
bin=.build/release/posepipe
if [ ! -x "$bin" ]; then
    export PATH="/opt/swift/usr/bin:$PATH"
    swift build -c release --product posepipe 2>&1 | grep -vE '^(\[[0-9]+/[0-9]+\]|Building|Compiling|Write|Planning)' || true
fi
out=out/overlay-memory
mkdir -p "$out"
ffmpeg -nostdin -v error -y -stream_loop $((loops - 1)) -i Fixtures/sports2d_demo.mp4 -c copy "$out/looped.mkv"
for clip in Fixtures/sports2d_demo.mp4 "$out/looped.mkv"; do
    name=$(basename "$clip")
    frames=$(ffprobe -v error -select_streams v:0 -count_packets -show_entries stream=nb_read_packets -of csv=p=0 "$clip")
    run=$( { /usr/bin/time -f "%M %e" "$bin" "$clip" -o "$out/$name.jsonl" --overlay "$out/$name.overlay.mp4" -q 2>&1 >/dev/null; } | tail -1)
    render=$( { /usr/bin/time -f "%M %e" "$bin" render "$clip" --tracks "$out/$name.jsonl" -o "$out/$name.render.mp4" -q 2>&1 >/dev/null; } | tail -1)
    echo "$name: $frames frames; run --overlay peak $((${run% *} / 1024)) MB in ${run#* } s; render --tracks peak $((${render% *} / 1024)) MB in ${render#* } s"
done
