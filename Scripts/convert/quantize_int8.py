#!/usr/bin/env python3
"""int8 pipelines: quantise each named pipeline's models, measure them against float, ship only what agrees.

Run through Scripts/convert/quantize-int8.sh (the pinned venv). For each pipeline (blazepose: its landmark model
and its detector; a trained family: its pose model, the box detector stays float):
1. real crops from the fixtures and the training clips (int8_crops.py), even ones calibrate, odd ones measure;
2. static QDQ int8 with float kept where error concentrates (int8_quantize.py);
3. when every model agrees on the fixtures' held-out crops (median <= 0.5 px, p95 <= 3 px in frame pixels,
   clear keypoints), posepipe runs float and int8 on the three fixtures: the same bounds on matched people's
   clear keypoints, and the tracks' jitter no worse;
4. only then Pipelines/NAME-int8/ is written (model, pipeline.json, LICENSE, MODEL.md with sha256s and every
   measurement); a pipeline that does not agree is removed and its measurements go to out/int8/NAME-int8.md.
Usage: quantize_int8.py [--frames-per-clip N] [--posepipe BIN] NAME...
"""
import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile

import numpy as np

import int8_crops
import int8_models
import int8_quantize
from int8_card import card

ROOT = int8_crops.ROOT
sys.path.insert(0, os.path.join(ROOT, "Scripts", "bench"))
import benchmark_quality as quality  # noqa: E402

JITTER_SLACK = 1.02  # int8 jitter may exceed float's by rounding only


def sha256(path):
    with open(path, "rb") as f:
        return hashlib.sha256(f.read()).hexdigest()


def models_of(name):
    folder = os.path.join(ROOT, "Pipelines", name)
    models = [int8_models.pose_model(folder)]
    with open(os.path.join(folder, "pipeline.json")) as f:
        detector = json.load(f)["detector"]
    if detector == "blazepose":
        models.append(int8_models.detector_model(os.path.join(ROOT, "Pipelines", "detectors", "blazepose", "detector.json")))
    return models


def inputs_for(model, crops):
    return crops[{"landmark": "landmark", "detector": "detector"}.get(model.crops, model.size)]


def quantise_model(model, crops, work):
    data = inputs_for(model, crops)
    calibration, held_out = data[0::2], data[1::2]
    q = int8_quantize.Quantiser(model, calibration, held_out, work, gate_clips=set(int8_crops.FIXTURES))
    trials, blocks, chosen = q.search()
    best = chosen if chosen is not None else min(range(len(trials)), key=lambda k: trials[k][1]["p95_px"])
    all_clips = int8_quantize.distances(held_out, q.float_points,
                                        int8_quantize.run(int8_quantize.session(trials[best][2]), model, held_out))
    result = {"model": model, "trials": trials, "blocks": blocks, "chosen": chosen, "best": best,
              "nodes": len(q.order), "heads": q.heads, "all_clips": all_clips,
              "calibration": len(calibration), "held_out": len(held_out),
              "held_out_fixtures": sum(c.clip in int8_crops.FIXTURES for c in held_out)}
    result["speed"] = int8_quantize.speed(model, q.prepared, trials[best][2], held_out)
    result["speed_all_int8"] = int8_quantize.speed(model, q.prepared, trials[0][2], held_out) if best else result["speed"]
    return result


def stage(name, results, folder):
    """NAME-int8 under `folder` (a Pipelines/ tree): the int8 models, pipeline.json, LICENSE, detector part."""
    source = os.path.join(ROOT, "Pipelines", name)
    target = os.path.join(folder, f"{name}-int8")
    os.makedirs(target, exist_ok=True)
    with open(os.path.join(source, "pipeline.json")) as f:
        description = json.load(f)
    for r in results:
        model = r["model"]
        file = os.path.splitext(os.path.basename(model.path))[0] + ".int8.onnx"
        shutil.copyfile(r["trials"][r["best"]][2], os.path.join(target, file))
        r["file"], r["staged"] = file, os.path.join(target, file)
        if model.role == "pose":
            description["pose"]["model"] = file
        else:
            detectors = os.path.join(folder, "detectors", f"{description['detector']}-int8")
            os.makedirs(detectors, exist_ok=True)
            with open(os.path.join(ROOT, "Pipelines", "detectors", description["detector"], "detector.json")) as f:
                part = json.load(f)
            part["model"] = f"../../{name}-int8/{file}"
            with open(os.path.join(detectors, "detector.json"), "w") as f:
                json.dump(part, f, indent=2)
                f.write("\n")
            description["detector"] = f"{description['detector']}-int8"
    description["name"] = f"{name}-int8"
    description["summary"] = f"{name} with int8 models (static, per-channel, calibrated on real crops): see MODEL.md"
    with open(os.path.join(target, "pipeline.json"), "w") as f:
        json.dump(description, f, indent=2)
        f.write("\n")
    for licence in ("LICENSE",):
        shutil.copyfile(os.path.join(source, licence), os.path.join(target, licence))
    return target


def end_to_end(name, folder, posepipe, work):
    """posepipe float and int8 on each fixture (--no-smoothing, so that the models' own differences show, and
    default smoothing for jitter): matched people's clear keypoints, frame pixels."""
    env = dict(os.environ, POSEPIPE_PIPELINES=folder)
    rows = []
    for fixture in int8_crops.FIXTURES:
        clip = os.path.join(ROOT, "Fixtures", fixture)
        out = {}
        for variant in (name, f"{name}-int8"):
            for smoothing in ("raw", "smoothed"):
                path = os.path.join(work, f"{fixture}.{variant}.{smoothing}.jsonl")
                extra = ["--no-smoothing"] if smoothing == "raw" else []
                subprocess.run([posepipe, clip, "--pipeline", variant, "--threads", "2", "-q", "-o", path,
                                *extra], env=env, check=True)
                out[(variant, smoothing)] = path
        d = matched_distances(out[(name, "raw")], out[(f"{name}-int8", "raw")])
        jitter = [quality.jitter(quality.load(out[(v, "smoothed")]))[0] for v in (name, f"{name}-int8")]
        rows.append({"fixture": fixture, "keypoints": len(d), "median_px": float(np.median(d)) if len(d) else None,
                     "p95_px": float(np.percentile(d, 95)) if len(d) else None,
                     "jitter_float": jitter[0], "jitter_int8": jitter[1]})
    every = np.concatenate([matched_distances(os.path.join(work, f"{f}.{name}.raw.jsonl"),
                                              os.path.join(work, f"{f}.{name}-int8.raw.jsonl")) for f in int8_crops.FIXTURES])
    total = {"median_px": float(np.median(every)), "p95_px": float(np.percentile(every, 95)), "keypoints": len(every)}
    return rows, total


def matched_distances(float_path, int8_path, clear=0.5):
    """Per frame, each float person paired with the nearest int8 person; distances of keypoints both call clear."""
    def people(path):
        with open(path) as f:
            next(f)
            return {j["frame"]: [np.array([k if k else [np.nan] * 3 for k in p["keypoints"]], float) for p in j["persons"]]
                    for j in map(json.loads, f)}
    a, b = people(float_path), people(int8_path)
    out = []
    for frame, persons in a.items():
        for p in persons:
            if not b.get(frame):
                continue
            q = min(b[frame], key=lambda q: np.nanmean(np.linalg.norm(q[:, :2] - p[:, :2], axis=1)))
            both = (p[:, 2] >= clear) & (q[:, 2] >= clear)
            out.append(np.linalg.norm(q[both, :2] - p[both, :2], axis=1))
    return np.concatenate(out) if out else np.zeros(0)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("names", nargs="+")
    ap.add_argument("--frames-per-clip", type=int, default=8)
    ap.add_argument("--posepipe", default=os.path.join(ROOT, ".build", "release", "posepipe"))
    args = ap.parse_args()
    models = {name: models_of(name) for name in args.names}
    sizes = sorted({m.size for ms in models.values() for m in ms if m.crops == "box"})
    print(f"int8: cutting real crops ({args.frames_per_clip} frames a clip)", file=sys.stderr, flush=True)
    crops = int8_crops.footage_inputs(os.path.join(ROOT, "Pipelines", "blazepose"), sizes, args.frames_per_clip)
    footage = {os.path.basename(p): sha256(p) for p in int8_crops.clips()}
    with tempfile.TemporaryDirectory() as work:
        for name, ms in models.items():
            print(f"int8: {name}", file=sys.stderr, flush=True)
            results = []
            for k, model in enumerate(ms):
                folder = os.path.join(work, f"{name}.{k}")
                os.makedirs(folder)
                results.append(quantise_model(model, crops, folder))
            # The closest candidate is staged even when it does not agree; BlazePose's is also run end to end, so
            # that what int8 would give there is measured (the benchmark times it). Only what agrees ships.
            staged = os.path.join(work, "Pipelines")
            stage(name, results, staged)
            agrees = all(r["chosen"] is not None for r in results)
            e2e = end_to_end(name, staged, args.posepipe, work) if agrees or name == "blazepose" else None
            ship = (agrees and int8_quantize.holds(e2e[1])
                    and all(r["jitter_int8"] <= r["jitter_float"] * JITTER_SLACK for r in e2e[0]))
            text = card(name, results, e2e, ship, footage, crops, args.frames_per_clip)
            publish(name, ship, staged, text, results)


def publish(name, ship, staged, text, results):
    """A pipeline that agrees goes to Pipelines/; one that does not, to out/int8/pipelines/ (git-ignored), where
    Scripts/bench/benchmark.sh still times it as a candidate. Either way the other place loses its copy."""
    has_detector = any(r["model"].role == "detector" for r in results)
    for tree in (os.path.join(ROOT, "Pipelines"), os.path.join(ROOT, "out", "int8", "pipelines")):
        for path in (os.path.join(tree, f"{name}-int8"), os.path.join(tree, "detectors", "blazepose-int8")):
            if (has_detector or not path.endswith("blazepose-int8")) and os.path.exists(path):
                shutil.rmtree(path)
    tree = os.path.join(ROOT, "Pipelines") if ship else os.path.join(ROOT, "out", "int8", "pipelines")
    shutil.copytree(os.path.join(staged, f"{name}-int8"), os.path.join(tree, f"{name}-int8"))
    if has_detector:
        shutil.copytree(os.path.join(staged, "detectors", "blazepose-int8"), os.path.join(tree, "detectors", "blazepose-int8"))
    report = os.path.join(tree, f"{name}-int8", "MODEL.md")
    if not ship:
        report = os.path.join(ROOT, "out", "int8", f"{name}-int8.md")
    with open(report, "w") as f:
        f.write(text)
    print(f"int8: {name}-int8 {'shipped' if ship else 'not shipped'}: {os.path.relpath(report, ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
