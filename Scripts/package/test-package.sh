#!/usr/bin/env bash
# posepipe installed as a user installs it, checked against the checkout's build (Scripts/test.sh
# runs it after the Swift tests):
#   Scripts/package/test-package.sh
# 1. package.sh writes the .deb (a release build with Swift's runtime linked in);
# 2. install.sh --prefix puts a second install in one folder, which is then moved elsewhere;
# 3. mmdebstrap makes a clean Debian root (--variant=minbase: no toolchain, no checkout, no FFmpeg)
#    from the Debian archives this machine's apt uses, and check-in-root.sh, its hook, installs the
#    package there with the Containerfile's apt-get line, runs posepipe on a real clip (default
#    pipeline and hrnet) and the README's Kubernetes command, compares the tracks with the
#    checkout's build byte for byte, runs --version and pipelines, removes the package and checks
#    nothing is left, runs the moved install, and autoremoves back to the root's first packages.
# Skipped, with one line, only where apt cannot reach a Debian archive.
set -euo pipefail
umask 022
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
cd "$ROOT"
started=$SECONDS
say() { printf 'package-test: %s\n' "$*" >&2; }
die() { say "error: $*"; exit 1; }

"$ROOT/Scripts/setup.sh" --packaging
sources="$("$ROOT/Scripts/lib/debian-sources.sh")" || die "no Debian archive in this machine's apt configuration"
read -r _ archive suite _ <<<"$(head -n1 <<<"$sources")"
# apt's own downloader, so the machine's proxies and mirror settings apply as they will in mmdebstrap.
probe="$(mktemp)"
if ! /usr/lib/apt/apt-helper download-file "$archive/dists/$suite/InRelease" "$probe" >/dev/null 2>&1; then
    rm -f "$probe"
    echo "package: skipped: mmdebstrap cannot reach Debian ($archive/dists/$suite/InRelease does not download)"
    exit 0
fi
rm -f "$probe"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/posepipe-package-test.XXXXXX")"
trap 'rm -rf "$WORK"' EXIT
: >"$WORK/results"

Scripts/package/package.sh
packaged=$SECONDS
mkdir -p "$WORK/out"
cp out/posepipe_*_amd64.deb "$WORK/out/"
deb="$(ls "$WORK"/out/posepipe_*_amd64.deb)"

# The relocatable install: made under one prefix, then moved (the chroot has no checkout at all).
Scripts/package/install.sh --prefix "$WORK/first/posepipe"
mkdir -p "$WORK/moved"
mv "$WORK/first/posepipe" "$WORK/moved/posepipe"
rmdir "$WORK/first"
installed=$SECONDS

# The checkout's build (the one the Swift tests ran) makes the expected tracks.
CHECKOUT_BIN="$ROOT/.build/debug/posepipe"
if [ ! -x "$CHECKOUT_BIN" ]; then
    PATH="/opt/swift/usr/bin:$PATH" swift build --product posepipe >/dev/null
fi
mkdir -p "$WORK/expected"
cp Fixtures/pose2sim_multiperson_cam02.mp4 "$WORK/clip.mp4"
cp Fixtures/pose2sim_multiperson_cam02.mp4 "$WORK/expected/clip.mp4"
(cd "$WORK/expected" && "$CHECKOUT_BIN" clip.mp4 -o tracks.jsonl --quiet \
    && "$CHECKOUT_BIN" clip.mp4 -o tracks-hrnet.jsonl --pipeline hrnet --quiet)
checkout_version="$("$CHECKOUT_BIN" --version)"
revision="$(git describe --always --dirty --abbrev=12 2>/dev/null || echo unknown)"
read -r _ upstream _ <<<"$(sed -n 1p <<<"$checkout_version")"
echo "$upstream (revision $revision)" >"$WORK/version-line"
read -r _ _ ort_version _ <<<"$(sed -n 3p <<<"$checkout_version")"
echo "$ort_version" >"$WORK/ort-version"

# What the package must carry: every shipped model's licence, as committed.
git ls-files -- 'Pipelines/*LICENSE*' | sed 's|^Pipelines/||' >"$WORK/model-licences"
while read -r licence; do install -D -m 0644 "Pipelines/$licence" "$WORK/licences/$licence"; done <"$WORK/model-licences"

# The Containerfile's RUN (continuation lines joined) and the README's Kubernetes command.
python3 - Containerfile README.md "$WORK" <<'EOF'
import json, re, sys
containerfile, readme, work = sys.argv[1:]
text = re.sub(r"\\\n", " ", open(containerfile).read())
runs = [line[4:] for line in text.splitlines() if line.startswith("RUN ")]
if len(runs) != 1: sys.exit(f"Containerfile: expected one RUN, found {len(runs)}")
open(f"{work}/containerfile-run", "w").write(runs[0] + "\n")
commands = [line for line in open(readme) if line.strip().startswith('command: ["sh", "-c", ')]
if len(commands) != 1: sys.exit(f"README: expected one Kubernetes command, found {len(commands)}")
open(f"{work}/kubernetes-command", "w").write(json.loads(commands[0].split("command:", 1)[1])[2] + "\n")
EOF

# mmdebstrap copies none of the machine's apt.conf: hand it the Acquire settings (mirror
# validity, proxies) apt has here. They stay in the root, for its apt-get runs too.
apt-config dump Acquire >"$WORK/acquire.conf"
mapfile -t mirrors <<<"$sources"
rooted=$SECONDS
say "making a clean Debian $suite root (mmdebstrap --variant=minbase) and installing $(basename "$deb") in it"
hook="'$ROOT/Scripts/package/check-in-root.sh' \"\$1\" '$WORK'"
if ! mmdebstrap --variant=minbase --format=null --aptopt="$WORK/acquire.conf" --skip=cleanup/apt/lists \
        --customize-hook="$hook" "$suite" /dev/null "${mirrors[@]}" >"$WORK/mmdebstrap.log" 2>&1; then
    cat "$WORK/mmdebstrap.log" >&2
    grep -q . "$WORK/results" || die "mmdebstrap failed before any check ran"
fi

passed="$(grep -c '^ok ' "$WORK/results" || true)"
failed="$(grep -c '^FAIL ' "$WORK/results" || true)"
sed 's/^/package-test: /' "$WORK/results" >&2
say "took $((SECONDS - started)) s: package.sh $((packaged - started)) s, install.sh $((installed - packaged)) s," \
    "expected tracks $((rooted - installed)) s, clean root with the checks $((SECONDS - rooted)) s"
echo "package: $passed passed, $failed failed"
[ "$failed" -eq 0 ] && [ "$passed" -gt 0 ]
