"""Export a trained family to ONNX in its release's conventions and check it against PyTorch.

`python -m seedtrain.export FAMILY [--full] [--checkpoint PATH] [--out FILE]` writes the model the validation
view chose (best.pt; checkpoint.pt before the first validation) to Pipelines/FAMILY/FAMILY.onnx, or with
--full to .runs-seedtrain/FAMILY-full/FAMILY-full.onnx (opset 11, dynamic batch axis), and export.json beside
the run (sizes, max abs differences onnxruntime vs PyTorch on real augmented crops, batch 1 and batch 4).
`posepipe --pipeline FAMILY --model FILE` runs either.
"""
import argparse
import hashlib
import json
import os
from pathlib import Path

import numpy as np
import onnxruntime as ort
import torch

from . import teacher
from .family import CropSampler
from .flops import count_macs
from .train import FAMILIES, load_family, run_dir
from .validate import Validator

OPSET = 17


class Exported(torch.nn.Module):
    def __init__(self, family, model):
        super().__init__()
        self.family, self.model = family, model

    def forward(self, x):
        return tuple(self.family.export_outputs(self.model(x)))


def model_path(name):
    pipelines = Path(os.environ.get("SEEDTRAIN_PIPELINES", teacher.REPO / "Pipelines"))
    return pipelines / name / f"{name}.onnx"


def chosen_checkpoint(name, full):
    directory = run_dir(name, full)
    best = directory / "best.pt"
    return best if best.exists() else directory / "checkpoint.pt"


def export(name, checkpoint=None, full=False, out=None, images=None, family=None):
    """Writes the ONNX model and checks it against PyTorch on `images` (normalised [4, 3, H, W]; default: four
    augmented training crops). `family` overrides the family's own description (a test's smaller input)."""
    torch.set_num_threads(2)
    family = family or load_family(name).configured(full)
    checkpoint = checkpoint or chosen_checkpoint(name, full)
    state = torch.load(checkpoint, map_location="cpu", weights_only=False)
    model = family.build(full)
    model.load_state_dict(state["model"])
    model.eval()
    wrapped = Exported(family, model).eval()
    path = Path(out) if out else (run_dir(name, True) / f"{name}-full.onnx" if full else model_path(name))
    path.parent.mkdir(parents=True, exist_ok=True)
    dummy = torch.zeros(1, 3, family.input_h, family.input_w)
    axes = {n: {0: "batch"} for n in ("input",) + tuple(family.output_names)}
    torch.onnx.export(wrapped, dummy, str(path), opset_version=OPSET, input_names=["input"],
                      output_names=list(family.output_names), dynamic_axes=axes, do_constant_folding=True,
                      dynamo=False)

    options = ort.SessionOptions()
    options.intra_op_num_threads = 2
    session = ort.InferenceSession(str(path), options, providers=["CPUExecutionProvider"])
    validation = state.get("validation")
    if images is None:
        cache = teacher.prepare()
        images, _ = CropSampler(cache, family, seed=12345, batch=4).sample(0)
        if not full and (cache / "validation.npz").exists():
            # Measured again at the pipeline's clear_score of today: the record in the checkpoint was made at the
            # score the family had while it trained, and the card states the score it rejects empty crops at.
            validation = Validator(cache, family).measure(model)
    with torch.no_grad():
        expected = [t.numpy() for t in wrapped(images)]
    got4 = session.run(None, {"input": images.numpy()})
    got1 = [session.run(None, {"input": images[i:i + 1].numpy()}) for i in range(len(images))]
    diffs = {}
    for k, out in enumerate(family.output_names):
        batch1 = np.concatenate([g[k] for g in got1])
        diffs[out] = {"batch4": float(np.abs(got4[k] - expected[k]).max()),
                      "batch1": float(np.abs(batch1 - expected[k]).max()),
                      "shape": list(got4[k].shape[1:]), "range": [float(expected[k].min()), float(expected[k].max())]}
    report = {
        "onnx": os.path.relpath(path, teacher.REPO), "bytes": path.stat().st_size,
        "sha256": hashlib.sha256(path.read_bytes()).hexdigest(), "opset": OPSET,
        "parameters": int(family.inference_parameters(model)),
        "macs": int(count_macs(model, family.input_w, family.input_h)) if not full else None,
        "parameters_full": int(family.inference_parameters(family.build(True))) if not full else None,
        "step": state["step"], "total": state["total"], "seed": state["seed"], "batch": state["batch"],
        "lr": state["lr"], "minutes": state["seconds"] / 60, "crops": state.get("crops"),
        "optimiser": state.get("optimiser_name", "Adam"), "validation": validation,
        "inputs": [{"name": i.name, "shape": i.shape} for i in session.get_inputs()],
        "outputs": [{"name": o.name, "shape": o.shape} for o in session.get_outputs()],
        "max_abs_diff": diffs, "onnxruntime": ort.__version__, "torch": torch.__version__,
    }
    run_dir(name, full).mkdir(parents=True, exist_ok=True)
    (run_dir(name, full) / "export.json").write_text(json.dumps(report, indent=1))
    print(json.dumps({k: report[k] for k in ("onnx", "bytes", "parameters", "macs", "step", "max_abs_diff")}))
    assert full or path.stat().st_size < 25 * 1024 * 1024, "model over 25 MB"
    for out, d in diffs.items():
        assert d["batch4"] < 1e-3 * max(1.0, abs(d["range"][1])), f"{out}: onnxruntime differs from PyTorch"
    return report


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("family", choices=FAMILIES)
    parser.add_argument("--checkpoint")
    parser.add_argument("--full", action="store_true", help="the paper's configuration")
    parser.add_argument("--out", help="where to write the ONNX model")
    args = parser.parse_args()
    export(args.family, args.checkpoint, args.full, args.out)


if __name__ == "__main__":
    main()
