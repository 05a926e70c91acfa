#!/usr/bin/env bash
# Whether a change leaves posepipe's output as it was: runs the release binary of REV (default main) and of this
# checkout over every shipped pipeline and fixture, --threads 1 and 2, with and without --max-people 1, plus
# smoothing, frame-batch, detection-cadence, flip-test and detector variants, and compares each run's tracks, exit
# code and stderr byte for byte. Each binary runs in its own checkout, with that checkout's Pipelines/.
#   Scripts/bench/same-tracks.sh [REV]        (ONLY=regex: only the runs whose name matches, e.g. ONLY=vtest)
# REV is built in a temporary git worktree under .build-same-tracks/ (git-ignored, removed at the end unless
# KEEP_BASE=1, and reused by the next run when it is still at REV); the tracks are kept under
# out/same-tracks/{base,new}/. Exits 1 when any run differs. 183 runs a binary, the short fixtures first: long
# (an hour and more on a loaded 2-core machine; ONLY picks a part).
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
export PATH=/opt/swift/usr/bin:$PATH
REV="${1:-main}"
ONLY="${ONLY:-.}"
[ -d .deps ] || Scripts/setup.sh
OUT="$ROOT/out/same-tracks"
BASE_TREE="$ROOT/.build-same-tracks/checkout"
rm -rf "$OUT" && mkdir -p "$OUT/base" "$OUT/new"

cleanup() { git -C "$ROOT" worktree remove --force "$BASE_TREE" 2>/dev/null || true; }
[ -n "${KEEP_BASE:-}" ] || trap cleanup EXIT
if [ "$(git -C "$BASE_TREE" rev-parse HEAD 2>/dev/null)" != "$(git rev-parse "$REV^{commit}")" ]; then
    cleanup
    git worktree add --detach "$BASE_TREE" "$REV" >&2
    ln -s "$ROOT/.deps" "$BASE_TREE/.deps"
fi
echo "building $REV ($(git rev-parse --short "$REV")) and this checkout" >&2
(cd "$BASE_TREE" && swift build -c release --product posepipe >&2)
swift build -c release --product posepipe >&2

# name|arguments after the input, for each fixture. Pipelines that ship no model run on the synthetic exports
# the tests use (Fixtures/models/): their keypoints mean nothing, their composition is what is compared.
runs() {
    local pipeline name arguments threads
    for pipeline in blazepose hrnet hourglass mspn mca tfpose movenet \
        "mmpose-topdown|--pipeline mmpose-topdown --model Pipelines/hrnet/hrnet.onnx" \
        "mmpose-topdown-whole-frame|--pipeline mmpose-topdown --model Pipelines/hrnet/hrnet.onnx --detector whole-frame" \
        "rtmpose|--pipeline rtmpose --model Fixtures/models/rtmpose-synthetic.onnx" \
        "rtmpose-yolox|--pipeline rtmpose --model Fixtures/models/rtmpose-synthetic.onnx --detector yolox --detector-model Fixtures/models/yolox-e2e-synthetic.onnx" \
        "rtmo|--pipeline rtmo --model Fixtures/models/rtmo-synthetic.onnx" \
        "yolo-pose|--pipeline yolo-pose --model Fixtures/models/yolo-pose-synthetic.onnx"; do
        [[ "$pipeline" == *"|"* ]] || pipeline="$pipeline|--pipeline $pipeline"
        name="${pipeline%%|*}" arguments="${pipeline#*|}"
        for threads in 1 2; do
            echo "$name.t$threads|$arguments --threads $threads"
            echo "$name.t$threads.max1|$arguments --threads $threads --max-people 1"
        done
    done
    echo "blazepose.online|--smoothing online"
    echo "blazepose.none|--smoothing none"
    echo "blazepose.nosides|--no-side-repair --threads 1"
    echo "blazepose.batch3|--frame-batch 3"
    echo "blazepose.batch3.max2|--frame-batch 3 --max-people 2"
    echo "blazepose.every1.tiles0|--detect-every 1 --detect-tiles 0"
    echo "hrnet.blazepose-detector|--pipeline hrnet --detector blazepose"
    echo "hrnet.flip.online.max2|--pipeline hrnet --flip-test --smoothing online --max-people 2"
    echo "movenet.online.max2|--pipeline movenet --smoothing online --max-people 2"
}

# One run of BINARY in CHECKOUT into DIR/NAME.{jsonl,rc,err}.
run_one() {
    local binary="$1" checkout="$2" dir="$3" name="$4" input="$5"; shift 5
    local rc=0
    (cd "$checkout" && "$binary" "$input" "$@" -q -o "$dir/$name.jsonl" 2>"$dir/$name.err") || rc=$?
    echo "$rc" >"$dir/$name.rc"
}

same=0 differ=0
for fixture in pose2sim:Fixtures/pose2sim_multiperson_cam02.mp4 vtest:Fixtures/vtest_pedestrians.mp4 \
               sports2d:Fixtures/sports2d_demo.mp4; do
    while IFS='|' read -r name arguments; do
        name="${fixture%%:*}.$name"
        [[ "$name" =~ $ONLY ]] || continue
        # shellcheck disable=SC2086  # the arguments are words
        run_one "$BASE_TREE/.build/release/posepipe" "$BASE_TREE" "$OUT/base" "$name" "${fixture#*:}" $arguments
        # shellcheck disable=SC2086
        run_one "$ROOT/.build/release/posepipe" "$ROOT" "$OUT/new" "$name" "${fixture#*:}" $arguments
        if cmp -s "$OUT/base/$name.jsonl" "$OUT/new/$name.jsonl" && cmp -s "$OUT/base/$name.rc" "$OUT/new/$name.rc" \
            && cmp -s "$OUT/base/$name.err" "$OUT/new/$name.err"; then
            same=$((same + 1))
        else
            differ=$((differ + 1))
            echo "differs: $name" >&2
        fi
    done < <(runs)
done
lines=$(cat "$OUT"/base/*.jsonl 2>/dev/null | wc -l)
echo "same-tracks: $REV against this checkout: $same runs identical, $differ different ($lines track lines)"
[ "$differ" -eq 0 ]
