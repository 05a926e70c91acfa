#!/usr/bin/env python3
"""Each trained family's real output for one real person crop, with its reference decode:
writes Fixtures/codecs/family-FAMILY.json for hrnet, hourglass, mca, mspn and tfpose.

The crop: frame 0 of Fixtures/mmpose/person.mkv (a lossless one-person clip), the whole frame as the
person box, cut by MMPose 1.3.2's own GetBBoxCenterScale + TopdownAffine to the family's input and normalised
as its Pipelines/FAMILY/pipeline.json says. The model runs in ONNX Runtime; the output the description
decodes is stored as float16 (half the bytes; the reference decodes the float16 values, so nothing is
lost for the comparison) and decoded by MMPose's own codec (mmpose_references.py), or for HRNet's `joint`
guard and Newell's decode, which no installable code has, by the hand-written ones in codec_reference.py.
FamilyOutputDecodeTests decodes the same values with the codec posepipe builds from the pipeline.json.

Usage: family_outputs.py [FAMILY...]  (in .venv-mmpose-real with onnxruntime; made by
`Scripts/references/family-outputs.sh`, which pins them). Rerun it whenever a family's ONNX model changes: the
fixture records the model's sha256 and the test refuses a stale fixture.
"""
import base64
import hashlib
import json
import os
import sys

import numpy as np
import onnxruntime as ort

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import codec_reference as handwritten  # noqa: E402
import mmpose_references as real  # noqa: E402
from mmpose.datasets.transforms import GetBBoxCenterScale, TopdownAffine  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
FAMILIES = ("hrnet", "hourglass", "mca", "mspn", "tfpose")
VIDEO = os.path.join("Fixtures", "mmpose", "person.mkv")


def normalise(crop, spec):
    """The description's input rule on RGB 0-255: mean/std, or a linear map to `range`."""
    x = crop.astype(np.float32)
    if "mean" in spec:
        x = (x - np.array(spec["mean"], np.float32)) / np.array(spec["std"], np.float32)
    else:
        low, high = spec.get("range", [0, 255])
        x = x / np.float32(255) * np.float32(high - low) + np.float32(low)
    return x.transpose(2, 0, 1)[None]


def reference_decode(codec, values, input_w, input_h):
    """(x, y, score) per keypoint in input pixels by the decode the codec names."""
    kind = codec["type"]
    if kind == "msra" and codec.get("guard") == "joint":
        _, coords, scores = handwritten.hrnet_decode(values, (input_w, input_h))
    elif kind == "msra":
        _, coords, scores = real.msra(values, (input_w, input_h))
    elif kind == "newell":
        _, coords, scores = handwritten.newell_decode(values, input_w)
    elif kind == "megvii":
        _, coords, scores = real.megvii(values, (input_w, input_h), codec["kernel"])
    elif kind == "regression" and codec.get("format") == "rle" and codec.get("units") == "normalized":
        coords, scores = real.regression(values, (input_w, input_h))
    else:
        raise SystemExit(f"family_outputs: no reference decode for codec {codec}")
    return [[real.num(c[0]), real.num(c[1]), real.num(s)] for c, s in zip(coords, scores)]


def record(family, frame):
    folder = os.path.join(ROOT, "Pipelines", family)
    with open(os.path.join(folder, "pipeline.json")) as f:
        pose = json.load(f)["pose"]
    model = os.path.join(folder, pose["model"])
    session = ort.InferenceSession(model, providers=["CPUExecutionProvider"])
    _, _, input_h, input_w = session.get_inputs()[0].shape
    codec = pose["codec"]
    output = codec.get("output") or session.get_outputs()[-1].name
    shape = next(o.shape for o in session.get_outputs() if o.name == output)

    h, w = frame.shape[:2]
    results = GetBBoxCenterScale(padding=pose["crop"]["padding"]).transform(
        dict(img=frame.copy(), bbox=np.array([[0, 0, w, h]], np.float32)))
    crop = TopdownAffine(input_size=(input_w, input_h)).transform(results)["img"]
    raw = session.run([output], {pose["input"]["name"]: normalise(crop, pose["input"])})[0][0]
    half = raw.astype("<f2")
    values = half.astype(np.float32)
    if codec.get("layout", "NCHW") != "NCHW" and values.ndim == 3:
        raise SystemExit(f"family_outputs: {family}: only NCHW heatmaps are recorded")
    with open(model, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()
    entry = {
        "family": family, "model": pose["model"], "model_sha256": digest,
        "source": f"{VIDEO} frame 0, whole-frame box, MMPose 1.3.2 TopdownAffine (padding {pose['crop']['padding']}), "
                  "ONNX Runtime " + ort.__version__,
        "codec": codec, "output": output, "shape": [1] + list(raw.shape), "input_width": input_w,
        "input_height": input_h, "float16le_base64": base64.b64encode(half.tobytes()).decode("ascii"),
        "keypoints": reference_decode(codec, values.copy(), input_w, input_h),
    }
    path = os.path.join(ROOT, "Fixtures", "codecs", f"family-{family}.json")
    with open(path, "w") as f:
        json.dump(entry, f, separators=(",", ":"))
        f.write("\n")
    print(f"{family}: {output} {entry['shape']} -> {os.path.relpath(path, ROOT)} ({os.path.getsize(path)} bytes)")


def main():
    wanted = sys.argv[1:] or [f for f in FAMILIES if os.path.exists(os.path.join(ROOT, "Pipelines", f, "pipeline.json"))]
    frame = real.frames_rgb(os.path.join(ROOT, VIDEO))[0]
    for family in wanted:
        record(family, frame)


if __name__ == "__main__":
    main()
