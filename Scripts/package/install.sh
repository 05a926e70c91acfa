#!/usr/bin/env bash
# Builds posepipe for release with Swift's runtime and Foundation linked in (it then needs no Swift
# toolchain, only Debian's FFmpeg libraries, libc and libstdc++) and installs it under a prefix:
#   Scripts/package/install.sh [--prefix DIR] [--destdir DIR]     (prefix default /usr/local)
#   PREFIX/bin/posepipe                          the binary (stripped)
#   PREFIX/lib/posepipe/libonnxruntime.so.1*     ONNX Runtime, loaded from beside the binary
#   PREFIX/share/posepipe/Pipelines/             the pipelines, models and their licences
#   PREFIX/share/doc/posepipe/                   copyright (what ships under which licence) and the licences
#   PREFIX/share/{bash-completion,zsh,fish}/...  shell completions
# The installed binary finds everything from its own place, so the prefix can be moved or renamed
# afterwards and the checkout deleted. --destdir stages the files under DIR (for packaging).
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
PREFIX=/usr/local
DESTDIR=""
die() { printf 'install: error: %s\n' "$*" >&2; exit 64; }
while [ $# -gt 0 ]; do
    case "$1" in
        --prefix) [ $# -ge 2 ] || die "--prefix needs a folder"; PREFIX="$2"; shift 2 ;;
        --prefix=*) PREFIX="${1#--prefix=}"; shift ;;
        --destdir) [ $# -ge 2 ] || die "--destdir needs a folder"; DESTDIR="$2"; shift 2 ;;
        --destdir=*) DESTDIR="${1#--destdir=}"; shift ;;
        -h|--help) sed -n '2,12s/^# \{0,1\}//p' "$0"; exit 0 ;;
        *) die "unknown argument: $1 (see --help)" ;;
    esac
done
[ -n "$PREFIX" ] || die "--prefix is empty"
# Relative prefixes are taken from the working directory, as a user means them.
case "$PREFIX" in /*) ;; *) PREFIX="$(pwd)/$PREFIX" ;; esac
PREFIX="${PREFIX%/}"
[ -n "$PREFIX" ] || PREFIX=/
# shellcheck source=Scripts/package/build-release.sh
. "$ROOT/Scripts/package/build-release.sh"

build_release   # sets BIN (the built binary) and REVISION

TARGET="$DESTDIR$PREFIX"
ORT_DIR="$ROOT/.deps/onnxruntime"
ORT_LIB="$(readlink -f "$ORT_DIR/lib/libonnxruntime.so.1")"
log() { printf 'install: %s\n' "$*" >&2; }

# Only posepipe's own folders are replaced, so an earlier version's models cannot linger.
rm -rf "$TARGET/lib/posepipe" "$TARGET/share/posepipe" "$TARGET/share/doc/posepipe"
install -d "$TARGET/bin" "$TARGET/lib/posepipe" "$TARGET/share/posepipe" "$TARGET/share/doc/posepipe"

install -m 0755 "$BIN" "$TARGET/bin/posepipe.new"
# Debug information and the symbol table are a sixth of the binary; Swift needs neither to run.
strip --strip-unneeded --remove-section=.comment "$TARGET/bin/posepipe.new"
mv -f "$TARGET/bin/posepipe.new" "$TARGET/bin/posepipe"

install -m 0644 "$ORT_LIB" "$TARGET/lib/posepipe/$(basename "$ORT_LIB")"
ln -sfn "$(basename "$ORT_LIB")" "$TARGET/lib/posepipe/libonnxruntime.so.1"

# The pipelines as committed (a checkout's stray files stay behind); every file when not in git.
if git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
    (cd "$ROOT" && git ls-files -z -- Pipelines | tar --null -T - -cf -) | tar -xf - -C "$TARGET/share/posepipe"
else
    cp -R "$ROOT/Pipelines" "$TARGET/share/posepipe/"
fi
chmod -R u=rwX,go=rX "$TARGET/share/posepipe"

"$ROOT/Scripts/package/write-licences.sh" "$TARGET/share/posepipe/Pipelines" "$TARGET/share/doc/posepipe"

# Debian's zsh looks in vendor-completions for packages and site-functions under /usr/local.
case "$PREFIX" in /usr) zsh_dir=share/zsh/vendor-completions ;; *) zsh_dir=share/zsh/site-functions ;; esac
install -d "$TARGET/share/bash-completion/completions" "$TARGET/$zsh_dir" "$TARGET/share/fish/vendor_completions.d"
"$TARGET/bin/posepipe" --generate-completion-script bash >"$TARGET/share/bash-completion/completions/posepipe"
"$TARGET/bin/posepipe" --generate-completion-script zsh >"$TARGET/$zsh_dir/_posepipe"
"$TARGET/bin/posepipe" --generate-completion-script fish >"$TARGET/share/fish/vendor_completions.d/posepipe.fish"

log "installed posepipe (revision ${REVISION:-unknown}) under $TARGET"
