#!/usr/bin/env bash
# Train, export and evaluate one seed family (issue 12), distilled from posepipe's BlazePose pipeline.
#
#   Scripts/training/train-seed.sh FAMILY [--full] [--minutes M] [--seed S] [--steps N]
#   FAMILY: hrnet | hourglass | mspn | tfpose | mca
#
# Seeded and reproducible; checkpoints every 3 minutes in .runs-seedtrain/FAMILY/, and the same command
# resumes from there. --minutes stops (with a checkpoint) after M minutes of this run. --full takes the
# paper's configuration (for a GPU; runs but is impractically slow on a CPU). After training the model is
# exported to Pipelines/FAMILY/model.onnx (not with --full) and evaluated on the held-out views.
# CPU only: torch threads 2; run it with `nice` on a shared machine.
set -euo pipefail
cd "$(dirname "$0")/../.."

family="${1:?usage: Scripts/training/train-seed.sh FAMILY [--full] [--minutes M] [--seed S] [--steps N]}"
shift
venv=.venv-seedtrain

# Pinned: Debian bookworm's python3-torch 1.13.1+dfsg-4 (CPU), python3-opencv 4.6.0, python3-numpy 1.24.2;
# PyPI's onnxruntime 1.31.1 (the version posepipe loads) in a git-ignored venv that sees them.
missing=()
for pkg in python3-torch python3-opencv python3-numpy python3-venv; do
    dpkg -s "$pkg" >/dev/null 2>&1 || missing+=("$pkg")
done
if [ ${#missing[@]} -gt 0 ]; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
if [ ! -x "$venv/bin/python" ]; then
    /usr/bin/python3 -m venv --system-site-packages "$venv"
    "$venv/bin/pip" install -q onnxruntime==1.31.1
fi
"$venv/bin/python" -c 'import torch, cv2, numpy, onnxruntime, sys
want = {"torch": "1.13", "cv2": "4.6.0", "numpy": "1.24.2", "onnxruntime": "1.31.1"}
got = {"torch": torch.__version__, "cv2": cv2.__version__, "numpy": numpy.__version__, "onnxruntime": onnxruntime.__version__}
for name in want:
    if not got[name].startswith(want[name]):
        print(f"train-seed: warning: {name} {got[name]}, pinned {want[name]}", file=sys.stderr)'

export PYTHONPATH="$PWD/Scripts/training"
export OMP_NUM_THREADS=2
# Idle OpenMP threads sleep instead of spinning: on a shared, oversubscribed machine spinning made each
# step 10x slower (measured: 12-21 s vs 0.8-1.5 s for a batch of 16 HRNet crops).
export OMP_WAIT_POLICY=PASSIVE
"$venv/bin/python" -m seedtrain.train "$family" "$@"
case " $* " in
    *" --full "*) exit 0 ;;
esac
"$venv/bin/python" -m seedtrain.export "$family"
"$venv/bin/python" -m seedtrain.evaluate "$family"
