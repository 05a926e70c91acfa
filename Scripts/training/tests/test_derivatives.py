"""Footage made from the held-out footage is found and refused (seedtrain.derivatives), on real clips: pose2sim's
Demo_MultiPerson cam04 is Demo_SinglePerson cam04's man re-rendered with a woman added, and no byte of the two
files is shared; Sports2D's clip is another take of other people."""
import dataclasses
import subprocess
import zipfile

import numpy as np
import pytest

from seedtrain import derivatives, footage, multiview, teacher

FRAMES = 40     # the debug build labels 40 portrait frames in seconds


@pytest.fixture(scope="module")
def labelled(posepipe, tmp_path_factory):
    """Teacher frames of the first FRAMES frames of three real clips, and their frame sizes."""
    folder = tmp_path_factory.mktemp("derivatives")
    with zipfile.ZipFile(multiview.pose2sim_wheel(footage.DATA)) as z:
        for name in ("SinglePerson", "MultiPerson"):
            (folder / f"{name}.mp4").write_bytes(z.read(f"Pose2Sim/Demo_{name}/videos/cam04.mp4"))
    sports = footage.REPO / "Fixtures/sports2d_demo.mp4"
    clips = {"held": folder / "SinglePerson.mp4", "derived": folder / "MultiPerson.mp4", "other": sports}
    out = {}
    for key, clip in clips.items():
        cut = folder / f"{key}-cut.mp4"
        subprocess.run(["ffmpeg", "-v", "error", "-i", str(clip), "-frames:v", str(FRAMES), "-c:v", "libx264",
                        "-crf", "18", str(cut)], check=True)
        labels = folder / f"{key}.jsonl"
        subprocess.run([str(posepipe), str(cut), "-o", str(labels), "--quiet"], check=True)
        frames = [[p for p in persons if teacher.teachable(p)] for persons in teacher.read_run(labels, "blazepose")]
        out[key] = (cut, frames, teacher.frame_size(cut))
    return out


def share(labelled, key):
    _, held, held_size = labelled["held"]
    _, other, other_size = labelled[key]
    return derivatives.shared_share(held, other, held_size, other_size)


def test_a_re_render_of_held_out_footage_is_found(labelled):
    assert share(labelled, "derived") >= 0.8


def test_another_take_of_other_people_is_not(labelled):
    assert share(labelled, "other") == 0.0


def test_a_man_moved_by_a_twentieth_of_his_height_is_another_take(labelled):
    _, held, size = labelled["held"]
    moved = [[dataclasses.replace(p, keypoints=p.keypoints + 0.05 * max(p.box[2:])) for p in persons] for persons in held]
    assert derivatives.shared_share(held, moved, size, size) == 0.0
    resized = [[dataclasses.replace(p, keypoints=p.keypoints * 0.5, box=p.box * 0.5) for p in persons] for persons in held]
    assert derivatives.shared_share(held, resized, size, (size[0] / 2, size[1] / 2)) == 1.0, "a smaller copy is one"


def test_training_on_a_derivative_is_refused(labelled):
    by_path = {path: (frames, size) for path, frames, size in labelled.values()}
    paths = {"heldout": [labelled["held"][0]], "train": [labelled["other"][0]], "validation": [labelled["derived"][0]]}
    with pytest.raises(SystemExit, match="MultiPerson|derived"):
        derivatives.refuse(paths, lambda p: by_path[p][0], lambda p: by_path[p][1])
    paths["validation"] = []
    derivatives.refuse(paths, lambda p: by_path[p][0], lambda p: by_path[p][1])


def test_footage_learned_from_holds_no_pose2sim_lab_clip():
    learned = [c for c in footage.CLIPS if c.split in footage.LEARNED_FROM]
    assert learned and not [c.name for c in learned if c.package == footage.POSE2SIM]
