"""Parking: an unfinished run and the teacher labels carried to a fresh clone."""
import os
import subprocess
from pathlib import Path

import torch

from seedtrain import parked


def make_run(folder, seed=0, total=10, step=4, since_best=0, footage=None):
    folder.mkdir(parents=True)
    torch.save({"seed": seed, "total": total, "step": step, "since_best": since_best, "model": {"w": torch.arange(3.0)},
                "footage": footage,
                "optimiser": {"state": {0: torch.zeros(3)}}}, folder / "checkpoint.pt")
    torch.save({"step": 2, "model": {"w": torch.ones(3)}}, folder / "best.pt")


def test_a_parked_run_resumes_in_an_empty_run_folder(tmp_path):
    run, fresh, shelf = tmp_path / "runs/mca", tmp_path / "fresh/mca", tmp_path / "parked"
    make_run(run)
    assert parked.park("mca", run, parked=shelf)
    assert parked.unpark("mca", fresh, seed=0, total=10, parked=shelf)
    for file in parked.RUN_FILES:
        assert (fresh / file).read_bytes() == (run / file).read_bytes()
    assert torch.load(fresh / "checkpoint.pt", weights_only=False)["step"] == 4


def test_a_finished_run_is_parked_without_its_optimiser(tmp_path):
    from seedtrain.train import PATIENCE
    shelf = tmp_path / "parked"
    for name, step, since_best, kept in (("mca", 10, 0, False), ("tfpose", 6, PATIENCE, False), ("hrnet", 9, 1, True)):
        make_run(tmp_path / "runs" / name, step=step, since_best=since_best)
        parked.park(name, tmp_path / "runs" / name, parked=shelf)
        state = torch.load(shelf / name / "checkpoint.pt", weights_only=False)
        assert ("optimiser" in state) == kept, name
        assert state["step"] == step and torch.equal(state["model"]["w"], torch.arange(3.0))


def test_a_run_folder_with_its_own_checkpoint_is_left_alone(tmp_path):
    run, other, shelf = tmp_path / "runs/mca", tmp_path / "other/mca", tmp_path / "parked"
    make_run(run, step=4)
    make_run(other, step=9)
    parked.park("mca", run, parked=shelf)
    assert not parked.unpark("mca", other, seed=0, total=10, parked=shelf)
    assert torch.load(other / "checkpoint.pt", weights_only=False)["step"] == 9


def test_a_parked_run_of_another_configuration_is_not_resumed(tmp_path):
    run, shelf = tmp_path / "runs/mca", tmp_path / "parked"
    make_run(run, seed=0, total=10)
    parked.park("mca", run, parked=shelf)
    assert not parked.unpark("mca", tmp_path / "a/mca", seed=1, total=10, parked=shelf)
    assert not parked.unpark("mca", tmp_path / "b/mca", seed=0, total=20, parked=shelf)
    assert not (tmp_path / "a/mca/checkpoint.pt").exists()
    assert not parked.unpark("mca", tmp_path / "c/mca", seed=0, total=10, parked=shelf, shapes={"w": (4,)}), "wider"
    assert parked.unpark("mca", tmp_path / "d/mca", seed=0, total=10, parked=shelf, shapes={"w": (3,)})
    # A run begun before its footage changed (clips added, moved between splits, or refused) starts afresh.
    assert not parked.unpark("mca", tmp_path / "e/mca", seed=0, total=10, parked=shelf, footage={"train": ["a.mp4"]})
    make_run(tmp_path / "runs/hourglass", footage={"train": ["a.mp4"]})
    parked.park("hourglass", tmp_path / "runs/hourglass", parked=shelf)
    assert parked.unpark("hourglass", tmp_path / "f/hourglass", seed=0, total=10, parked=shelf, footage={"train": ["a.mp4"]})
    assert not parked.park("hrnet", tmp_path / "runs/hrnet", parked=shelf), "no run, nothing parked"


def test_labels_are_parked_once_and_unpacked_only_where_none_are(tmp_path):
    data, shelf = tmp_path / "data", tmp_path / "parked"
    label = data / "teacher/blazepose/train/clip.mp4.jsonl"
    label.parent.mkdir(parents=True)
    label.write_text('{"frame":0}\n')
    assert parked.park_labels(data, parked=shelf)
    label.write_text("changed\n")
    assert not parked.park_labels(data, parked=shelf), "labels once parked are kept"
    added = data / "teacher/blazepose/validation/new.mp4.jsonl"
    added.parent.mkdir(parents=True)
    added.write_text('{"frame":1}\n')
    assert parked.park_labels(data, parked=shelf), "a clip added to the footage joins the parked labels"
    assert not parked.park_labels(data, parked=shelf)
    fresh = tmp_path / "fresh"
    assert parked.unpark_labels(fresh, parked=shelf)
    assert (fresh / "teacher/blazepose/train/clip.mp4.jsonl").read_text() == '{"frame":0}\n'
    assert (fresh / "teacher/blazepose/validation/new.mp4.jsonl").read_text() == '{"frame":1}\n'
    assert not parked.unpark_labels(data, parked=shelf), "labels present: nothing unpacked"
    assert label.read_text() == "changed\n"


def test_park_sh_parks_each_named_run_and_says_where_there_was_none(tmp_path):
    repo = Path(__file__).resolve().parents[3]
    runs, shelf = tmp_path / "runs", tmp_path / "parked"
    make_run(runs / "mca")
    env = dict(os.environ, SEEDTRAIN_RUNS=str(runs), SEEDTRAIN_PARKED=str(shelf), SEEDTRAIN_DATA=str(tmp_path / "data"))
    done = subprocess.run([str(repo / "Scripts/training/park.sh"), "mca", "hrnet"], env=env, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines() == ["mca: parked", "hrnet: no run to park"]
    assert (shelf / "mca/checkpoint.pt").read_bytes() == (runs / "mca/checkpoint.pt").read_bytes()
    wrong = subprocess.run([str(repo / "Scripts/training/park.sh"), "alexnet"], env=env, capture_output=True, text=True)
    assert wrong.returncode == 2 and "unknown family: alexnet" in wrong.stderr
