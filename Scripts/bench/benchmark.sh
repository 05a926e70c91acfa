#!/usr/bin/env bash
# Benchmarks posepipe against MediaPipe on the same BlazePose (full) weights: frames/s, persons/s,
# peak RSS, decode-only ceiling, memory on a 10-minute clip, and keypoint agreement. Equal work: both per
# person-frame (person-frames/s, CPU ms per person-frame), and posepipe --max-people 1 on the single-person
# clip; and a folder of 8 clips (clips per hour, posepipe --jobs 1 and 2 against two MediaPipe processes); and the
# int8 pipelines of Scripts/convert/quantize-int8.sh (shipped ones, and BlazePose's candidate when it did not ship).
# One command; installs what is missing (idempotent, quick when all is in place):
#   Scripts/setup.sh, `swift build -c release`, a venv .venv-bench/ with mediapipe 0.10.14,
#   the single-person clip (from the pose2sim wheel), the long clip and the folder of 8 clips in out/bench-clips/.
# Also measures track quality (jitter, lag, left/right repairs of posepipe unsmoothed/online/offline and of
# MediaPipe unsmoothed/smoothed) on both clips and the other three views of the single-person trial.
# Prints Markdown tables on stdout and writes out/benchmark.md and out/benchmark.json; progress
# goes to stderr. Takes about 10 minutes on 2 cores (plus a few minutes for the first installs).
#
# Environment (all optional):
#   BENCH_RUNS=5          timed runs per tool and clip, alternating (medians are reported)
#   BENCH_THREADS=1,2     posepipe --threads values
#   BENCH_LONG_FPS=10     frame rate of the 10-minute memory clip (30 = the source's own; slow)
#   BENCH_LONG=0          skip the 10-minute memory run
#   BENCH_PARTS=speed,quality,memory,folder,live   what to measure (speed: the two clips timed; live: live-latency.sh,
#                         latency and frames processed/skipped/lost of a UDP stream at 1x and 2x posepipe's speed)
#   BENCH_FOLDER_RUNS=3   timed runs of the folder, alternating
#   BENCH_SKIP_BUILD=1    use the existing .build/release/posepipe as it is
# The runs' own outputs (tracks, MediaPipe landmarks) stay in out/bench-runs/ for inspection.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"

# ---------------------------------------------------------------------------------------------
# Pinned inputs
# ---------------------------------------------------------------------------------------------
MEDIAPIPE_VERSION="0.10.14"
TWO_PERSON_CLIP="Fixtures/sports2d_demo.mp4"
# Single person: Pose2Sim's demo (BSD-3-Clause), its single-person trial seen by four cameras; camera 3
# is timed, all four are measured for track quality.
P2S_VERSION="0.10.49"
P2S_MEMBER="Pose2Sim/Demo_SinglePerson/videos/cam03.mp4"
P2S_VIEWS=(
    "01 cf4f2816c86bea4bfbea255333d8626ff32a3ecabdab8b0fb147cea9167fde3a"
    "02 94ff87cf978b8406e8aa36ab3c5362e72848994e87652f0dc7a33c315e8e0442"
    "03 b8b329f832f178f27ecb78d024d5026b96c6adb36c387bfe2c0af85eab8a11ca"
    "04 b5c0e7863fd70d008e7178d3c556b045b0ea5f78fcd61ca548a0b2e807e641f7"
)
LONG_SECONDS=600

RUNS="${BENCH_RUNS:-5}"
THREADS="${BENCH_THREADS:-1,2}"
LONG_FPS="${BENCH_LONG_FPS:-10}"
PARTS="${BENCH_PARTS:-speed,quality,memory,folder,live}"
[ "${BENCH_LONG:-1}" = "0" ] && PARTS="$(tr , '\n' <<<"$PARTS" | grep -vx memory | paste -sd, -)"
has_part() { [[ ",$PARTS," == *",$1,"* ]]; }

OUT="$ROOT/out"
CLIPS="$OUT/bench-clips"
VENV="$ROOT/.venv-bench"
BIN="$OUT/bench-bin/posepipe"
SINGLE_CLIP="$CLIPS/pose2sim_${P2S_VERSION}_cam03.mp4"
LONG_CLIP="$CLIPS/sports2d_loop_${LONG_SECONDS}s_${LONG_FPS}fps.mp4"
SHORT_CLIP="$CLIPS/sports2d_loop_10s_${LONG_FPS}fps.mp4"
# The folder: the four single-person views as they are and the two-person clip cut in four.
FOLDER="$CLIPS/folder8"
FOLDER_CUTS=("0 1.9" "1.9 1.9" "3.8 1.9" "5.7 2")

log() { printf 'benchmark: %s\n' "$*" >&2; }
die() { printf 'benchmark: error: %s\n' "$*" >&2; exit 1; }
need() { command -v "$1" >/dev/null 2>&1 || die "$1 not found${2:+ ($2)}"; }

T0=$SECONDS
mkdir -p "$OUT" "$CLIPS"
TMP="$(mktemp -d "$OUT/.bench-tmp.XXXXXX")"
trap 'rm -rf -- "$TMP"' EXIT

# Timing two benchmarks at once would spoil both.
need flock "util-linux"
exec 8>"$OUT/.benchmark.lock"
flock -n 8 || die "another Scripts/bench/benchmark.sh is running (lock $OUT/.benchmark.lock)"

# ---------------------------------------------------------------------------------------------
# 1. Tools: setup.sh (FFmpeg, ONNX Runtime), posepipe release build, MediaPipe venv
# ---------------------------------------------------------------------------------------------
log "checking dependencies (Scripts/setup.sh)"
[ -x Scripts/setup.sh ] || die "Scripts/setup.sh is missing"
Scripts/setup.sh || die "Scripts/setup.sh failed"
need ffmpeg "Scripts/setup.sh should have installed it"
need ffprobe "Scripts/setup.sh should have installed it"
need python3
export PATH="/opt/swift/usr/bin:$PATH"

if [ "${BENCH_SKIP_BUILD:-0}" = "1" ]; then
    [ -x .build/release/posepipe ] || die "BENCH_SKIP_BUILD=1 but .build/release/posepipe is missing"
    log "using the existing .build/release/posepipe (BENCH_SKIP_BUILD=1)"
else
    need swift "the Swift toolchain is expected at /opt/swift"
    built=0
    for attempt in 1 2 3; do
        log "swift build -c release --product posepipe (attempt $attempt)"
        if swift build -c release --product posepipe >"$TMP/build.log" 2>&1 && [ -x .build/release/posepipe ]; then
            built=1; break
        fi
        # Others may be rebuilding or mid-edit: wait and try again.
        sleep 15
    done
    if [ "$built" -ne 1 ]; then
        grep -E 'error|warning: ' "$TMP/build.log" | head -20 >&2 || tail -20 "$TMP/build.log" >&2
        die "swift build -c release failed (see above)"
    fi
fi
# Time a private copy, so that a rebuild by someone else mid-benchmark does not change (or remove)
# the binary under test. It still finds .deps/ and Pipelines/ by walking up from out/bench-bin/.
mkdir -p "$(dirname "$BIN")"
cp .build/release/posepipe "$TMP/posepipe" && mv -f "$TMP/posepipe" "$BIN"
"$BIN" --help >/dev/null 2>&1 || die "$BIN does not run"
GIT_DESC="$(git describe --always --dirty 2>/dev/null || echo unknown)"

venv_ok() {
    [ -x "$VENV/bin/python" ] && "$VENV/bin/python" - "$MEDIAPIPE_VERSION" <<'EOF' 2>/dev/null
import importlib.util, sys
from importlib.metadata import version
assert version("mediapipe") == sys.argv[1]
assert int(version("numpy").split(".")[0]) < 2
assert importlib.util.find_spec("cv2") is not None
EOF
}
if ! venv_ok; then
    log "creating $VENV with mediapipe==$MEDIAPIPE_VERSION (a few minutes the first time)"
    [ -x "$VENV/bin/python" ] || python3 -m venv "$VENV" || die "python3 -m venv failed (python3-venv missing?)"
    "$VENV/bin/python" -m pip install -q --disable-pip-version-check \
        "mediapipe==$MEDIAPIPE_VERSION" "numpy<2" >&2 || die "pip install of mediapipe==$MEDIAPIPE_VERSION failed"
    venv_ok || die "$VENV still lacks mediapipe==$MEDIAPIPE_VERSION / numpy<2 / cv2 after pip install"
    "$VENV/bin/python" -W ignore -c 'import mediapipe, cv2; mediapipe.solutions.pose.Pose(model_complexity=1).close()' \
        || die "mediapipe does not import or cannot build the pose graph"
fi

# ---------------------------------------------------------------------------------------------
# 2. Clips
# ---------------------------------------------------------------------------------------------
[ -f "$TWO_PERSON_CLIP" ] || die "$TWO_PERSON_CLIP is missing"

sha_ok() { [ -f "$1" ] && [ "$(sha256sum -- "$1" | cut -d' ' -f1)" = "$2" ]; }
views_ok() {
    for view in "${P2S_VIEWS[@]}"; do
        set -- $view
        sha_ok "$CLIPS/pose2sim_${P2S_VERSION}_cam$1.mp4" "$2" || return 1
    done
}
if ! views_ok; then
    log "fetching the single-person clips: pose2sim==$P2S_VERSION wheel, Pose2Sim/Demo_SinglePerson/videos/cam0[1-4].mp4"
    Scripts/bench/pose2sim-videos.sh "$VENV/bin/python" "$TMP" \
        Pose2Sim/Demo_SinglePerson/videos/cam0{1,2,3,4}.mp4 "pose2sim-$P2S_VERSION.dist-info/licenses/LICENSE" >&2 \
        || die "cannot fetch the single-person clips from the pose2sim==$P2S_VERSION wheel"
    mv -f "$TMP/LICENSE" "$CLIPS/LICENSE.pose2sim"
    for view in "${P2S_VIEWS[@]}"; do
        set -- $view
        sha_ok "$TMP/cam$1.mp4" "$2" || die "Demo_SinglePerson/videos/cam$1.mp4 in pose2sim $P2S_VERSION has an unexpected sha256"
        mv -f "$TMP/cam$1.mp4" "$CLIPS/pose2sim_${P2S_VERSION}_cam$1.mp4"
    done
fi
QUALITY_ARGS=()
for cam in 01 02 04; do
    QUALITY_ARGS+=(--quality-clip "single-person cam$cam=$CLIPS/pose2sim_${P2S_VERSION}_cam$cam.mp4=pose2sim $P2S_VERSION wheel, Pose2Sim/Demo_SinglePerson/videos/cam$cam.mp4")
done

duration_of() { ffprobe -v error -show_entries format=duration -of default=nw=1:nk=1 "$1" 2>/dev/null || echo 0; }
long_ok() {  # exists and lasts (almost) the intended time
    [ -f "$1" ] && awk -v d="$(duration_of "$1")" -v want="$2" 'BEGIN { exit !(d + 0 >= want - 1 && d + 0 <= want + 1) }'
}
if has_part memory; then
    if ! long_ok "$LONG_CLIP" "$LONG_SECONDS" || ! long_ok "$SHORT_CLIP" 10; then
        log "making the ${LONG_SECONDS} s memory clip: $TWO_PERSON_CLIP at ${LONG_FPS} fps (H.264), looped"
        # One pass of the source re-encoded (starts on a key frame), then looped by stream copy.
        ffmpeg -nostdin -v error -y -i "$TWO_PERSON_CLIP" -map 0:v:0 -an -vf "fps=$LONG_FPS" \
            -c:v libx264 -preset veryfast -crf 23 -pix_fmt yuv420p "$TMP/segment.mp4" \
            || die "ffmpeg could not re-encode $TWO_PERSON_CLIP"
        ffmpeg -nostdin -v error -y -stream_loop -1 -i "$TMP/segment.mp4" -t "$LONG_SECONDS" -c copy \
            "$TMP/long.mp4" || die "ffmpeg could not loop the segment"
        ffmpeg -nostdin -v error -y -i "$TMP/long.mp4" -t 10 -c copy "$TMP/short.mp4" \
            || die "ffmpeg could not cut the 10 s clip"
        long_ok "$TMP/long.mp4" "$LONG_SECONDS" || die "the looped clip does not last ${LONG_SECONDS} s"
        mv -f "$TMP/long.mp4" "$LONG_CLIP"
        mv -f "$TMP/short.mp4" "$SHORT_CLIP"
    fi
    MEMORY_ARGS=(--long "$LONG_CLIP" --short "$SHORT_CLIP"
                 --long-source "$TWO_PERSON_CLIP re-encoded at $LONG_FPS fps and")
else
    MEMORY_ARGS=()
fi
folder_ok() { [ -f "$FOLDER/.complete" ] && [ "$(cat "$FOLDER/.complete")" = "${FOLDER_CUTS[*]}" ]; }
if has_part folder && ! folder_ok; then
    log "making the folder of 8 clips in $FOLDER"
    rm -rf "$TMP/folder" && mkdir -p "$TMP/folder"
    for view in 01 02 03 04; do
        ffmpeg -nostdin -v error -y -i "$CLIPS/pose2sim_${P2S_VERSION}_cam$view.mp4" -map 0:v:0 -c copy \
            "$TMP/folder/single-person_cam$view.mp4" || die "ffmpeg could not copy view $view"
    done
    n=0
    for cut in "${FOLDER_CUTS[@]}"; do
        set -- $cut
        n=$((n + 1))
        ffmpeg -nostdin -v error -y -ss "$1" -i "$TWO_PERSON_CLIP" -t "$2" -map 0:v:0 -an \
            -c:v libx264 -preset veryfast -crf 20 -pix_fmt yuv420p "$TMP/folder/two-person_part$n.mp4" \
            || die "ffmpeg could not cut $TWO_PERSON_CLIP at $1 s"
    done
    rm -rf "$FOLDER" && mv "$TMP/folder" "$FOLDER"
    echo "${FOLDER_CUTS[*]}" > "$FOLDER/.complete"
fi
# int8 pipelines (Scripts/convert/quantize-int8.sh): every shipped one, and BlazePose's closest candidate when it
# did not ship (left in out/int8/pipelines/), timed beside the default pipeline so that what int8 would give is seen.
VARIANT_ARGS=()
for dir in Pipelines/*-int8; do
    [ -f "$dir/pipeline.json" ] && VARIANT_ARGS+=(--variant "$(basename "$dir")")
done
if [ ! -f Pipelines/blazepose-int8/pipeline.json ] && [ -f "$OUT/int8/pipelines/blazepose-int8/pipeline.json" ]; then
    VARIANT_ARGS+=(--variant "blazepose-int8=$OUT/int8/pipelines=not shipped: int8 does not agree with float, out/int8/blazepose-int8.md")
fi
log "setup done in $((SECONDS - T0)) s"

# ---------------------------------------------------------------------------------------------
# 3. Measure
# ---------------------------------------------------------------------------------------------
# live is live-latency.sh's, below; the rest are benchmark_run.py's.
RUN_PARTS="$(tr , '\n' <<<"$PARTS" | grep -vx live | paste -sd, -)"
[ -z "$RUN_PARTS" ] || "$VENV/bin/python" Scripts/bench/benchmark_run.py \
    --posepipe "$BIN" --mp-python "$VENV/bin/python" --mp-script Scripts/bench/benchmark_mediapipe.py \
    --clip "two-person=$TWO_PERSON_CLIP=$TWO_PERSON_CLIP (sports2d 0.8.34 demo)" \
    --clip "single-person=${SINGLE_CLIP#"$ROOT"/}=pose2sim $P2S_VERSION wheel, $P2S_MEMBER (BSD-3-Clause)" \
    --max-people-clip single-person --folder "$FOLDER" --folder-runs "${BENCH_FOLDER_RUNS:-3}" --parts "$RUN_PARTS" \
    "${QUALITY_ARGS[@]}" "${MEMORY_ARGS[@]}" ${VARIANT_ARGS[@]+"${VARIANT_ARGS[@]}"} \
    --runs "$RUNS" --threads "$THREADS" --out "$OUT" --work "$OUT/bench-runs" --git "$GIT_DESC"
if has_part live; then
    log "live sources: Scripts/bench/live-latency.sh"
    Scripts/bench/live-latency.sh "$BIN" >&2
fi
log "done in $((SECONDS - T0)) s: out/benchmark.md, out/benchmark.json, out/live-latency.md"
