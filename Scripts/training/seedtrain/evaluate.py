"""Agreement with the teacher on the held-out views (pose2sim Demo_SinglePerson cam01-04, never trained on).

`python -m seedtrain.evaluate FAMILY` crops every teacher person (score >= 0.5 keypoints: at least 4 COCO
joints) with MMPose's box rule from the teacher's `box`, runs the exported ONNX model with onnxruntime,
decodes with the family's reference decode, maps back to the frame and compares with the teacher's
clear COCO keypoints: error / sqrt(box w * h) (the box size posepipe's benchmark uses), median and p95,
PCK@0.05 and @0.1. Writes .runs-seedtrain/FAMILY/evaluation.json.
"""
import argparse
import json

import numpy as np
import onnxruntime as ort

from . import card, crops, teacher
from .export import model_path
from .train import FAMILIES, load_family, run_dir


def session_of(name):
    """An ONNX Runtime session (2 threads) of the family's exported model."""
    options = ort.SessionOptions()
    options.intra_op_num_threads = 2
    return ort.InferenceSession(str(model_path(name)), options, providers=["CPUExecutionProvider"])


def predict(session, family, frame, boxes):
    """Keypoints [P, K, 2] in frame pixel-centre coordinates and scores [P, K] for each box."""
    images, inverses = [], []
    for box in boxes:
        center, scale = crops.box_center_scale(box, family.input_w, family.input_h)
        matrix = crops.warp_matrix(center, scale, family.input_w, family.input_h)
        images.append(crops.warp(frame, matrix, family.input_w, family.input_h))
        inverses.append(crops.invert_affine(matrix))
    return decoded(session, family, images, inverses)


def decoded(session, family, images, inverses):
    """The model's keypoints [P, K, 2] for already cut crops (uint8 RGB), mapped back through each crop's inverse
    warp, and their scores [P, K]."""
    outputs = session.run(None, {"input": family.normalise(np.stack(images)).numpy()})
    names = [o.name for o in session.get_outputs()]
    points, scores = [], []
    for p, inverse in enumerate(inverses):
        kp, sc = family.decode({n: o[p] for n, o in zip(names, outputs)})
        points.append(crops.apply_affine(inverse, kp))
        scores.append(sc)
    return np.array(points), np.array(scores)


def evaluate(name):
    family = load_family(name)
    session = session_of(name)
    teacher.prepare()
    views = {}
    all_errors, all_scores_clear = [], []
    for clip in sorted((teacher.DATA / "clips/heldout").glob("*.mp4")):
        frames = teacher.read_teacher(clip)
        errors, persons = [], 0
        for index, frame in enumerate(teacher.decode_frames(clip)):
            people = frames[index][0] if index < len(frames) else []
            if not people:
                continue
            points, scores = predict(session, family, frame, [p.box for p in people])
            for p, pred, score in zip(people, points, scores):
                size = np.sqrt(p.box[2] * p.box[3])
                errors.extend((np.linalg.norm(pred - p.keypoints, axis=1)[p.clear] / size).tolist())
                all_scores_clear.extend(score[p.clear].tolist())
                persons += 1
        e = np.array(errors)
        views[clip.stem] = summary(e) | {"persons": persons}
        all_errors.extend(errors)
    result = {"views": views, "overall": summary(np.array(all_errors)) | {
        "persons": sum(v["persons"] for v in views.values()),
        "median_score_on_teacher_clear": float(np.median(all_scores_clear))}}
    (run_dir(name, False) / "evaluation.json").write_text(json.dumps(result, indent=1))
    print(json.dumps(result["overall"]))
    return result


def summary(errors):
    return {"keypoints": int(len(errors)), "median": float(np.median(errors)), "p95": float(np.percentile(errors, 95)),
            "pck05": float((errors < 0.05).mean()), "pck10": float((errors < 0.1).mean())}


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("family", choices=FAMILIES)
    name = parser.parse_args().family
    evaluate(name)
    card.write(name)


if __name__ == "__main__":
    main()
