"""Does each family's target decode back to the teacher's point? `python -m seedtrain.checks`

1. Random sub-pixel points: target -> reference decode, error in heatmap cells (must be <= 0.25: the
   quarter-offset decoders cannot do better).
2. The whole chain on the held-out teacher labels: teacher box -> MMPose crop -> the family's target for
   the teacher keypoints -> reference decode -> back to the frame; error / sqrt(box w * h). This is what a
   perfect student would score in evaluate.py, so the cards can be read against it.
Writes .runs-seedtrain/checks.json.
"""
import json

import numpy as np

from . import crops, teacher
from .train import FAMILIES, RUNS, load_family


def perfect_outputs(family, keypoints, clear):
    t = family.targets(keypoints, clear)
    if family.codec == "regression":
        # sigma channels at a confident logit: decode reads x, y only for position
        return {family.output_names[-1]: np.concatenate([t["coords"], np.full((len(keypoints), 2), -4.0)], 1)}
    if family.name == "mspn":
        last = f"s{family.stages - 1}u{family.units - 1}"
        return {family.output_names[-1]: t[last]}
    return {family.output_names[-1]: t["heatmaps"]}


def random_points(family, rng, count=1700):
    margin = 12
    pts = rng.uniform([margin, margin], [family.input_w - margin, family.input_h - margin], size=(count, 2))
    errors = []
    for i in range(0, count, 17):
        kp = pts[i:i + 17]
        out, _ = family.decode(perfect_outputs(family, kp, np.ones(len(kp), bool)))
        errors.append(np.abs(out - kp).max(1))
    stride = family.input_w / getattr(family, "heatmap_w", family.input_w)
    return float(np.concatenate(errors).max() / stride)


def heldout_chain(family):
    errors = []
    for clip in sorted((teacher.DATA / "clips/heldout").glob("*.mp4")):
        for people, _ in teacher.read_teacher(clip):
            for p in people:
                box, kp, clear = p.box, p.keypoints, p.clear
                center, scale = crops.box_center_scale(box, family.input_w, family.input_h)
                matrix = crops.warp_matrix(center, scale, family.input_w, family.input_h)
                local = crops.apply_affine(matrix, kp)
                decoded, _ = family.decode(perfect_outputs(family, local, clear))
                back = crops.apply_affine(crops.invert_affine(matrix), decoded)
                size = np.sqrt(box[2] * box[3])
                errors.extend((np.linalg.norm(back - kp, axis=1)[clear] / size).tolist())
    e = np.array(errors)
    return {"median": float(np.median(e)), "max": float(e.max()), "pck05": float((e < 0.05).mean())}


def main():
    rng = np.random.default_rng(0)
    report = {}
    for name in FAMILIES:
        family = load_family(name)
        report[name] = {"codec": family.codec, "max_error_cells_random": random_points(family, rng),
                        "heldout_chain": heldout_chain(family)}
        print(name, json.dumps(report[name]), flush=True)
        if family.codec != "regression":
            assert report[name]["max_error_cells_random"] <= 0.25 + 1e-6, f"{name}: target does not decode back"
    RUNS.mkdir(parents=True, exist_ok=True)
    (RUNS / "checks.json").write_text(json.dumps(report, indent=1))


if __name__ == "__main__":
    main()
