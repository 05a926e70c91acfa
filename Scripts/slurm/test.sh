#!/usr/bin/env bash
# The scale-out test (Scripts/test.sh runs it after the Swift tests): the README's GNU parallel commands,
# its Kubernetes Job's pod command for every index, and its Slurm job-array script on a one-node Slurm
# cluster on loopback (cluster.sh), over six clips cut from the fixtures, each run's outputs compared byte
# for byte with a one-machine run. Installs GNU parallel and Slurm's Debian packages when missing; a part
# whose packages cannot be installed (not root, no apt) is skipped with one line saying so.
# Uses the checkout's build (.build/debug/posepipe; POSEPIPE=path for another). Prints "N passed, N failed".
set -euo pipefail
ROOT="$(cd "$(dirname "$0")/../.." && pwd)"
export POSEPIPE="${POSEPIPE:-$ROOT/.build/debug/posepipe}"
[[ -x "$POSEPIPE" ]] || { echo "slurm test: no posepipe at $POSEPIPE (run swift build first)" >&2; exit 1; }
# The README's commands call posepipe by name.
export PATH="$(cd "$(dirname "$POSEPIPE")" && pwd):$PATH"

WORK="$(mktemp -d "${TMPDIR:-/tmp}/posepipe-scaleout.XXXXXX")"
chmod 755 "$WORK"
keep() { [[ "${KEEP_WORK:-0}" == 1 ]]; }
trap 'keep && echo "scale-out test: work kept in $WORK" >&2 || rm -rf "$WORK"' EXIT
TEST="$ROOT/Scripts/slurm/scaleout_test.py"
began=$SECONDS
passed=0 failed=0 skipped=0

tally() {  # counts the ok/FAIL lines of a part's output file
    passed=$((passed + $(grep -c '^ok ' "$1" || true)))
    failed=$((failed + $(grep -c '^FAIL ' "$1" || true)))
}

part() {  # part NAME COMMAND...: runs one part, its lines shown as they come
    local name="$1" log="$WORK/$1.log" start=$SECONDS; shift
    local status=0
    "$@" 2>&1 | tee "$log" || status=${PIPESTATUS[0]}
    tally "$log"
    echo "# $name: $((SECONDS - start)) s"
    return "$status"
}

part prepare python3 "$TEST" prepare "$WORK"

have_parallel() { command -v parallel >/dev/null; }
if ! have_parallel && [[ "$(id -u)" -eq 0 ]] && command -v apt-get >/dev/null; then
    DEBIAN_FRONTEND=noninteractive apt-get -q install -y --no-install-recommends parallel >"$WORK/parallel-install.log" 2>&1 \
        || { DEBIAN_FRONTEND=noninteractive apt-get -q update >>"$WORK/parallel-install.log" 2>&1 \
             && DEBIAN_FRONTEND=noninteractive apt-get -q install -y --no-install-recommends parallel >>"$WORK/parallel-install.log" 2>&1; } \
        || true
fi
if have_parallel; then
    part parallel python3 "$TEST" parallel "$WORK" || true
else
    echo "skipped: GNU parallel: not installed and cannot be (needs root and apt-get)"
    skipped=$((skipped + 1))
fi

part kubernetes python3 "$TEST" kubernetes "$WORK" || true

status=0
part slurm "$ROOT/Scripts/slurm/cluster.sh" "$WORK/cluster" python3 "$TEST" slurm "$WORK" || status=$?
if [[ $status -eq 77 ]]; then
    echo "skipped: Slurm: $(grep -m1 'Slurm unavailable' "$WORK/slurm.log" | sed 's/^cluster: Slurm unavailable: //')"
    skipped=$((skipped + 1))
elif [[ $status -ne 0 && $(grep -c '^FAIL ' "$WORK/slurm.log" || true) -eq 0 ]]; then
    echo "FAIL slurm: the cluster or the test ended with $status"
    failed=$((failed + 1))
fi
if [[ $failed -gt 0 && -d "$WORK/cluster" ]]; then
    for log in "$WORK"/logs/*.out "$WORK"/cluster/slurm/log/slurmctld.log; do
        [[ -f "$log" ]] && { echo "--- $log"; tail -n 15 "$log"; }
    done
fi

echo "# scale-out test: $((SECONDS - began)) s"
echo "scale-out: $passed passed, $failed failed$([[ $skipped -gt 0 ]] && echo ", $skipped skipped")"
[[ $failed -eq 0 ]]
