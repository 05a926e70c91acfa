#!/usr/bin/env bash
# Train every seed family one after another, in the background, at low priority:
#   nohup Scripts/train-seed-queue.sh [MINUTES] > .logs/seedtrain-queue.log 2>&1 &
# Each family gets up to MINUTES (default 28) of training in this pass, then is exported and evaluated;
# rerunning the queue resumes each from its checkpoint. Per-family logs: .logs/seedtrain-FAMILY.log.
set -uo pipefail
cd "$(dirname "$0")/.."
minutes="${1:-28}"
mkdir -p .logs
for family in hrnet hourglass mspn tfpose mca; do
    echo "$(date -u +%FT%TZ) start $family"
    nice -n 15 Scripts/train-seed.sh "$family" --minutes "$minutes" >> ".logs/seedtrain-$family.log" 2>&1
    echo "$(date -u +%FT%TZ) end $family: exit $?"
done
