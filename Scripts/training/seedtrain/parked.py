"""Training state that outlives the machine: `python -m seedtrain.parked [FAMILY...]` (Scripts/training/park.sh)
parks each family's unfinished run (checkpoint.pt and best.pt) and the teacher labels under
Scripts/training/parked/, which is committed.

A run's own state lives in git-ignored folders (.runs-seedtrain/, .data-seedtrain/). On a fresh clone every family
would start again at step 0, and a schedule that needs more wall-clock hours than one machine gives it would never
end. train.py resumes from the parked checkpoint when the run's folder has none (and it is of the same
configuration), and teacher.py unpacks the parked labels before labelling anything: labels once made are kept, so
a resumed run trains on the crops it started on.
"""
import argparse
import os
import shutil
import tarfile
from pathlib import Path

import torch

from . import footage

PARKED = Path(os.environ.get("SEEDTRAIN_PARKED", footage.REPO / "Scripts/training/parked"))
LABELS = "teacher-labels.tar.gz"
RUN_FILES = ("checkpoint.pt", "best.pt")


def park(name, run_directory, parked=PARKED):
    """Copies the run's checkpoint and best model to parked/NAME/; False when the run has no checkpoint. A
    finished run is parked without its optimiser's state, which only a further step would read: Adam's two
    moments are twice the model (a wider model's checkpoint would pass the repository's 25 MB a file)."""
    from .train import finished
    if not (run_directory / "checkpoint.pt").exists():
        return False
    target = parked / name
    target.mkdir(parents=True, exist_ok=True)
    state = torch.load(run_directory / "checkpoint.pt", map_location="cpu", weights_only=False)
    if "optimiser" in state and finished(state["step"], state["total"], state.get("since_best", 0)):
        del state["optimiser"]
        torch.save(state, target / "checkpoint.pt")
    else:
        shutil.copy2(run_directory / "checkpoint.pt", target / "checkpoint.pt")
    if (run_directory / "best.pt").exists():
        shutil.copy2(run_directory / "best.pt", target / "best.pt")
    return True


def unpark(name, run_directory, seed, total, parked=PARKED, shapes=None, footage=None):
    """Copies the parked run into an empty run folder when it is of this configuration (seed, step count and,
    when given, the model's parameter shapes and the footage its crops were cut from: a family whose width or
    footage changed starts afresh); True when it did."""
    source = parked / name
    if (run_directory / "checkpoint.pt").exists() or not (source / "checkpoint.pt").exists():
        return False
    state = torch.load(source / "checkpoint.pt", map_location="cpu", weights_only=False)
    if state["seed"] != seed or state["total"] != total:
        print(f"{name}: the parked run is of another configuration (seed {state['seed']}, {state['total']} steps); "
              "starting afresh", flush=True)
        return False
    if shapes is not None and {k: tuple(v.shape) for k, v in state["model"].items()} != shapes:
        print(f"{name}: the parked run is of another architecture; starting afresh", flush=True)
        return False
    if footage is not None and state.get("footage") != footage:
        print(f"{name}: the parked run was trained on other footage; starting afresh", flush=True)
        return False
    run_directory.mkdir(parents=True, exist_ok=True)
    for file in RUN_FILES:
        if (source / file).exists():
            shutil.copy2(source / file, run_directory / file)
    return True


def label_names(files):
    """The clips a set of label paths (RUN/SPLIT/CLIP.jsonl) covers, per run, whatever their split."""
    return {(Path(f).parts[-3], Path(f).name) for f in files if f.endswith(".jsonl")}


def park_labels(data=footage.DATA, parked=PARKED):
    """Packs the labels of data/teacher/ that the archive lacks, once per clip and run: the parked labels are the
    labels, whatever binary later runs, and a clip added to the footage joins them as it was first labelled."""
    if not (data / "teacher").is_dir():
        return False
    archive = parked / LABELS
    packed = set()
    if archive.exists():
        with tarfile.open(archive) as tar:
            packed = label_names(tar.getnames())
    new = [p for p in sorted((data / "teacher").rglob("*.jsonl")) if not label_names([str(p)]) <= packed]
    if not new:
        return False
    parked.mkdir(parents=True, exist_ok=True)
    tmp = archive.with_suffix(".tmp")
    with tarfile.open(tmp, "w:gz") as tar:
        if archive.exists():
            with tarfile.open(archive) as old:
                for member in old.getmembers():
                    tar.addfile(member, old.extractfile(member) if member.isfile() else None)
        for path in new:
            tar.add(path, arcname=str(Path("teacher") / path.relative_to(data / "teacher")), filter=_without_owner)
    os.replace(tmp, archive)
    return True


def unpark_labels(data=footage.DATA, parked=PARKED):
    """Unpacks the parked labels where no labels are yet; True when it did."""
    archive = parked / LABELS
    if (data / "teacher").exists() or not archive.exists():
        return False
    data.mkdir(parents=True, exist_ok=True)
    with tarfile.open(archive) as tar:
        tar.extractall(data, filter="data")
    return True


def _without_owner(info):
    info.uid = info.gid = 0
    info.uname = info.gname = ""
    return info


def main():
    from .train import FAMILIES, run_dir
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("families", nargs="*", metavar="FAMILY", help=f"default: all of {', '.join(FAMILIES)}")
    families = parser.parse_args().families or list(FAMILIES)
    unknown = sorted(set(families) - set(FAMILIES))
    if unknown:
        parser.error(f"unknown family: {', '.join(unknown)}")
    for name in families:
        parked = park(name, run_dir(name, False))
        print(f"{name}: {'parked' if parked else 'no run to park'}")
    if park_labels():
        print(f"teacher labels: parked in {PARKED / LABELS}")


if __name__ == "__main__":
    main()
