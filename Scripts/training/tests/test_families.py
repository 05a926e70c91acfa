"""Every family, at the shipped size and at its paper's configuration, builds, takes one training step on real
crops, exports to ONNX that agrees with PyTorch, and its output decodes through the family's codec. The paper
configurations (at half their input size: the papers' layers, a quarter of the arithmetic) also run through
posepipe itself (`--pipeline FAMILY --model FILE`)."""
import json
import subprocess
from pathlib import Path

import numpy as np
import onnxruntime as ort
import pytest
import torch

from seedtrain.export import export
from seedtrain.family import CropSampler
from seedtrain.train import FAMILIES, load_family

# Not imported from conftest: pytest runs several test folders, each with a conftest module of that one name.
REPO = Path(__file__).resolve().parents[3]
CLIP = REPO / "Fixtures/mmpose/person.mkv"


def at_half_size(family):
    """The paper's layers at half the input size (a quarter of the arithmetic), so that CI builds, trains,
    exports and runs every paper configuration within minutes; posepipe reads the size from the model."""
    family.input_w, family.input_h = family.input_w // 2, family.input_h // 2
    if hasattr(family, "heatmap_w"):
        family.heatmap_w, family.heatmap_h = family.heatmap_w // 2, family.heatmap_h // 2
    return family


def one_step(name, full, cache_dir):
    family = load_family(name).configured(full)
    if full:
        family = at_half_size(family)
    torch.manual_seed(0)
    model = family.build(full)
    optimiser = family.optimiser(model.parameters(), family.schedule(full).lr, full)
    images, targets = CropSampler(cache_dir, family, seed=0, batch=1 if full else 3).sample(0)
    loss = family.loss(model(images), targets)
    optimiser.zero_grad()
    loss.backward()
    optimiser.step()
    return family, model, images, loss


def exported(name, full, model, images, tmp_path, family):
    checkpoint = tmp_path / "checkpoint.pt"
    torch.save({"model": model.state_dict(), "step": 1, "total": 1, "seed": 0, "batch": 1, "lr": 1e-3,
                "seconds": 0.0, "crops": 3}, checkpoint)
    out = tmp_path / f"{name}.onnx"
    report = export(name, checkpoint, full, out, images=images, family=family)
    return out, report


@pytest.mark.parametrize("name", FAMILIES)
def test_shipped_configuration_trains_exports_and_decodes(name, tiny_cache, tmp_path):
    family, model, images, loss = one_step(name, False, tiny_cache)
    assert torch.isfinite(loss)
    assert sum(float(p.grad.abs().sum()) for p in model.parameters() if p.grad is not None) > 0
    path, report = exported(name, False, model, images, tmp_path, family)
    assert [o["name"] for o in report["outputs"]] == list(family.output_names)
    session = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    outputs = session.run(None, {"input": images[:1].numpy()})
    keypoints, scores = family.decode({o.name: v[0] for o, v in zip(session.get_outputs(), outputs)})
    assert keypoints.shape == (17, 2) and scores.shape == (17,)
    assert np.isfinite(keypoints).all() and np.isfinite(scores).all()


def pipeline_output(name):
    """The output the family's pipeline.json decodes: its codec's `output`, or the graph's last."""
    codec = json.loads((REPO / "Pipelines" / name / "pipeline.json").read_text())["pose"]["codec"]
    return codec.get("output")


@pytest.mark.parametrize("name", FAMILIES)
def test_paper_configuration_runs_end_to_end_in_posepipe(name, tiny_cache, tmp_path, posepipe):
    family, model, images, loss = one_step(name, True, tiny_cache)
    assert torch.isfinite(loss)
    path, report = exported(name, True, model, images, tmp_path, family)
    names = [o["name"] for o in report["outputs"]]
    assert names == list(family.output_names)
    assert pipeline_output(name) in (None, names[-1])
    clip = tmp_path / "two-frames.mkv"
    subprocess.run(["ffmpeg", "-v", "error", "-i", str(CLIP), "-frames:v", "2", "-c:v", "ffv1", str(clip)], check=True)
    tracks = tmp_path / "tracks.jsonl"
    run = subprocess.run([str(posepipe), str(clip), "--pipeline", name, "--model", str(path), "-o", str(tracks),
                          "--quiet"], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    lines = [json.loads(line) for line in tracks.read_text().splitlines()]
    assert len(lines[0]["keypoints"]) == 17
    assert [line["frame"] for line in lines[1:]] == [0, 1]
