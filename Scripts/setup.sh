#!/usr/bin/env bash
# Installs what posepipe needs on Debian bookworm with Swift at /opt/swift; idempotent, and silent in ~0.2 s when all is in place (progress goes to stderr).
# System, via apt: pkg-config, FFmpeg -dev libs, ffmpeg, python3 (+pip if missing, venv), ca-certificates, and the toolchain's own needs (binutils, libc6-dev, libgcc-12-dev, libncurses6, libcurl4, git).
# Repo, in git-ignored .deps/onnxruntime/: lib/libonnxruntime.so{,.1,.1.31.1}, LICENSE and ThirdPartyNotices.txt from PyPI's onnxruntime 1.31.1 wheel; include/onnxruntime_c_api.h etc. (ORT_API_VERSION 21) from Debian trixie's libonnxruntime-dev, fetched with a private apt setup.
# --packaging also installs what Scripts/package/ needs: dpkg-dev (dpkg-shlibdeps) and mmdebstrap.
set -euo pipefail

# ---------------------------------------------------------------------------
# Pinned artefacts. Update a value only after checking the new artefact.
# ---------------------------------------------------------------------------
ORT_VERSION="1.31.1"
# sha256 of onnxruntime/capi/libonnxruntime.so.1.31.1 as shipped in the x86_64 manylinux_2_28 wheels
# (identical in the cp311 and cp312 wheels, so the machine's python version does not matter).
ORT_LIB_SHA256="fc44112fbe06d7d689c57e11d3862031f64711007e4ee020f8eed5185fd2c1d3"
# The wheel's onnxruntime/LICENSE (MIT) and onnxruntime/ThirdPartyNotices.txt, shipped with the
# library by Scripts/package/.
ORT_LICENSE_SHA256="2f07c72751aed99790b8a4869cf2311df85a860b22ded05fa22803587a48922c"
ORT_NOTICES_SHA256="143764b952fdb1a7c69ce653bfba74a7744d6a8a573bfb73e235fba356c83de3"

HDR_SUITE="trixie"
HDR_PACKAGE="libonnxruntime-dev"
HDR_API_VERSION="21"
# sha256 of usr/include/onnxruntime/onnxruntime_c_api.h in libonnxruntime-dev 1.21.0+dfsg-1 (trixie).
HDR_SHA256="7783e9664bdb0b1b36145b5c8587dd1bc9a399aa000edf2e3dd03003cafc6882"
# sha256 of libonnxruntime-dev_1.21.0+dfsg-1_amd64.deb. Only enforced when no local Debian keyring
# verifies the trixie Release file (then the archive is fetched unauthenticated, and this pin plus
# HDR_SHA256 are what authenticates the header). With a verifying keyring apt's own signed-hash chain
# authenticates the .deb, and HDR_SHA256 still pins the header contents.
HDR_DEB_SHA256="14f7d959d5deacbcf1504830d4189f91fc67382b399ed9ae9d3aa9c4050ced08"

APT_PACKAGES=(pkg-config libavformat-dev libavcodec-dev libswscale-dev libavutil-dev ffmpeg
              python3 python3-venv ca-certificates
              # What the Swift toolchain at /opt/swift itself needs on a bare bookworm (found by
              # building in a debootstrap --variant=minbase chroot): the swift driver loads
              # libncurses6, swift-build/-test load libcurl4, linking needs binutils (ld.gold),
              # libc6-dev and libgcc-12-dev (crtbeginS.o, -lgcc); SwiftPM fetches with git.
              binutils libc6-dev libgcc-12-dev libncurses6 libcurl4 git)
PACKAGING_APT_PACKAGES=(dpkg-dev mmdebstrap)
if [ "${1:-}" = "--packaging" ]; then APT_PACKAGES+=("${PACKAGING_APT_PACKAGES[@]}"); shift; fi
[ $# -eq 0 ] || { printf 'setup: error: unknown argument: %s (only --packaging)\n' "$1" >&2; exit 64; }

# ---------------------------------------------------------------------------
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
DEPS="$ROOT/.deps"
ORT_DIR="$DEPS/onnxruntime"
ORT_LIB="$ORT_DIR/lib/libonnxruntime.so.$ORT_VERSION"
ORT_HDR="$ORT_DIR/include/onnxruntime_c_api.h"

log() { printf 'setup: %s\n' "$*" >&2; }
die() { printf 'setup: error: %s\n' "$*" >&2; exit 1; }

CLEANUP=()
cleanup() { local p; for p in "${CLEANUP[@]}"; do rm -rf -- "$p"; done; }
trap cleanup EXIT

sha256_of() { sha256sum -- "$1" | cut -d' ' -f1; }

# ---------------------------------------------------------------------------
# Checks (cheap; used on the fast path)
# ---------------------------------------------------------------------------
missing_apt_packages() {
    # Prints those of "$@" that dpkg does not list as fully installed (one dpkg-query, one awk).
    { dpkg-query -W -f='${Package} ${db:Status-Status}\n' "$@" 2>/dev/null || true; } \
        | awk -v want="$*" '
            $2 == "installed" { ok[$1] = 1 }
            END { n = split(want, w, " "); for (i = 1; i <= n; i++) if (!(w[i] in ok)) print w[i] }'
}

# "python3 -m pip" works iff the pip package imports; importing is 4x faster than "pip --version".
have_pip() { command -v python3 >/dev/null 2>&1 && python3 -c 'import pip' >/dev/null 2>&1; }

apt_ok() { [ -z "$(missing_apt_packages "${APT_PACKAGES[@]}")" ] && have_pip; }

ort_lib_ok() {
    [ -f "$ORT_LIB" ] \
        && [ "$(readlink "$ORT_DIR/lib/libonnxruntime.so.1" 2>/dev/null)" = "libonnxruntime.so.$ORT_VERSION" ] \
        && [ "$(readlink "$ORT_DIR/lib/libonnxruntime.so" 2>/dev/null)" = "libonnxruntime.so.1" ] \
        && [ "$(sha256_of "$ORT_LIB")" = "$ORT_LIB_SHA256" ] \
        && [ -f "$ORT_DIR/LICENSE" ] && [ "$(sha256_of "$ORT_DIR/LICENSE")" = "$ORT_LICENSE_SHA256" ] \
        && [ -f "$ORT_DIR/ThirdPartyNotices.txt" ] \
        && [ "$(sha256_of "$ORT_DIR/ThirdPartyNotices.txt")" = "$ORT_NOTICES_SHA256" ]
}

ort_hdr_ok() { [ -f "$ORT_HDR" ] && [ "$(sha256_of "$ORT_HDR")" = "$HDR_SHA256" ]; }

# ---------------------------------------------------------------------------
# 1. apt packages
# ---------------------------------------------------------------------------
SUDO=()
as_root() {
    if [ "$(id -u)" -ne 0 ] && [ ${#SUDO[@]} -eq 0 ]; then
        command -v sudo >/dev/null 2>&1 || die "not root and no sudo: cannot install apt packages"
        SUDO=(sudo)
    fi
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive "$@"
}

APT_UPDATED=0
apt_install() {
    [ $# -gt 0 ] || return 0
    log "installing apt packages: $*"
    if [ "$APT_UPDATED" -eq 0 ]; then
        as_root apt-get -q update >&2
        APT_UPDATED=1
    fi
    as_root apt-get -q install -y --no-install-recommends "$@" >&2
}

ensure_apt() {
    local missing
    mapfile -t missing < <(missing_apt_packages "${APT_PACKAGES[@]}")
    # A python3 that has pip already (e.g. pyenv's) is used as it is; Debian's needs python3-pip.
    have_pip || missing+=(python3-pip)
    apt_install "${missing[@]}"
    have_pip || die "python3 ($(command -v python3 || echo none)) has no pip even with python3-pip installed"
}

# ---------------------------------------------------------------------------
# 2. ONNX Runtime shared library, from the PyPI wheel
# ---------------------------------------------------------------------------
ensure_ort_lib() {
    ort_lib_ok && return 0
    [ "$(uname -m)" = "x86_64" ] || die "only x86_64 is supported (ORT_LIB_SHA256 pins the x86_64 wheel)"
    log "fetching onnxruntime==$ORT_VERSION wheel (PyPI) -> ${ORT_DIR#"$ROOT"/}/lib/"
    local tmp; tmp="$(mktemp -d "$DEPS/.tmp-ort.XXXXXX")"; CLEANUP+=("$tmp")
    local pipdl=(python3 -m pip download --no-deps --only-binary=:all: --disable-pip-version-check
                 -q -d "$tmp/wheel" "onnxruntime==$ORT_VERSION")
    if ! "${pipdl[@]}" >&2; then
        log "no onnxruntime $ORT_VERSION wheel for this python; fetching the cp311 manylinux_2_28_x86_64 one"
        "${pipdl[@]}" --python-version 3.11 --implementation cp --abi cp311 \
            --platform manylinux_2_28_x86_64 >&2 || die "pip download of onnxruntime==$ORT_VERSION failed"
    fi
    local whl; whl="$(find "$tmp/wheel" -name "onnxruntime-$ORT_VERSION-*.whl" | head -n1)"
    [ -n "$whl" ] || die "pip download produced no onnxruntime wheel"

    python3 - "$whl" "$tmp" "onnxruntime/capi/libonnxruntime.so.$ORT_VERSION" \
        onnxruntime/LICENSE onnxruntime/ThirdPartyNotices.txt <<'EOF'
import os, shutil, sys, zipfile
whl, dest, members = sys.argv[1], sys.argv[2], sys.argv[3:]
with zipfile.ZipFile(whl) as z:
    for member in members:
        with z.open(member) as src, open(os.path.join(dest, os.path.basename(member)), "wb") as out:
            shutil.copyfileobj(src, out)
EOF
    chmod 0644 "$tmp/libonnxruntime.so.$ORT_VERSION" "$tmp/LICENSE" "$tmp/ThirdPartyNotices.txt"
    [ "$(sha256_of "$tmp/LICENSE")" = "$ORT_LICENSE_SHA256" ] || die "the wheel's onnxruntime/LICENSE is not the pinned one"
    [ "$(sha256_of "$tmp/ThirdPartyNotices.txt")" = "$ORT_NOTICES_SHA256" ] || die "the wheel's ThirdPartyNotices.txt is not the pinned one"
    local got; got="$(sha256_of "$tmp/libonnxruntime.so.$ORT_VERSION")"
    [ "$got" = "$ORT_LIB_SHA256" ] || die "libonnxruntime.so.$ORT_VERSION sha256 is $got, expected $ORT_LIB_SHA256 (upstream artefact changed?)"

    # Load it, and check OrtGetApiBase is exported, reports the version and serves API $HDR_API_VERSION.
    python3 - "$tmp/libonnxruntime.so.$ORT_VERSION" "$ORT_VERSION" "$HDR_API_VERSION" <<'EOF' \
        || die "libonnxruntime.so.$ORT_VERSION failed the OrtGetApiBase check"
import ctypes, sys
path, want_version, api_version = sys.argv[1], sys.argv[2], int(sys.argv[3])
lib = ctypes.CDLL(path)
get_base = lib.OrtGetApiBase            # AttributeError if not exported
get_base.restype = ctypes.c_void_p
base = get_base()
fns = (ctypes.c_void_p * 2).from_address(base)   # struct OrtApiBase { GetApi; GetVersionString; }
version = ctypes.CFUNCTYPE(ctypes.c_char_p)(fns[1])().decode()
api = ctypes.CFUNCTYPE(ctypes.c_void_p, ctypes.c_uint32)(fns[0])(api_version)
if version != want_version or not api:
    sys.exit(f"version {version!r} (want {want_version!r}), GetApi({api_version}) -> {api}")
EOF

    mkdir -p "$ORT_DIR/lib"
    # Drop libraries of other versions left by an earlier pin.
    find "$ORT_DIR/lib" -maxdepth 1 -name 'libonnxruntime.so.*.*.*' ! -name "libonnxruntime.so.$ORT_VERSION" -delete
    mv -f "$tmp/libonnxruntime.so.$ORT_VERSION" "$ORT_LIB"
    ln -sfn "libonnxruntime.so.$ORT_VERSION" "$ORT_DIR/lib/libonnxruntime.so.1"
    ln -sfn "libonnxruntime.so.1" "$ORT_DIR/lib/libonnxruntime.so"
    mv -f "$tmp/LICENSE" "$tmp/ThirdPartyNotices.txt" "$ORT_DIR/"
    ort_lib_ok || die "installed ONNX Runtime library does not pass its check"
    log "installed ${ORT_LIB#"$ROOT"/} (+ .so.1, .so symlinks, LICENSE, ThirdPartyNotices.txt)"
}

# ---------------------------------------------------------------------------
# 3. ONNX Runtime C headers, from Debian trixie's libonnxruntime-dev (private apt setup)
# ---------------------------------------------------------------------------

# The URI of this machine's main Debian archive: the first enabled "deb" entry whose suite is the
# release codename itself (bookworm; so not bookworm-security/-updates), looked up in the deb822
# /etc/apt/sources.list.d/*.sources files first, then in one-line sources.list / *.list files.
debian_archive_uri() {
    local codename="" f out=""
    if [ -r /etc/os-release ]; then codename="$(. /etc/os-release && printf '%s' "${VERSION_CODENAME:-}")"; fi
    [ -n "$codename" ] || codename="bookworm"
    for f in /etc/apt/sources.list.d/*.sources; do
        [ -r "$f" ] || continue
        out="$(awk -v want="$codename" '
            BEGIN { RS = ""; FS = "\n" }          # one record per stanza, one field per line
            {
                types = ""; uris = ""; suites = ""; enabled = "yes"
                for (i = 1; i <= NF; i++) {
                    line = $i
                    if (line !~ /^[A-Za-z-]+:/) continue   # comments, continuation lines
                    key = tolower(line); sub(/:.*/, "", key)
                    val = line; sub(/^[^:]*:[ \t]*/, "", val)
                    if (key == "types") types = val
                    else if (key == "uris") uris = val
                    else if (key == "suites") suites = val
                    else if (key == "enabled") enabled = tolower(val)
                }
                if (enabled == "no" || (" " types " ") !~ /[ \t]deb[ \t]/) next
                n = split(suites, s, /[ \t]+/)
                for (j = 1; j <= n; j++)
                    if (s[j] == want) { split(uris, u, /[ \t]+/); print u[1]; exit }
            }' "$f")"
        [ -n "$out" ] && { printf '%s\n' "$out"; return 0; }
    done
    for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
        [ -r "$f" ] || continue
        out="$(awk -v want="$codename" '
            { sub(/#.*/, ""); gsub(/\[[^]]*\]/, " ") }   # drop comments and [ option=... ] blocks
            $1 == "deb" && $3 == want { print $2; exit }' "$f")"
        [ -n "$out" ] && { printf '%s\n' "$out"; return 0; }
    done
    return 1
}

# private_apt_conf DIR: an apt configuration whose state, cache, sources, pins and keys all live under DIR.
private_apt_conf() {
    local tmp="$1"
    # Read after the machine's own apt.conf(.d) (so proxies etc. still apply); overrides every place
    # that could bring in the machine's sources, lists, pins, trusted keys or installed-package state.
    cat <<EOF
Dir::State::Lists "$tmp/lists";
Dir::State::status "$tmp/status";
Dir::Cache "$tmp/cache";
Dir::Cache::archives "$tmp/cache/archives";
Dir::Cache::pkgcache "";
Dir::Cache::srcpkgcache "";
Dir::Etc::SourceList "$tmp/etc/sources.list";
Dir::Etc::SourceParts "$tmp/etc/sources.list.d";
Dir::Etc::Preferences "$tmp/etc/preferences";
Dir::Etc::PreferencesParts "$tmp/etc/preferences.d";
Dir::Etc::Trusted "$tmp/etc/trusted.gpg";
Dir::Etc::TrustedParts "$tmp/etc/trusted.gpg.d";
APT::Architecture "amd64";
APT::Architectures { "amd64"; };
APT::Get::List-Cleanup "0";
Acquire::Languages "none";
Acquire::IndexTargets::deb::Contents-deb::DefaultEnabled "false";
#clear APT::Update::Pre-Invoke;
#clear APT::Update::Post-Invoke;
#clear APT::Update::Post-Invoke-Success;
#clear DPkg::Pre-Invoke;
#clear DPkg::Post-Invoke;
#clear DPkg::Pre-Install-Pkgs;
EOF
}

ensure_ort_headers() {
    ort_hdr_ok && return 0
    local uri
    # POSEPIPE_DEBIAN_URI overrides the Debian archive URI read from this machine's apt sources.
    if [ -n "${POSEPIPE_DEBIAN_URI:-}" ]; then
        uri="$POSEPIPE_DEBIAN_URI"
    else
        uri="$(debian_archive_uri)" || die "no Debian archive entry for this release found in /etc/apt/sources.list{,.d/}; set POSEPIPE_DEBIAN_URI"
    fi
    log "fetching $HDR_PACKAGE from Debian $HDR_SUITE (private apt setup, nothing installed) -> ${ORT_DIR#"$ROOT"/}/include/"

    local tmp; tmp="$(mktemp -d "${TMPDIR:-/tmp}/posepipe-apt.XXXXXX")"; CLEANUP+=("$tmp")
    chmod 0755 "$tmp"   # apt's download sandbox user (_apt) must reach the folders below
    mkdir -p "$tmp/lists/partial" "$tmp/cache/archives/partial" "$tmp/etc/sources.list.d" \
             "$tmp/etc/preferences.d" "$tmp/etc/trusted.gpg.d" "$tmp/dl"
    : >"$tmp/status"; : >"$tmp/etc/sources.list"; : >"$tmp/etc/preferences"
    if [ "$(id -u)" -eq 0 ] && id -u _apt >/dev/null 2>&1; then chown _apt "$tmp/dl"; fi
    private_apt_conf "$tmp" >"$tmp/apt.conf"
    local apt=(apt-get -q -c "$tmp/apt.conf")

    # Find a local Debian keyring that verifies the trixie Release file (bookworm's
    # debian-archive-keyring 2023.3+deb12u1 and later ship the trixie keys).
    local keyrings=() k signed_by=""
    for k in "/usr/share/keyrings/debian-archive-$HDR_SUITE-stable.gpg" \
             "/usr/share/keyrings/debian-archive-$HDR_SUITE-automatic.gpg" \
             /usr/share/keyrings/debian-archive-keyring.gpg \
             /usr/share/keyrings/debian-archive-*.gpg; do
        [ -f "$k" ] || continue
        case "$k" in *removed-keys*|*security*) continue ;; esac
        case " ${keyrings[*]} " in *" $k "*) continue ;; esac
        keyrings+=("$k")
    done
    local sources="$tmp/etc/sources.list.d/posepipe-$HDR_SUITE.sources"
    local stanza="Types: deb
URIs: $uri
Suites: $HDR_SUITE
Components: main"
    for k in "${keyrings[@]}"; do
        printf '%s\nSigned-By: %s\n' "$stanza" "$k" >"$sources"
        if "${apt[@]}" --error-on=any update >"$tmp/update.log" 2>&1; then
            signed_by="$k"; break
        fi
        rm -rf "$tmp/lists"; mkdir -p "$tmp/lists/partial"
    done
    if [ -n "$signed_by" ]; then
        log "$HDR_SUITE Release file verified with $signed_by"
    else
        # No local keyring verifies trixie: fetch unauthenticated and rely on the pinned .deb sha256.
        log "no local keyring verifies Debian $HDR_SUITE; falling back to the pinned .deb sha256"
        printf '%s\nTrusted: yes\n' "$stanza" >"$sources"
        "${apt[@]}" update >"$tmp/update.log" 2>&1 || { cat "$tmp/update.log" >&2; die "apt-get update for $HDR_SUITE failed"; }
    fi

    (cd "$tmp/dl" && "${apt[@]}" download "$HDR_PACKAGE" >"$tmp/download.log" 2>&1) \
        || { cat "$tmp/download.log" >&2; die "apt-get download $HDR_PACKAGE failed"; }
    local deb; deb="$(find "$tmp/dl" -maxdepth 1 -name "${HDR_PACKAGE}_*.deb" | head -n1)"
    [ -n "$deb" ] || die "apt-get download produced no $HDR_PACKAGE .deb"
    local deb_sha; deb_sha="$(sha256_of "$deb")"
    if [ "$deb_sha" != "$HDR_DEB_SHA256" ]; then
        [ -n "$signed_by" ] || die "$(basename "$deb") sha256 is $deb_sha, expected $HDR_DEB_SHA256 (unauthenticated fetch; refusing)"
        log "note: $(basename "$deb") is not the pinned build (sha256 $deb_sha); checking the header pin"
    fi

    dpkg-deb -x "$deb" "$tmp/x"
    local hdr; hdr="$(find "$tmp/x" -name onnxruntime_c_api.h -type f | head -n1)"
    [ -n "$hdr" ] || die "$(basename "$deb") contains no onnxruntime_c_api.h"
    local hdr_sha; hdr_sha="$(sha256_of "$hdr")"
    [ "$hdr_sha" = "$HDR_SHA256" ] || die "onnxruntime_c_api.h sha256 is $hdr_sha, expected $HDR_SHA256 ($HDR_PACKAGE in $HDR_SUITE changed?)"
    local api; api="$(awk '$1 == "#define" && $2 == "ORT_API_VERSION" { print $3; exit }' "$hdr")"
    [ "$api" = "$HDR_API_VERSION" ] || die "header has ORT_API_VERSION '$api', expected $HDR_API_VERSION"

    # Flat copy of the header folder (onnxruntime_c_api.h etc. at top level; core/providers/ kept).
    mkdir -p "$tmp/include" "$ORT_DIR"
    cp -R "$(dirname "$hdr")/." "$tmp/include/"
    rm -rf "$ORT_DIR/include.old"
    if [ -e "$ORT_DIR/include" ]; then mv "$ORT_DIR/include" "$ORT_DIR/include.old"; fi
    mv "$tmp/include" "$ORT_DIR/include"
    rm -rf "$ORT_DIR/include.old"
    ort_hdr_ok || die "installed header does not pass its check"
    log "installed ${ORT_DIR#"$ROOT"/}/include/ ($(basename "$deb"), ORT_API_VERSION $api)"
}

# ---------------------------------------------------------------------------
main() {
    if apt_ok && ort_lib_ok && ort_hdr_ok; then
        # POSEPIPE_SETUP_VERBOSE=1 makes the fast path say so.
        if [ "${POSEPIPE_SETUP_VERBOSE:-0}" = "1" ]; then log "all dependencies in place"; fi
        return 0
    fi
    command -v flock >/dev/null 2>&1 || die "flock (util-linux) is missing"
    mkdir -p "$DEPS"
    # Serialise concurrent runs (demo and tests may call this at the same time); each step re-checks.
    exec 9>"$DEPS/.setup.lock"
    flock 9
    ensure_apt
    ensure_ort_lib
    ensure_ort_headers
}

main "$@"
