#!/usr/bin/env bash
# Makes (or keeps) a git-ignored venv holding exactly the pinned requirements given:
#   Scripts/lib/pinned-venv.sh VENV_DIR REQUIREMENT...
# The venv is rebuilt when the list changes; VENV_DIR/.reqs records it.
set -euo pipefail
VENV="$1"
shift
if [[ ! -f "$VENV/.reqs" || "$(cat "$VENV/.reqs")" != "$*" ]]; then
  rm -rf "$VENV"
  python3 -m venv "$VENV"
  "$VENV/bin/pip" install --quiet "$@"
  echo "$*" > "$VENV/.reqs"
fi
