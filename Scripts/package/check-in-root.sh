#!/usr/bin/env bash
# test-package.sh's checks inside a clean Debian root, run by mmdebstrap as its customize hook
# (so /proc and /dev are mounted and apt's lists are fresh):
#   Scripts/package/check-in-root.sh ROOT WORK
# WORK (prepared by test-package.sh) holds out/posepipe_*.deb, clip.mp4, the checkout build's
# tracks in expected/, the relocated install in moved/posepipe and the Containerfile's RUN step
# and the README's Kubernetes command in files. Each check appends "ok NAME" or "FAIL NAME: why"
# to WORK/results; the hook fails only when it cannot go on.
set -euo pipefail
R="$1"
W="$2"
CHECK=/tmp/posepipe-check   # inside the root
RESULTS="$W/results"

in_root() { chroot "$R" /usr/bin/env -i PATH=/usr/local/bin:/usr/bin:/bin:/usr/sbin:/sbin HOME=/root LANG=C.UTF-8 "$@"; }
pass() { echo "ok $1" >>"$RESULTS"; printf 'package-test: ok %s\n' "$1" >&2; }
fail() { echo "FAIL $1: $2" >>"$RESULTS"; printf 'package-test: FAIL %s: %s\n' "$1" "$2" >&2; }
stop() { fail "$1" "$2"; exit 1; }
# expect NAME WANT GOT: GOT must equal WANT.
expect() { if [ "$2" = "$3" ]; then pass "$1"; else fail "$1" "wanted '$2', got '$3'"; fi; }
# same_tracks NAME EXPECTED GOT: byte for byte.
same_tracks() {
    if [ -s "$3" ] && cmp -s "$2" "$3"; then pass "$1"
    else fail "$1" "$(basename "$3") differs from the checkout build's $(basename "$2") ($(wc -l <"$3" 2>/dev/null || echo no) lines)"; fi
}
# Installed packages only: a removed dependency's configuration files (apt-get autoremove without
# --purge keeps them) are not a package.
packages() { in_root dpkg-query -W -f '${db:Status-Status} ${Package}\n' | awk '$1 == "installed" { print $2 }' | sort; }

before="$(packages)"
! in_root sh -c 'command -v swift swiftc' >/dev/null || stop "no-toolchain" "the clean root has a Swift toolchain"
mkdir -p "$R$CHECK/out" "$R$CHECK/tracks"
cp "$W"/out/posepipe_*_amd64.deb "$R$CHECK/out/"
cp "$W/clip.mp4" "$R$CHECK/"

# The Containerfile's image build, in this root instead of bookworm-slim: its COPY puts the .deb
# in /tmp/out/, and its RUN is the README's apt-get install ./out/posepipe_*.deb.
mkdir -p "$R/tmp/out"
cp "$W"/out/posepipe_*.deb "$R/tmp/out/"
if in_root sh -ec "$(cat "$W/containerfile-run")" >"$W/apt.log" 2>&1; then pass "apt-get install ./out/posepipe_*.deb pulls what it needs"
else cat "$W/apt.log" >&2; stop "apt-get install" "the Containerfile's RUN failed"; fi
pulled="$(comm -13 <(echo "$before") <(packages) | tr '\n' ' ')"
case "$pulled" in *libavcodec59*) pass "FFmpeg's libraries came with it ($(wc -w <<<"$pulled") packages)" ;;
    *) fail "dependencies" "libavcodec59 not among the packages apt added: $pulled" ;; esac

if in_root ldd /usr/bin/posepipe | grep -E 'not found|libswift|libFoundation|libdispatch' >&2; then
    fail "ldd" "a library is missing or from the Swift toolchain"
else pass "ldd /usr/bin/posepipe: every library found, none from the toolchain"; fi

version="$(in_root posepipe --version 2>&1)" || true
expect "posepipe --version: posepipe" "posepipe $(cat "$W/version-line")" "$(sed -n 1p <<<"$version")"
case "$(sed -n 2p <<<"$version")" in "FFmpeg 5.1."*"libavformat 59."*) pass "posepipe --version: FFmpeg" ;;
    *) fail "posepipe --version: FFmpeg" "$(sed -n 2p <<<"$version")" ;; esac
expect "posepipe --version: ONNX Runtime beside the binary" \
    "ONNX Runtime $(cat "$W/ort-version") (/usr/lib/posepipe/libonnxruntime.so.1)" "$(sed -n 3p <<<"$version")"

listing="$(in_root posepipe pipelines 2>&1)" || true
expect "posepipe pipelines: from the package's folder" "from: /usr/share/posepipe/Pipelines" "$(tail -n1 <<<"$listing")"
for name in blazepose hrnet movenet; do
    if grep -q "^$name " <<<"$listing"; then pass "posepipe pipelines lists $name"; else fail "posepipe pipelines lists $name" "$listing"; fi
done

in_root sh -c "cd $CHECK && posepipe clip.mp4 -o tracks.jsonl --quiet" || fail "run" "posepipe clip.mp4 exited $?"
same_tracks "tracks (default pipeline) identical to the checkout's build" "$W/expected/tracks.jsonl" "$R$CHECK/tracks.jsonl"
in_root sh -c "cd $CHECK && posepipe clip.mp4 -o tracks-hrnet.jsonl --pipeline hrnet --quiet" || fail "run hrnet" "exited $?"
same_tracks "tracks (hrnet) identical to the checkout's build" "$W/expected/tracks-hrnet.jsonl" "$R$CHECK/tracks-hrnet.jsonl"

# The README's Kubernetes Job command, as two of its pods run it.
mkdir -p "$R/data/clips"
cp "$W/clip.mp4" "$R/data/clips/"
for index in 0 1; do
    in_root env JOB_COMPLETION_INDEX=$index sh -c "$(cat "$W/kubernetes-command")" \
        || fail "Kubernetes command (index $index)" "exited $?"
done
# Shard 0 of 16 takes the one clip, shard 1 finds none; the tracks differ from the checkout
# build's only in the header's source path.
if [ -f "$R/data/tracks/clip.mp4.jsonl" ] \
    && cmp -s <(tail -n +2 "$R/data/tracks/clip.mp4.jsonl") <(tail -n +2 "$W/expected/tracks.jsonl") \
    && [ "$(head -n1 "$R/data/tracks/clip.mp4.jsonl")" = "$(head -n1 "$W/expected/tracks.jsonl" | sed 's|"source":"clip.mp4"|"source":"/data/clips/clip.mp4"|')" ]; then
    pass "README's Kubernetes command: shard 0 tracks the clip as the checkout's build does"
else fail "README's Kubernetes command" "no /data/tracks/clip.mp4.jsonl equal to the expected tracks"; fi

for f in /usr/share/doc/posepipe/copyright /usr/share/doc/posepipe/LICENSE /usr/share/doc/posepipe/onnxruntime/LICENSE \
         /usr/share/bash-completion/completions/posepipe /usr/share/zsh/vendor-completions/_posepipe \
         /usr/share/fish/vendor_completions.d/posepipe.fish; do
    if [ -s "$R$f" ]; then pass "installed $f"; else fail "installed $f" "missing or empty"; fi
done
while read -r licence; do
    if cmp -s "$W/licences/$licence" "$R/usr/share/doc/posepipe/models/$licence"; then pass "licence of models/$licence"
    else fail "licence of models/$licence" "not in /usr/share/doc/posepipe/models/"; fi
done <"$W/model-licences"

# Removal leaves nothing of posepipe behind (it has no configuration files).
in_root apt-get remove -y posepipe >"$W/remove.log" 2>&1 || { cat "$W/remove.log" >&2; stop "apt-get remove" "failed"; }
expect "apt-get remove: dpkg knows posepipe no more" "" "$(in_root dpkg-query -W -f '${db:Status-Status}' posepipe 2>/dev/null | grep -v not-installed || true)"
left="$(cd "$R" && find . -path ./proc -prune -o -path ./sys -prune -o -path ./dev -prune \
        -o -path ".$CHECK" -prune -o -path ./tmp/out -prune -o -iname '*posepipe*' -print)"
expect "apt-get remove leaves no posepipe file behind" "" "$left"

# The relocated install (made with --prefix elsewhere and moved), with no checkout here and the
# package gone: everything from its own folder.
mkdir -p "$R/opt"
cp -a "$W/moved/posepipe" "$R/opt/moved-posepipe"
moved="$(in_root /opt/moved-posepipe/bin/posepipe --version 2>&1)" || true
expect "relocated install: ONNX Runtime from its own lib/" \
    "ONNX Runtime $(cat "$W/ort-version") (/opt/moved-posepipe/lib/posepipe/libonnxruntime.so.1)" "$(sed -n 3p <<<"$moved")"
expect "relocated install: pipelines from its own share/" "from: /opt/moved-posepipe/share/posepipe/Pipelines" \
    "$(in_root /opt/moved-posepipe/bin/posepipe pipelines 2>&1 | tail -n1)"
in_root sh -c "cd $CHECK && /opt/moved-posepipe/bin/posepipe clip.mp4 -o tracks-moved.jsonl --quiet" || fail "relocated run" "exited $?"
same_tracks "relocated install: tracks identical to the checkout's build" "$W/expected/tracks.jsonl" "$R$CHECK/tracks-moved.jsonl"
rm -rf "$R/opt/moved-posepipe" "$R$CHECK" "$R/tmp/out" "$R/data"

in_root apt-get autoremove -y >"$W/autoremove.log" 2>&1 || { cat "$W/autoremove.log" >&2; stop "apt-get autoremove" "failed"; }
after="$(packages)"
if [ "$after" = "$before" ]; then pass "apt-get autoremove: the root has the packages it started with"
else fail "apt-get autoremove" "installed now and not before: $(comm -13 <(echo "$before") <(echo "$after") | tr '\n' ' ');\
 gone: $(comm -23 <(echo "$before") <(echo "$after") | tr '\n' ' ')"; fi
