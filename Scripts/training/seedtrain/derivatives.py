"""Refuses footage made from the held-out footage: a clip learned from whose people move as a held-out clip's do.

A byte comparison (footage.materialise) misses a re-render: pose2sim's Demo_MultiPerson is Demo_SinglePerson's
capture of the man, from the same cameras, re-encoded without his markers and with a woman added, so no frame is
the same file, yet the teacher follows him in both to within 0.7 % of his height, one frame apart. Two takes of a
movement never coincide that closely for long: a person of the held-out clip counts as found in a frame when some
person of the other clip, a few frames either way, has their clear keypoints within MATCH of the held-out person's
size (median over the keypoints clear in both), and a clip in which MIN_SHARE of the held-out clip's persons are
found is a derivative. Demo_MultiPerson's four views share 0.88 / 0.83 / 0.35 / 0.97 with their Demo_SinglePerson
twins (cam03's teacher often follows the woman), every other pair 0.00.

    PYTHONPATH=Scripts/training:Scripts/lib python -m seedtrain.derivatives   # every pair, the share found
"""
import sys

import numpy as np

MATCH = 0.02        # median keypoint distance / the held-out person's larger box side
MIN_SHARE = 0.2     # of the held-out clip's persons, at the best frame shift (unrelated clips: 0.00)
MAX_SHIFT = 3       # frames either way (a re-encode may drop or add one at the start)
MIN_KEYPOINTS = 4   # clear in both, for a comparison to count


def found(person, candidates, scale):
    """Whether one of `candidates` (persons of the other clip's frame) is `person` moved by at most MATCH."""
    side = max(person.box[2], person.box[3]) * max(scale)
    points = person.keypoints * scale
    for other in candidates:
        both = person.clear & other.clear
        if both.sum() < MIN_KEYPOINTS:
            continue
        if np.median(np.linalg.norm(other.keypoints[both] - points[both], axis=1)) < MATCH * side:
            return True
    return False


def shared_share(heldout, other, heldout_size, other_size):
    """The largest share, over frame shifts, of the held-out clip's persons found in the other clip.
    `heldout` and `other` are teacher frames (lists of persons); sizes are (width, height) of their frames."""
    scale = np.asarray(other_size, float) / np.asarray(heldout_size, float)
    best = 0.0
    for shift in range(-MAX_SHIFT, MAX_SHIFT + 1):
        hits = total = 0
        for index, persons in enumerate(heldout):
            j = index + shift
            if not 0 <= j < len(other):
                continue
            for person in persons:
                total += 1
                hits += found(person, other[j], scale)
        if total:
            best = max(best, hits / total)
    return best


def refuse(paths, read, size):
    """Raises when a training or validation clip is a derivative of a held-out one. `read(path)` gives a clip's
    teacher frames, `size(path)` its frame size."""
    heldout = [(p, read(p), size(p)) for p in paths["heldout"]]
    for split in ("train", "validation"):
        for path in paths[split]:
            frames, frame_size = read(path), size(path)
            for held_path, held_frames, held_size in heldout:
                share = shared_share(held_frames, frames, held_size, frame_size)
                if share >= MIN_SHARE:
                    raise SystemExit(f"{path.name} ({split}) follows the people of the held-out {held_path.name} in "
                                     f"{share:.0%} of its frames: it is made from held-out footage")


def main():
    from . import footage, teacher
    paths = footage.materialise(sys.executable)
    teacher.run_teacher(paths)
    clips = {p: (teacher.teachable_persons(p), teacher.frame_size(p)) for split in paths.values() for p in split}
    for held in paths["heldout"]:
        for split in ("train", "validation", "derived"):
            for path in paths[split]:
                share = shared_share(clips[held][0], clips[path][0], clips[held][1], clips[path][1])
                print(f"{held.name}\t{split}\t{path.name}\t{share:.2f}")


if __name__ == "__main__":
    main()
