"""Teacher labels: the best posepipe's default pipeline can do offline, on every clip of footage.py.

`python -m seedtrain.teacher` runs the release binary twice over .data-seedtrain/clips/ with the flip test and
offline smoothing (the default for files), once with BlazePose's own detector and once with the box detector
(EfficientDet-Lite0), which finds people BlazePose's face-based detector misses (seen from behind, far away).
Per frame the two are merged: every person of the first run, plus the second run's people whose box overlaps
none of them. Labels are COCO-17 in pixel-centre coordinates (posepipe's corner-origin values minus 0.5).
"""
import argparse
import json
import os
import subprocess
import sys
from dataclasses import dataclass

import numpy as np

from . import footage, parked
from .keypoints import BLAZEPOSE_TO_COCO, CLEAR_SCORE

DATA = footage.DATA
REPO = footage.REPO
RUNS = {"blazepose": [], "box": ["--detector", "efficientdet-lite0"]}
TEACHER_OPTIONS = ["--flip-test", "--threads", "2", "--quiet"]
MERGE_IOU = 0.3          # a second-run person overlapping a first-run person this much is the same person
MIN_CLEAR = 4            # a teacher person with fewer clear COCO joints teaches little
MIN_SIDE = 16.0          # px: smaller boxes are too coarse to crop at 256 px


@dataclass
class Person:
    box: np.ndarray        # [x, y, w, h], pixel-centre coordinates
    keypoints: np.ndarray  # [17, 2] COCO, pixel-centre coordinates
    clear: np.ndarray      # [17] bool: scored >= CLEAR_SCORE by the teacher
    track: str             # "RUN:id": the teacher's track, for sampling


def binary():
    path = REPO / ".build/release/posepipe"
    if not path.exists():
        # FFmpeg's libraries and ONNX Runtime (.deps/) first, as Scripts/demo.sh does.
        subprocess.run([str(REPO / "Scripts/setup.sh")], cwd=REPO, check=True)
        env = dict(os.environ, PATH="/opt/swift/usr/bin:" + os.environ.get("PATH", ""))
        subprocess.run(["swift", "build", "-c", "release", "--product", "posepipe"], cwd=REPO, env=env, check=True)
    return path


def label_path(run, clip_path):
    return DATA / "teacher" / run / clip_path.parent.name / (clip_path.name + ".jsonl")


def run_teacher(paths):
    """Both runs over every clip. A folder run resumes (finished outputs are skipped), and labels once made
    are kept: they must not depend on the binary of the day."""
    every = [p for split in paths.values() for p in split]
    if parked.unpark_labels():
        for clip in footage.CLIPS:
            footage.relocate(clip)
    for run, options in RUNS.items():
        if all(label_path(run, p).exists() for p in every):
            continue
        subprocess.run([str(binary()), str(DATA / "clips"), "-o", str(DATA / "teacher" / run), *TEACHER_OPTIONS,
                        *options], cwd=REPO, check=True)


def read_run(jsonl, run):
    """Per frame, the run's persons (all of them: filtering comes after merging)."""
    frames = []
    with open(jsonl) as f:
        header = json.loads(f.readline())
        assert header["keypoints"][0] == "nose" and len(header["keypoints"]) == 33, "teacher must be BlazePose-33"
        for line in f:
            record = json.loads(line)
            persons = []
            for person in record["persons"]:
                kp = np.asarray(person["keypoints"], dtype=np.float64)[BLAZEPOSE_TO_COCO]
                box = np.asarray(person["box"], dtype=np.float64)
                box[:2] -= 0.5
                persons.append(Person(box, kp[:, :2] - 0.5, kp[:, 2] >= CLEAR_SCORE, f"{run}:{person['id']}"))
            frames.append(persons)
    return frames


def iou(a, b):
    x0, y0 = max(a[0], b[0]), max(a[1], b[1])
    x1, y1 = min(a[0] + a[2], b[0] + b[2]), min(a[1] + a[3], b[1] + b[3])
    inter = max(0.0, x1 - x0) * max(0.0, y1 - y0)
    union = a[2] * a[3] + b[2] * b[3] - inter
    return inter / union if union > 0 else 0.0


def merge(first, second):
    """Every person of the first run, plus the second run's people that overlap none of them."""
    return first + [p for p in second if all(iou(p.box, q.box) < MERGE_IOU for q in first)]


def teachable(person):
    return person.clear.sum() >= MIN_CLEAR and max(person.box[2], person.box[3]) >= MIN_SIDE


def read_teacher(clip_path):
    """Per frame of a clip: (teachable persons, every box either run saw). The boxes keep negative crops
    away from anyone, teachable or not."""
    runs = [read_run(label_path(run, clip_path), run) for run in RUNS]
    assert len({len(r) for r in runs}) == 1, f"{clip_path}: the runs disagree on the frame count"
    frames = []
    for per_run in zip(*runs):
        merged = merge(*per_run)
        boxes = [p.box for persons in per_run for p in persons]
        frames.append(([p for p in merged if teachable(p)], boxes))
    return frames


def teachable_persons(clip_path):
    """Per frame of a clip, its teachable persons (read_teacher without the boxes)."""
    return [persons for persons, _ in read_teacher(clip_path)]


def frame_size(path):
    """(width, height) of the clip's frames as displayed (a rotation of 90 or 270 degrees swaps them)."""
    probe = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                            "stream=width,height:stream_side_data=rotation", "-of", "json", str(path)],
                           capture_output=True, text=True, check=True)
    stream = json.loads(probe.stdout)["streams"][0]
    rotation = 0
    for side in stream.get("side_data_list", []):
        rotation = int(side.get("rotation", 0))
    w, h = stream["width"], stream["height"]
    return (h, w) if rotation % 180 else (w, h)


def decode_frames(path):
    """Every decoded frame, displayed orientation, RGB, in posepipe's frame order."""
    w, h = frame_size(path)
    proc = subprocess.Popen(["ffmpeg", "-v", "error", "-i", str(path), "-f", "rawvideo", "-pix_fmt", "rgb24",
                             "-fps_mode", "passthrough", "-"], stdout=subprocess.PIPE)
    size = w * h * 3
    try:
        while True:
            buf = proc.stdout.read(size)
            if len(buf) < size:
                break
            yield np.frombuffer(buf, dtype=np.uint8).reshape(h, w, 3)
    finally:
        proc.stdout.close()
        proc.wait()


def prepare(python=sys.executable):
    """Clips, labels and the crop cache, each made once."""
    from . import cache, derivatives
    paths = footage.materialise(python)
    run_teacher(paths)
    derivatives.refuse(paths, teachable_persons, frame_size)
    return cache.build(paths)


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__).parse_args()
    cache_dir = prepare()
    labels = np.load(cache_dir / "train.npz")
    clips, counts = np.unique(labels["clips"], return_counts=True)
    for clip_name, n in zip(clips, counts):
        mask = labels["clips"] == clip_name
        print(f"{clip_name}: {len(np.unique(labels['frames'][mask]))} frames, {int(labels['person'][mask].sum())} "
              f"person crops, {int((~labels['person'][mask]).sum())} crops without a person")
    print(f"total: {int(labels['person'].sum())} person crops, {int((~labels['person']).sum())} without, "
          f"{int(labels['clear'].sum())} clear keypoints")
