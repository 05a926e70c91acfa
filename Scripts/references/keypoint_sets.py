#!/usr/bin/env python3
"""Writes Pipelines/keypoints/{halpe-26,coco-wholebody-133}.json from MMPose 1.3.2's own dataset metainfo
(configs/_base_/datasets/{halpe26,coco_wholebody}.py through mmpose.datasets.datasets.utils.parse_pose_metainfo):
keypoint names in model output order, skeleton links and flip indices, as MMPose trains and flips them.

Run by Scripts/references/real-references.sh (in its .venv-mmpose-real); deterministic.
"""
import json
import os
import sys

from mmpose.datasets.datasets.utils import parse_pose_metainfo

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
SETS = {"halpe-26": "halpe26.py", "coco-wholebody-133": "coco_wholebody.py"}


def main():
    import mmpose
    configs = os.path.join(os.path.dirname(mmpose.__file__), ".mim", "configs", "_base_", "datasets")
    for name, config in SETS.items():
        meta = parse_pose_metainfo(dict(from_file=os.path.join(configs, config)))
        count = meta["num_keypoints"]
        names = [meta["keypoint_id2name"][i] for i in range(count)]
        payload = {
            "name": name,
            "keypoints": names,
            "skeleton": [[int(a), int(b)] for a, b in meta["skeleton_links"]],
            "flip": [int(i) for i in meta["flip_indices"]],
        }
        path = os.path.join(ROOT, "Pipelines", "keypoints", f"{name}.json")
        with open(path, "w") as f:
            f.write("{\n")
            f.write(f'  "name": {json.dumps(name)},\n')
            f.write(f'  "source": "MMPose 1.3.2 configs/_base_/datasets/{config}",\n')
            f.write(f'  "keypoints": {json.dumps(payload["keypoints"])},\n')
            f.write(f'  "skeleton": {json.dumps(payload["skeleton"])},\n')
            f.write(f'  "flip": {json.dumps(payload["flip"])}\n')
            f.write("}\n")
        print(f"wrote {path} ({count} keypoints)", file=sys.stderr)


if __name__ == "__main__":
    main()
