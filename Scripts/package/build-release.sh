# Sourced by install.sh and package.sh (needs ROOT): the release build they ship.
# build_release sets BIN (the built binary) and REVISION (the git revision it names, "" outside git).
build_release() {
    "$ROOT/Scripts/setup.sh"
    export PATH="/opt/swift/usr/bin:$PATH"
    REVISION=""
    if git -C "$ROOT" rev-parse --is-inside-work-tree >/dev/null 2>&1; then
        REVISION="$(git -C "$ROOT" describe --always --dirty --abbrev=12)"
    fi
    local log="$ROOT/.build/package-build.log"
    mkdir -p "$ROOT/.build"
    printf 'install: building posepipe for release (revision %s); a first build takes minutes\n' "${REVISION:-unknown}" >&2
    # --static-swift-stdlib links Swift's runtime, Foundation (with ICU's data) and Dispatch into the
    # binary; without the $ORIGIN runpath an installed /usr/bin/posepipe never loads a library from
    # its own folder. Package.swift compiles POSEPIPE_REVISION into `posepipe --version`.
    if ! (cd "$ROOT" && POSEPIPE_REVISION="$REVISION" swift build -c release --static-swift-stdlib \
            --disable-local-rpath --product posepipe) >"$log" 2>&1; then
        cat "$log" >&2
        printf 'install: error: the release build failed (log: %s)\n' "$log" >&2
        exit 1
    fi
    # Warnings are shown, except the linker's note on mktemp inside the toolchain's own static
    # FoundationEssentials, which every static link prints and nothing here can change.
    grep -iE 'warning|error' "$log" | grep -v "the use of \`mktemp' is dangerous" >&2 || true
    BIN="$ROOT/.build/release/posepipe"
}
