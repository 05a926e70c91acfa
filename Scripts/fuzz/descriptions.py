"""Family `descriptions`: every shipped pipeline's description, with the parts it names by file
(detector, keypoint set) written inline so mutations reach them too, mutated in numbers, types
and shapes, and run with --pipeline DIR."""

import json
import os
from pathlib import Path

from common import ROOT, check_tracks, judge_process, run

# Values a careless or hostile pipeline.json might hold.
NUMBERS = [0, -1, -3, -224, 1, 2, 3, 50, 0.5, -0.5, 1e-300, 1e9, 1e12, 2 ** 62, 2 ** 63 - 1, -(2 ** 63), 1e308, -1e308]
OTHERS = ["", "x", None, True, [], {}, [0], [[1]], {"a": 1}]


def shipped():
    """Names of the pipelines under Pipelines/ (the detectors' and keypoint sets' folders are parts)."""
    return sorted(p.parent.name for p in (ROOT / "Pipelines").glob("*/pipeline.json"))


def inlined(name):
    """The pipeline's description with its detector and keypoint set inline, model paths absolute."""
    folder = ROOT / "Pipelines" / name
    description = json.loads((folder / "pipeline.json").read_text())
    detector = description.get("detector")
    if isinstance(detector, str):
        part = ROOT / "Pipelines/detectors" / detector
        detector = json.loads((part / "detector.json").read_text())
        if "model" in detector:
            detector["model"] = str((part / detector["model"]).resolve())
        description["detector"] = detector
    elif isinstance(detector, dict) and "model" in detector:
        detector["model"] = str((folder / detector["model"]).resolve())
    if isinstance(description.get("keypoints"), str):
        description["keypoints"] = json.loads((ROOT / "Pipelines/keypoints" / (description["keypoints"] + ".json")).read_text())
    pose = description.get("pose")
    if isinstance(pose, dict) and "model" in pose:
        pose["model"] = str((folder / pose["model"]).resolve())
    return description


def leaves(node, path=()):
    """Every (path, value) in a JSON tree, containers included."""
    yield path, node
    if isinstance(node, dict):
        for key, value in node.items():
            yield from leaves(value, path + (key,))
    elif isinstance(node, list):
        for index, value in enumerate(node):
            yield from leaves(value, path + (index,))


def set_at(tree, path, value):
    node = tree
    for key in path[:-1]:
        node = node[key]
    node[path[-1]] = value


def mutate_shape(value, rng):
    choice = rng.randrange(4)
    if choice == 0:
        return []
    if choice == 1 and value:
        return value[:-1]
    if choice == 2:
        return value + [rng.choice(NUMBERS)]
    return [rng.choice(NUMBERS) for _ in value]


def mutate(description, rng):
    tree = json.loads(json.dumps(description))
    kinds = []
    for _ in range(rng.randint(1, 2)):
        spots = [(p, v) for p, v in leaves(tree) if p]
        # The skeleton's indices would draw most picks; the numbers that size models and buffers
        # (strides, widths, shapes, thresholds) are where descriptions go wrong.
        if rng.random() < 0.9:
            spots = [(p, v) for p, v in spots if p[-1] not in ("skeleton", "keypoints", "flip") and "skeleton" not in p and "flip" not in p]
        numeric = [(p, v) for p, v in spots if isinstance(v, (int, float)) and not isinstance(v, bool)]
        arrays = [(p, v) for p, v in spots if isinstance(v, list)]
        kind = rng.choice(["number", "number", "number", "type", "shape", "delete"])
        if kind == "number" and numeric:
            path, _ = rng.choice(numeric)
            set_at(tree, path, rng.choice(NUMBERS))
        elif kind == "shape" and arrays:
            path, value = rng.choice(arrays)
            set_at(tree, path, mutate_shape(value, rng))
        elif kind == "delete":
            path, _ = rng.choice(spots)
            parent = tree
            for key in path[:-1]:
                parent = parent[key]
            del parent[path[-1]]
        else:
            kind = "type"
            path, _ = rng.choice(spots)
            set_at(tree, path, rng.choice(OTHERS + [rng.choice(NUMBERS)]))
        kinds.append(f"{kind}@{'.'.join(map(str, path))}")
    return tree, "+".join(kinds)


def fuzz(ctx, count):
    names = shipped()
    originals = {name: inlined(name) for name in names}
    folder = ctx.work / "pipeline"
    folder.mkdir(exist_ok=True)
    for index in range(count):
        name = names[index % len(names)]
        description, kinds = mutate(originals[name], ctx.rng)
        (folder / "pipeline.json").write_text(json.dumps(description))
        output = ctx.work / "out.jsonl"
        output.unlink(missing_ok=True)
        arguments = [str(ctx.small_clip), "-o", str(output), "--quiet", "--pipeline", str(folder)]
        if name == "mmpose-topdown":
            # Its description names no model: the user brings one of its convention.
            arguments += ["--model", str(ROOT / "Pipelines/hrnet/hrnet.onnx")]
        outcome = run(ctx.binary, arguments, ctx.timeout, ctx.work)
        text = output.read_bytes() if output.exists() else b""
        verdict, reason = judge_process(outcome)
        if not verdict and (outcome.code == 0 or text):
            problem = check_tracks(text, ctx.small_clip_frames if outcome.code == 0 else None)
            if problem:
                verdict, reason = "invalid", problem
        ctx.recorder.record("descriptions", index, verdict, reason, f"{name} {kinds}", arguments, outcome.code, outcome.stderr,
                            {"pipeline.json": json.dumps(description, indent=1)})
