#!/usr/bin/env bash
# Writes out/posepipe_VERSION_amd64.deb (older posepipe .debs in out/ are removed): the release
# build installed under /usr by install.sh, depending on exactly the Debian packages whose
# libraries the binary and ONNX Runtime load (dpkg-shlibdeps), with every shipped licence in
# /usr/share/doc/posepipe/. VERSION is posepipe's, then +gitN.REVISION (N commits), so each
# commit's package upgrades the one before.
#   Scripts/package/package.sh
set -euo pipefail
umask 022
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
log() { printf 'package: %s\n' "$*" >&2; }
die() { printf 'package: error: %s\n' "$*" >&2; exit 1; }

"$ROOT/Scripts/setup.sh" --packaging
# debian/posepipe/ is where dpkg-shlibdeps expects a package's files; its control file names the package.
BUILD="$ROOT/.build/package"
STAGE="$BUILD/debian/posepipe"
rm -rf "$BUILD"
mkdir -p "$STAGE/DEBIAN"
printf 'Source: posepipe\n\nPackage: posepipe\nArchitecture: amd64\n' >"$BUILD/debian/control"
"$ROOT/Scripts/package/install.sh" --prefix /usr --destdir "$STAGE"

BIN="$STAGE/usr/bin/posepipe"
ORT="$(find "$STAGE/usr/lib/posepipe" -type f -name 'libonnxruntime.so.*')"
# The staged binary finds its ONNX Runtime from its own place: this is the package's first run.
report="$("$BIN" --version)" || die "the staged posepipe --version failed"
read -r name upstream _ revision_word <<<"$(head -n1 <<<"$report")"
[ "$name" = posepipe ] && [ -n "$upstream" ] || die "unexpected --version output: $report"
revision="${revision_word%)}"
version="$upstream"
if [ "$revision" != unknown ]; then
    version+="+git$(git -C "$ROOT" rev-list --count HEAD).${revision//-/.}"
fi

# Warnings about ONNX Runtime's own needless links (librt, libdl) are left out: not ours to fix.
depends="$(cd "$BUILD" && dpkg-shlibdeps --warnings=1 -O "$BIN" "$ORT")"
depends="${depends#shlibs:Depends=}"
case "$depends" in *libavformat*) ;; *) die "dpkg-shlibdeps found no FFmpeg dependency: $depends" ;; esac
case "$depends" in *swift*|*Foundation*) die "the binary still needs the Swift toolchain: $depends" ;; esac

(cd "$STAGE" && find usr -type f -print0 | sort -z | xargs -0 md5sum) >"$STAGE/DEBIAN/md5sums"
cat >"$STAGE/DEBIAN/control" <<EOF
Package: posepipe
Version: $version
Architecture: amd64
Maintainer: posepipe authors <posepipe@localhost>
Installed-Size: $(du -sk --exclude=DEBIAN "$STAGE" | cut -f1)
Depends: $depends
Section: video
Priority: optional
Description: video in, human keypoint tracks out (JSON Lines)
 posepipe finds every person in a video and writes their keypoints, frame by
 frame, as JSON Lines: FFmpeg decodes, a detector finds people, pretrained
 pose models run on ONNX Runtime, tracks keep their ids and are smoothed.
 .
 The pipelines and their models are in /usr/share/posepipe/Pipelines, ONNX
 Runtime in /usr/lib/posepipe; Swift's runtime is linked into the binary.
 Licences: /usr/share/doc/posepipe/.
EOF

mkdir -p "$ROOT/out"
rm -f "$ROOT"/out/posepipe_*_amd64.deb
deb="$ROOT/out/posepipe_${version}_amd64.deb"
# zstd: xz makes a fifth less but takes minutes on two busy cores; bookworm's dpkg reads both.
dpkg-deb --root-owner-group -Zzstd --build "$STAGE" "$deb" >/dev/null
log "wrote ${deb#"$ROOT"/} ($(du -h "$deb" | cut -f1)); Depends: $depends"
