"""Fixtures for the training package's tests: a tiny crop cache made the way training makes its own, from the
teacher (posepipe's default pipeline, the debug build Scripts/test.sh has just made) run on a real clip."""
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pytest

REPO = Path(__file__).resolve().parents[3]
sys.path[:0] = [str(REPO / "Scripts/training"), str(REPO / "Scripts/lib")]
# Runs and exports of the tests never touch the repository's own .runs-seedtrain/ or Pipelines/ ...
os.environ.setdefault("SEEDTRAIN_RUNS", tempfile.mkdtemp(prefix="seedtrain-runs-"))
# ... nor resume a run parked in the repository's Scripts/training/parked/.
os.environ.setdefault("SEEDTRAIN_PARKED", tempfile.mkdtemp(prefix="seedtrain-parked-"))

from seedtrain import cache, teacher  # noqa: E402

CLIP = REPO / "Fixtures/mmpose/person.mkv"


@pytest.fixture(scope="session")
def posepipe():
    path = Path(os.environ.get("POSEPIPE", REPO / ".build/debug/posepipe"))
    assert path.exists(), f"{path} is missing: Scripts/test.sh builds it before the Python tests"
    return path


@pytest.fixture(scope="session")
def teacher_frames(posepipe, tmp_path_factory):
    out = tmp_path_factory.mktemp("teacher") / "person.jsonl"
    subprocess.run([str(posepipe), str(CLIP), "-o", str(out), "--no-smoothing", "--quiet"], check=True)
    return teacher.read_run(out, "blazepose")


@pytest.fixture(scope="session")
def tiny_cache(teacher_frames, tmp_path_factory):
    """train and validation splits: every teacher person of the clip's first frames, and one crop without a
    person per split (a corner of the frame, away from the person)."""
    folder = tmp_path_factory.mktemp("cache")
    frames = list(teacher.decode_frames(CLIP))
    people = [(i, p) for i, persons in enumerate(teacher_frames[:4]) for p in persons if teacher.teachable(p)]
    assert len(people) >= 2, "the teacher should find the person in the clip's first frames"
    for split in ("train", "validation"):
        writer = cache.Writer(folder, split, len(people) + 1)
        for index, person in people:
            writer.add(CLIP.name, index, frames[index], person.box, person)
        writer.add(CLIP.name, 0, frames[0], np.array([0.0, 0.0, 40.0, 60.0]), None)
        writer.close()
    return folder
