#!/usr/bin/env bash
# A one-node Slurm cluster on loopback for as long as COMMAND runs: cluster.sh DIR COMMAND [ARG...].
# Installs Debian's slurmctld, slurmd, slurm-client and munge when missing, writes a configuration under
# DIR (a new or empty folder), starts munged, slurmctld and slurmd in the foreground as this script's
# children, runs COMMAND with SLURM_CONF pointing at the cluster, then stops each daemon by its recorded
# PID however COMMAND ends (also on Ctrl-C or SIGTERM), and exits with COMMAND's status.
# Exits 77 with one line on stderr where Slurm cannot be installed or run (not root, no apt-get).
# Needs root (no systemd here: nothing else would start the daemons); see README.md beside this file.
set -euo pipefail

DIR="${1:?usage: cluster.sh DIR COMMAND [ARG...]}"
shift
[[ $# -gt 0 ]] || { echo "usage: cluster.sh DIR COMMAND [ARG...]" >&2; exit 64; }

log() { printf 'cluster: %s\n' "$*" >&2; }
unavailable() { printf 'cluster: Slurm unavailable: %s\n' "$*" >&2; exit 77; }

PACKAGES=(slurmctld slurmd slurm-client munge)
ensure_packages() {
    local missing=() package
    for package in "${PACKAGES[@]}"; do
        dpkg-query -W -f='${db:Status-Status}' "$package" 2>/dev/null | grep -qx installed || missing+=("$package")
    done
    [[ ${#missing[@]} -eq 0 ]] && return 0
    [[ "$(id -u)" -eq 0 ]] || unavailable "not root, and ${missing[*]} not installed"
    command -v apt-get >/dev/null || unavailable "no apt-get to install ${missing[*]}"
    log "installing ${missing[*]}"
    # Debian's packages would start the daemons through init scripts; there is no init here, and
    # this script starts its own, so starting is refused for the length of the install.
    local policy=/usr/sbin/policy-rc.d created=0
    if [[ ! -e "$policy" ]]; then printf '#!/bin/sh\nexit 101\n' >"$policy"; chmod 755 "$policy"; created=1; fi
    local status=0
    DEBIAN_FRONTEND=noninteractive apt-get -q install -y --no-install-recommends "${missing[@]}" >"$DIR/install.log" 2>&1 \
        || { DEBIAN_FRONTEND=noninteractive apt-get -q update >>"$DIR/install.log" 2>&1 \
             && DEBIAN_FRONTEND=noninteractive apt-get -q install -y --no-install-recommends "${missing[@]}" >>"$DIR/install.log" 2>&1; } \
        || status=$?
    [[ $created -eq 1 ]] && rm -f "$policy"
    [[ $status -eq 0 ]] || unavailable "apt-get could not install ${missing[*]} (see $DIR/install.log)"
}

# Two free TCP ports on loopback, so this cluster never meets another one on the machine.
free_ports() {
    python3 -c '
import socket
held = [socket.socket() for _ in range(2)]
for s in held: s.bind(("127.0.0.1", 0))
print(*(s.getsockname()[1] for s in held))'
}

mkdir -p "$DIR"
DIR="$(cd "$DIR" && pwd)"
[[ "$(id -u)" -eq 0 ]] || unavailable "the daemons need root (slurmd starts jobs as their user)"
ensure_packages

HOST="$(hostname -s)"
CPUS="$(nproc)"
read -r CTLD_PORT SLURMD_PORT < <(free_ports)
M="$DIR/munge" S="$DIR/slurm"
mkdir -p "$M/run" "$M/key" "$M/seed" "$M/log" "$S/state" "$S/spool" "$S/log"
# munged checks these modes: its socket's folder must be readable by all, its key and seed private.
chmod 755 "$DIR" "$M" "$M/run"
chmod 700 "$M/key" "$M/seed" "$M/log"
mungekey -c -f -k "$M/key/munge.key"
SOCKET="$M/run/munge.socket"

cat >"$S/slurm.conf" <<CONF
ClusterName=posepipe-test
SlurmctldHost=$HOST(127.0.0.1)
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
AuthInfo=socket=$SOCKET,cred_expire=5
CredType=cred/munge
StateSaveLocation=$S/state
SlurmdSpoolDir=$S/spool
SlurmctldPidFile=$S/slurmctld.pid
SlurmdPidFile=$S/slurmd.pid
SlurmctldLogFile=$S/log/slurmctld.log
SlurmdLogFile=$S/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=$S/log/jobcomp.log
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerParameters=batch_sched_delay=0,sched_interval=1,bf_interval=1
MailProg=/bin/true
ReturnToService=2
MinJobAge=300
KillWait=30
PreemptType=preempt/partition_prio
PreemptMode=REQUEUE
NodeName=$HOST NodeAddr=127.0.0.1 CPUs=$CPUS State=UNKNOWN
PartitionName=batch Nodes=$HOST Default=YES MaxTime=INFINITE State=UP PriorityTier=1
PartitionName=urgent Nodes=$HOST MaxTime=INFINITE State=UP PriorityTier=2
CONF

PIDS=()
stop_daemons() {
    local pid jobs
    # Jobs outlive slurmd (their slurmstepd runs on): cancel what COMMAND left and let it end first.
    if [[ -n "${SLURM_CONF:-}" ]]; then
        jobs="$(squeue -h -o %i 2>/dev/null || true)"
        if [[ -n "$jobs" ]]; then
            # shellcheck disable=SC2086
            scancel $jobs 2>/dev/null || true
            for _ in $(seq 100); do [[ -z "$(squeue -h -o %i 2>/dev/null)" ]] && break; sleep 0.2; done
        fi
    fi
    # Last started, first stopped: slurmd, then slurmctld, then munged.
    for ((i = ${#PIDS[@]} - 1; i >= 0; i--)); do
        pid="${PIDS[i]}"
        kill -TERM "$pid" 2>/dev/null || continue
        for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
        kill -KILL "$pid" 2>/dev/null || true
        wait "$pid" 2>/dev/null || true
    done
    PIDS=()
}
trap stop_daemons EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# Each daemon's messages go to its own file (in the foreground they would go to stderr).
start() { local log="$1"; shift; "$@" >"$log" 2>&1 & PIDS+=("$!"); }
start "$M/log/munged.log" munged -F -S "$SOCKET" --key-file "$M/key/munge.key" --seed-file "$M/seed/munge.seed" \
    --pid-file "$M/run/munged.pid" --force
for _ in $(seq 100); do [[ -S "$SOCKET" ]] && break; sleep 0.05; done
[[ -S "$SOCKET" ]] || { log "munged did not start (see $M/log/munged.log)"; exit 1; }
export SLURM_CONF="$S/slurm.conf"
start "$S/log/slurmctld.out" slurmctld -D -c -f "$SLURM_CONF"
start "$S/log/slurmd.out" slurmd -D -N "$HOST" -f "$SLURM_CONF"

ready=0
for _ in $(seq 300); do
    # One line per partition the node is in.
    state="$(sinfo -h -N -n "$HOST" -o %t 2>/dev/null | sort -u || true)"
    if [[ "$state" == idle ]]; then ready=1; break; fi
    sleep 0.1
done
[[ $ready -eq 1 ]] || { log "the node did not come up (logs in $S/log)"; exit 1; }
log "Slurm $(sinfo -V | awk '{print $2}') up on $HOST (127.0.0.1:$CTLD_PORT), $CPUS CPUs; SLURM_CONF=$SLURM_CONF"

status=0
"$@" || status=$?
exit "$status"
