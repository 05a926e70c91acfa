# Sourced by the Scripts/convert-*.sh model converters: the tool set they are pinned to, and the
# throwaway venv (git-ignored, one per converter) that holds it.

# TF 2.15 wheels exist only for CPython 3.9-3.11 and need numpy 1.x.
CONVERT_REQS=(tensorflow-cpu==2.15.1 tf2onnx==1.17.0 onnx==1.16.2 onnxruntime==1.31.1 "numpy<2")

# convert_venv NAME VENV: make VENV hold CONVERT_REQS, reusing it when it already does.
convert_venv() {
  local name="$1" venv="$2" python="${PYTHON:-python3}"
  "$python" -c 'import sys; sys.exit(not (3, 9) <= sys.version_info[:2] <= (3, 11))' ||
    { echo "$name: need Python 3.9-3.11 for TF 2.15 (set PYTHON=...)" >&2; exit 1; }
  if [[ ! -f "$venv/.reqs" || "$(cat "$venv/.reqs")" != "${CONVERT_REQS[*]}" ]]; then
    rm -rf "$venv"
    "$python" -m venv "$venv"
    "$venv/bin/pip" install --quiet "${CONVERT_REQS[@]}"
    echo "${CONVERT_REQS[*]}" > "$venv/.reqs"   # written last so a failed install is retried
  fi
}
