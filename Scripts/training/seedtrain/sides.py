"""Where a family's misses on the validation view go: per joint, how many of the teacher's clear keypoints the
shipped model places within 0.1 of the box of their own joint (PCK@0.1), and how many it places beyond that but
within 0.1 of the teacher's keypoint of the mirror joint (left for right): the model took the other side. Per
left/right pair, whether the model swapped the two limbs or put both joints on one of them: a model that cannot
tell the limbs apart peaks both channels on the same limb (half the pair right), one that reads the body's
facing wrongly swaps them.

    PYTHONPATH=Scripts/training:Scripts/lib python -m seedtrain.sides FAMILY

Runs Pipelines/FAMILY/FAMILY.onnx (ONNX Runtime) on the validation view's crops, cut as validate.py cuts them.
"""
import argparse

import numpy as np

from . import teacher
from .evaluate import decoded, session_of
from .keypoints import COCO_NAMES, FLIP_INDICES
from .train import FAMILIES, load_family
from .validate import Validator


def sides(points, truth, clear, box_wh):
    """Per joint: (clear keypoints, within 0.1 of their own joint, missed but within 0.1 of the mirror joint)."""
    size = np.sqrt(box_wh[:, 0] * box_wh[:, 1])[:, None]
    own = np.linalg.norm(points - truth, axis=-1) / size
    mirror = np.linalg.norm(points - truth[:, FLIP_INDICES], axis=-1) / size
    hit, swapped = (own < 0.1) & clear, (own >= 0.1) & (mirror < 0.1) & clear
    return clear.sum(0), hit.sum(0), swapped.sum(0)


PAIRS = [(k, m) for k, m in enumerate(FLIP_INDICES) if k < m]
OUTCOMES = ("both right", "swapped", "both on one limb", "other")


def pairs(points, truth, clear, box_wh):
    """Per left/right pair (PAIRS), how many people fall in each of OUTCOMES, counting only people whose two
    joints the teacher calls clear and holds at least 0.1 of the box apart (closer, the outcomes are the same)."""
    size = np.sqrt(box_wh[:, 0] * box_wh[:, 1])
    counts = np.zeros((len(PAIRS), len(OUTCOMES)), int)
    for p, (left, right) in enumerate(PAIRS):
        def near(joint, target):
            return np.linalg.norm(points[:, joint] - truth[:, target], axis=-1) / size < 0.1
        judged = clear[:, left] & clear[:, right] & (np.linalg.norm(truth[:, left] - truth[:, right], axis=-1) / size >= 0.1)
        right_ = near(left, left) & near(right, right)
        swapped = near(left, right) & near(right, left)
        one_limb = (near(left, left) & near(right, left)) | (near(left, right) & near(right, right))
        for o, outcome in enumerate((right_, swapped & ~right_, one_limb & ~right_ & ~swapped)):
            counts[p, o] = (outcome & judged).sum()
        counts[p, 3] = judged.sum() - counts[p, :3].sum()
    return counts


def predictions(name, validator):
    """The shipped model's keypoints [N, K, 2] for every validation crop, in batches of 16."""
    session = session_of(name)
    batches = range(0, len(validator.inputs), 16)
    return np.concatenate([decoded(session, validator.family, validator.inputs[start:start + 16],
                                   validator.inverses[start:start + 16])[0] for start in batches])


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("family", choices=FAMILIES)
    name = parser.parse_args().family
    validator = Validator(teacher.prepare(), load_family(name).configured(False))
    people = np.flatnonzero(validator.person)
    arrays = (predictions(name, validator)[people], validator.keypoints[people], validator.clear[people],
              validator.box_wh[people])
    counts = sides(*arrays)
    print(f"{name} on the validation view: {len(people)} teacher people\n")
    print("| joint | clear keypoints | PCK@0.1 | the other side's instead | share of the misses |")
    print("|---|---|---|---|---|")
    for k, joint in enumerate(COCO_NAMES):
        n, hit, swapped = (int(c[k]) for c in counts)
        missed = n - hit
        print(f"| {joint} | {n} | {hit / max(n, 1):.3f} | {swapped / max(n, 1):.3f} | "
              f"{swapped / missed if missed else 0:.2f} |")
    print("\n| pair | people judged | " + " | ".join(OUTCOMES) + " |")
    print("|---|---|" + "---|" * len(OUTCOMES))
    for (left, _), row in zip(PAIRS, pairs(*arrays)):
        joint = COCO_NAMES[left].removeprefix("left_")
        print(f"| {joint}s | {row.sum()} | " + " | ".join(f"{c / max(row.sum(), 1):.2f}" for c in row) + " |")


if __name__ == "__main__":
    main()
