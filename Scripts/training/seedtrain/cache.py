"""The crop cache: diverse person crops and crops without a person, stored as square patches.

Each crop is one square patch (PATCH_EXTENT x the larger side of its box, resampled to PATCH px) so that
training warps small patches instead of decoding video. Consecutive frames of a clip are nearly identical, so
that near-identical crops do not dominate, each track is cut into runs of crops whose pose stays within
NOVELTY of the run's first (or REFRESH frames), and every run weighs as much as one crop when batches are
drawn: a person standing still for 100 frames counts once, a person moving counts every time the pose changes.
Crops without a person are cut where neither teacher run saw anyone, at the sizes of the clip's people: they
teach every family to say "nobody here", which is how a followed crop that has lost its person ends.
Training crops come from the train split, validation crops from the validation split.
"""
import os

import numpy as np

from . import crops, teacher
from .keypoints import NUM_KEYPOINTS

PATCH = 512
PATCH_EXTENT = 3.2      # patch side / larger box side: room for scale 1.3, rotation 30 deg and shifts
NOVELTY = 0.03          # mean clear-joint displacement / box side, position removed, that makes a crop new
REFRESH = 30            # frames after which a track's crop is new whatever its pose
NEGATIVE_RATE = 0.15    # crops without a person per person crop, where the frame has room for one
NEGATIVE_MARGIN = 1.6   # a crop without a person keeps this many of its sides away from every box seen


def normalised_pose(person):
    side = max(person.box[2], person.box[3])
    centre = person.box[:2] + person.box[2:] * 0.5
    return (person.keypoints - centre) / side


def novelty(pose, clear, previous):
    old_pose, old_clear = previous
    both = clear & old_clear
    if both.sum() < 4:
        return np.inf
    return float(np.linalg.norm(pose[both] - old_pose[both], axis=1).mean())


def weigh_persons(frames):
    """(frame index, person, weight) for every teachable person: 1 / the length of the run of near-identical
    crops the person's crop belongs to (a run starts at a track's first crop and at every crop that is new
    against the run's first)."""
    first, runs, chosen = {}, [], []
    for index, (persons, _) in enumerate(frames):
        for person in persons:
            pose = normalised_pose(person)
            start = first.get(person.track)
            if start is None or index - start[0] >= REFRESH or novelty(pose, person.clear, start[1:3]) >= NOVELTY:
                first[person.track] = (index, pose, person.clear, len(runs))
                runs.append(0)
            run = first[person.track][3]
            runs[run] += 1
            chosen.append((index, person, run))
    return [(index, person, 1.0 / runs[run]) for index, person, run in chosen]


def overlaps(a, b, margin):
    """Whether box a, grown by `margin` about its centre, touches box b."""
    cx, cy = a[0] + a[2] / 2, a[1] + a[3] / 2
    w, h = a[2] * margin, a[3] * margin
    return not (cx + w / 2 < b[0] or b[0] + b[2] < cx - w / 2 or cy + h / 2 < b[1] or b[1] + b[3] < cy - h / 2)


def select_negatives(frames, chosen, frame_size, rng, tries=30):
    """(frame index, box) pairs for crops without a person, at the sizes of the clip's people: about
    NEGATIVE_RATE of the people's weight, spread over the frames in proportion to it."""
    sizes = [p.box[2:] for _, p, _ in chosen]
    if not sizes:
        return []
    width, height = frame_size
    weight = {}
    for index, _, w in chosen:
        weight[index] = weight.get(index, 0.0) + w
    out = []
    for index in sorted(weight):
        if rng.random() >= NEGATIVE_RATE * weight[index]:
            continue
        boxes = frames[index][1]
        for _ in range(tries):
            w, h = sizes[rng.integers(len(sizes))] * rng.uniform(0.8, 1.5)
            if w >= width or h >= height:
                continue
            box = np.array([rng.uniform(0, width - w), rng.uniform(0, height - h), w, h])
            if not any(overlaps(box, b, NEGATIVE_MARGIN) for b in boxes):
                out.append((index, box))
                break
    return out


class Writer:
    """Patches into a memory-mapped .npy and their labels, written under temporary names and renamed last."""

    def __init__(self, folder, stem, count, sources=()):
        self.folder, self.stem, self.sources = folder, stem, sorted(sources)
        self.patches = np.lib.format.open_memmap(folder / f"{stem}_patches.tmp.npy", mode="w+", dtype=np.uint8,
                                                 shape=(count, PATCH, PATCH, 3))
        self.keypoints = np.zeros((count, NUM_KEYPOINTS, 2), np.float32)
        self.clear = np.zeros((count, NUM_KEYPOINTS), bool)
        self.box_wh = np.zeros((count, 2), np.float32)
        self.person = np.zeros(count, bool)
        self.weight = np.zeros(count, np.float32)
        self.clips, self.frames, self.next = [], [], 0

    def add(self, clip, index, frame, box, person, weight=1.0):
        i = self.next
        centre = box[:2] + box[2:] * 0.5
        side = PATCH_EXTENT * max(box[2], box[3])
        matrix = crops.warp_matrix(centre, (side, side), PATCH, PATCH)
        self.patches[i] = crops.warp(frame, matrix, PATCH, PATCH)
        if person is not None:
            self.keypoints[i] = crops.apply_affine(matrix, person.keypoints)
            self.clear[i] = person.clear
            self.person[i] = True
        self.box_wh[i] = box[2:] * PATCH / side
        self.weight[i] = weight
        self.clips.append(clip)
        self.frames.append(index)
        self.next += 1

    def close(self):
        assert self.next == len(self.person), f"{self.stem}: {self.next} of {len(self.person)} crops written"
        self.patches.flush()
        del self.patches
        os.replace(self.folder / f"{self.stem}_patches.tmp.npy", self.folder / f"{self.stem}_patches.npy")
        np.savez(self.folder / f"{self.stem}.tmp.npz", sources=np.array(self.sources, dtype=str),
                 keypoints=self.keypoints, clear=self.clear, box_wh=self.box_wh, person=self.person,
                 weight=self.weight, clips=np.array(self.clips), frames=np.array(self.frames))
        os.replace(self.folder / f"{self.stem}.tmp.npz", self.folder / f"{self.stem}.npz")


def plan(clip_path, rng):
    """The clip's crops: {frame index: [(box, person or None, weight)]}. A crop without a person weighs as much
    as an average person run."""
    frames = teacher.read_teacher(clip_path)
    chosen = weigh_persons(frames)
    negatives = select_negatives(frames, chosen, teacher.frame_size(clip_path), rng)
    by_frame = {}
    for index, person, weight in chosen:
        by_frame.setdefault(index, []).append((person.box, person, weight))
    for index, box in negatives:
        by_frame.setdefault(index, []).append((box, None, 1.0))
    return by_frame


def write_split(folder, stem, clip_paths, seed):
    plans = {p: plan(p, np.random.default_rng([seed, sum(p.name.encode())])) for p in sorted(clip_paths)}
    writer = Writer(folder, stem, sum(len(v) for by_frame in plans.values() for v in by_frame.values()),
                    [p.name for p in clip_paths])
    for clip_path, by_frame in plans.items():
        for index, frame in enumerate(teacher.decode_frames(clip_path)):
            for box, person, weight in by_frame.get(index, []):
                writer.add(clip_path.name, index, frame, box, person, weight)
    writer.close()


def sources(paths):
    """The clips the cache is cut from, split by split: a run's checkpoint records them (train.py), and a cache
    cut from other clips is cut again."""
    return {split: sorted(p.name for p in paths[split]) for split in ("train", "validation")}


def build(paths, seed=0):
    """.data-seedtrain/cache/{train,validation}{_patches.npy,.npz}, each made once for its list of clips."""
    folder = teacher.DATA / "cache"
    folder.mkdir(parents=True, exist_ok=True)
    wanted = sources(paths)
    for split in ("train", "validation"):
        labels = folder / f"{split}.npz"
        if labels.exists() and np.load(labels).get("sources", np.array([])).tolist() == wanted[split]:
            continue
        write_split(folder, split, paths[split], seed)
    return folder
