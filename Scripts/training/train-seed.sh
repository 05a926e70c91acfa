#!/usr/bin/env bash
# Train, export and evaluate one family, distilled from posepipe's default (BlazePose) pipeline.
#
#   Scripts/training/train-seed.sh FAMILY [--full] [--minutes M] [--seed S] [--steps N] [--bf16 auto|on|off]
#   FAMILY: hrnet | hourglass | mspn | tfpose | mca
#
# Seeded and reproducible; checkpoints every 3 minutes in .runs-seedtrain/FAMILY/, and the same command
# resumes from there, or on a fresh clone from the run it parked in Scripts/training/parked/ (committed). The
# validation view chooses the checkpoint that is exported (best.pt) and stops the run when it no longer improves.
# --minutes stops (with a checkpoint) after M minutes of this run. --full takes the paper's configuration (for a
# GPU; runs, slowly, on a CPU) and exports to .runs-seedtrain/FAMILY-full/.
# Without --full the model is exported to Pipelines/FAMILY/FAMILY.onnx and evaluated on the held-out views.
set -euo pipefail
cd "$(dirname "$0")/../.."

family="${1:?usage: Scripts/training/train-seed.sh FAMILY [--full] [--minutes M] [--seed S] [--steps N]}"
shift
Scripts/training/venv.sh
venv=.venv-training

export PYTHONPATH="$PWD/Scripts/training:$PWD/Scripts/lib"
export OMP_NUM_THREADS=2
# Idle OpenMP threads sleep instead of spinning: on a shared, oversubscribed machine spinning made each
# step 10x slower (measured: 12-21 s vs 0.8-1.5 s for a batch of 16 HRNet crops).
export OMP_WAIT_POLICY=PASSIVE
"$venv/bin/python" -m seedtrain.train "$family" "$@"
full=()
case " $* " in
    *" --full "*) full=(--full) ;;
esac
# The run so far, parked for a fresh clone to resume (commit Scripts/training/parked/).
[ ${#full[@]} -gt 0 ] || "$venv/bin/python" -m seedtrain.parked "$family"
"$venv/bin/python" -m seedtrain.export "$family" "${full[@]}"
[ ${#full[@]} -gt 0 ] || "$venv/bin/python" -m seedtrain.evaluate "$family"
