#!/usr/bin/env bash
# Reading a large track file: one frame line of 100,000 people (60 MB) and 300 ordinary frames
# around it, exported to CSV (with and without --angles), COCO and plotted, by POSEPIPE (default:
# this checkout's release build) and, when BASELINE=path is given, by that binary too, alternating,
# RUNS times each (default 3). Prints median seconds and peak RSS per command and binary, and the
# ratio baseline / posepipe. Usage: [BASELINE=old/posepipe] [POSEPIPE=path] [RUNS=3] Scripts/bench/track-file-read.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
source Scripts/lib/release-binary.sh
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 - "$work/big.jsonl" <<'PY'
import json, random, sys
names = [f"k{i}" for i in range(33)]
names[:17] = ["nose", "left_eye_inner", "left_eye", "left_eye_outer", "right_eye_inner", "right_eye", "right_eye_outer",
              "left_ear", "right_ear", "mouth_left", "mouth_right", "left_shoulder", "right_shoulder", "left_elbow",
              "right_elbow", "left_wrist", "right_wrist"]
names[17:] = ["left_pinky", "right_pinky", "left_index", "right_index", "left_thumb", "right_thumb", "left_hip", "right_hip",
              "left_knee", "right_knee", "left_ankle", "right_ankle", "left_heel", "right_heel", "left_foot_index", "right_foot_index"]
rng = random.Random(1)
header = {"schema": "posepipe.tracks", "version": 1, "source": "big.mp4", "width": 1920, "height": 1080, "fps": 30, "duration": 10,
          "rotation": 0, "pipeline": "blazepose", "keypoints": names, "skeleton": [[11, 12], [23, 24]]}
def person(i):
    return {"id": i, "score": 0.9, "box": [10.5, 20.5, 300, 600],
            "keypoints": [[round(rng.uniform(0, 1920), 2), round(rng.uniform(0, 1080), 2), round(rng.random(), 3)] for _ in names]}
with open(sys.argv[1], "w") as f:
    f.write(json.dumps(header, separators=(",", ":")) + "\n")
    for frame in range(301):
        people = [person(i) for i in range(100_000)] if frame == 150 else [person(1), person(2)]
        f.write(json.dumps({"frame": frame, "pts": frame / 30, "persons": people}, separators=(",", ":")) + "\n")
PY
ls -l "$work/big.jsonl" | awk '{printf "track file: %.1f MB\n", $5 / 1e6}' >&2
measure() {  # binary, output, arguments… → "seconds peak_MB"
    local bin=$1 out=$2; shift 2
    rm -rf "$out"
    /usr/bin/time -f "%e %M" -o "$work/time" "$bin" "$@" >/dev/null 2>&1 || echo "exit $? from $bin $*" >&2
    awk '{printf "%s %.0f\n", $1, $2 / 1024}' "$work/time"
}
median() { sort -n | awk '{a[NR]=$1} END {print a[int((NR + 1) / 2)]}'; }
declare -A seconds rss
commands=("csv" "csv --angles" "coco" "plot")
for ((run = 1; run <= ${RUNS:-3}; run++)); do
    for name in "${commands[@]}"; do
        for who in ${BASELINE:+baseline} posepipe; do
            bin=$POSEPIPE; [[ $who == baseline ]] && bin=$BASELINE
            case $name in
                plot) set -- plot "$work/big.jsonl" -o "$work/out.svg"; out="$work/out.svg" ;;
                coco) set -- export "$work/big.jsonl" --format coco -o "$work/out.json"; out="$work/out.json" ;;
                *) set -- export "$work/big.jsonl" --format $name -o "$work/out.csv"; out="$work/out.csv" ;;
            esac
            read -r s m < <(measure "$bin" "$out" "$@")
            seconds[$who,$name]+="$s "; rss[$who,$name]+="$m "
        done
    done
done
printf "%-14s %-24s %-24s %s\n" command "posepipe s / peak MB" "baseline s / peak MB" "baseline / posepipe (time)"
for name in "${commands[@]}"; do
    ps=$(tr ' ' '\n' <<<"${seconds[posepipe,$name]}" | grep . | median); pm=$(tr ' ' '\n' <<<"${rss[posepipe,$name]}" | grep . | median)
    if [[ -n "${BASELINE:-}" ]]; then
        bs=$(tr ' ' '\n' <<<"${seconds[baseline,$name]}" | grep . | median); bm=$(tr ' ' '\n' <<<"${rss[baseline,$name]}" | grep . | median)
        printf "%-14s %-24s %-24s %.1f\n" "$name" "$ps / $pm" "$bs / $bm" "$(echo "$bs / $ps" | bc -l)"
    else
        printf "%-14s %-24s\n" "$name" "$ps / $pm"
    fi
done
