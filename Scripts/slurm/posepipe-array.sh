#!/bin/bash
#SBATCH --job-name=posepipe
#SBATCH --array=0-15%8
#SBATCH --cpus-per-task=4
#SBATCH --requeue
#SBATCH --signal=B:USR1@300
#SBATCH --open-mode=append
#SBATCH --output=posepipe-%A_%a.out
# One shard of a folder of clips per array task:
#   sbatch posepipe-array.sh CLIPS TRACKS SHARDS
# SHARDS is the array's size (tasks 0 to SHARDS-1), given again when tasks are resubmitted alone
# (sbatch --array=3,7 posepipe-array.sh CLIPS TRACKS 16). Each task writes its report to
# TRACKS.reports/JOB_K.json; posepipe status CLIPS -o TRACKS --report-dir TRACKS.reports reads them.
set -u
if [[ $# -ne 3 ]]; then echo "usage: sbatch posepipe-array.sh CLIPS TRACKS SHARDS" >&2; exit 64; fi
clips="$1" tracks="$2" shards="$3"
task="$SLURM_ARRAY_TASK_ID"
reports="${tracks%/}.reports"
if (( task >= shards )); then echo "task $task is past shard count $shards" >&2; exit 64; fi
mkdir -p "$reports"

posepipe "$clips" -o "$tracks" --threads "${SLURM_CPUS_PER_TASK:-1}" --quiet \
    --shard "$task/$shards" --report "$reports/${SLURM_ARRAY_JOB_ID}_$task.json" &
pid=$!
# Cancelled, preempted or requeued, Slurm sends SIGTERM to posepipe itself; this shell waits
# for it to write its last frames and report. USR1 comes before the time limit (--signal):
# posepipe stops the same way, and the task goes back in the queue to finish the shard later.
requeue=0
trap 'kill -TERM "$pid" 2>/dev/null' TERM INT
trap 'requeue=1; kill -TERM "$pid" 2>/dev/null' USR1
status=0
wait "$pid" || status=$?
while kill -0 "$pid" 2>/dev/null; do status=0; wait "$pid" || status=$?; done
# This task only: an array task's SLURM_JOB_ID can be the whole array's id.
if (( requeue && status != 0 )); then scontrol requeue "${SLURM_ARRAY_JOB_ID}_$task"; fi
exit "$status"
