# Sourced by scripts that run posepipe's release build from the repository root: POSEPIPE is the binary to run,
# the release build (made or brought up to date here, progress on stderr) unless the caller named one.
if [[ -z "${POSEPIPE:-}" ]]; then
    PATH="/opt/swift/usr/bin:$PATH" swift build -c release --product posepipe >&2
    POSEPIPE=.build/release/posepipe
fi
