"""What every family shares: input conventions, the augmented crop sampler, heatmap targets and loss.

A family module defines a subclass with its network (`build`), its release's input/output conventions
and its training targets; train.py, export.py and evaluate.py work through this interface only.
"""
import copy
import json
import math
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import cv2
import numpy as np
import torch

import keypoint_codecs as codecs

from . import crops, footage
from .keypoints import FLIP_INDICES, NUM_KEYPOINTS

IMAGENET_MEAN = (123.675, 116.28, 103.53)
IMAGENET_STD = (58.395, 57.12, 57.375)


@dataclass(frozen=True)
class Schedule:
    """Steps, batch and learning rate of one configuration. With milestones (fractions of the steps) the rate
    is multiplied by gamma at each, as the papers' step schedules do; without, it follows a cosine to zero.
    Both start with a linear warm-up."""
    steps: int
    batch: int
    lr: float
    validate_every: int = 250
    warmup: int = 200
    milestones: tuple = ()
    gamma: float = 0.1

    def lr_at(self, step, total):
        if step < self.warmup:
            return self.lr * (step + 1) / self.warmup
        if self.milestones:
            return self.lr * self.gamma ** sum(step >= m * total for m in self.milestones)
        return 0.5 * self.lr * (1 + math.cos(math.pi * min(1.0, (step - self.warmup) / max(1, total - self.warmup))))


class Family:
    name = ""
    input_w, input_h = 192, 256
    mean, std = IMAGENET_MEAN, IMAGENET_STD      # applied to RGB 0-255, outside the exported graph
    codec = "msra"
    # (steps, batch, learning rate) for the shipped CPU model and for the paper's configuration; every
    # family sets both.
    small_schedule = None
    full_schedule = None
    output_names = ("output",)

    # The optimiser of the paper's configuration ("adam", "adamw" or "rmsprop"); the shipped small models use
    # Adam (AdamW for TFPose), which reaches a good model in far fewer steps at batch 16 on a CPU.
    full = False                 # which configuration this instance describes (configured() makes the other)
    full_optimiser = "adam"
    small_optimiser = "adam"
    weight_decay = 0.0

    def configured(self, full):
        """This family in the paper's configuration (full) or the shipped one: output names and training
        targets depend on it (stacks, stages)."""
        other = copy.copy(self)
        other.full = full
        return other

    @property
    def clear_score(self):
        """The shipped pipeline's clear_score: a crop whose mean keypoint score is below it holds nobody, for
        posepipe and for validation alike, so it is read from Pipelines/FAMILY/pipeline.json, not kept twice."""
        description = json.loads((footage.REPO / "Pipelines" / self.name / "pipeline.json").read_text())
        return float(description["pose"]["clear_score"])

    def schedule(self, full):
        return self.full_schedule if full else self.small_schedule

    def optimiser(self, parameters, lr, full):
        kind = self.full_optimiser if full else self.small_optimiser
        if kind == "rmsprop":
            return torch.optim.RMSprop(parameters, lr=lr)
        if kind == "adamw":
            return torch.optim.AdamW(parameters, lr=lr, weight_decay=self.weight_decay)
        return torch.optim.Adam(parameters, lr=lr)

    def build(self, full):
        raise NotImplementedError

    def targets(self, keypoints, clear):
        """Numpy targets for one augmented crop (keypoints in input pixel indices)."""
        raise NotImplementedError

    def negative_targets(self):
        """Targets for a crop without a person: every output says nobody is here."""
        t = self.targets(np.zeros((NUM_KEYPOINTS, 2)), np.zeros(NUM_KEYPOINTS, bool))
        t["weights"] = np.ones_like(t["weights"])
        return t

    def loss(self, outputs, batch):
        raise NotImplementedError

    def export_outputs(self, outputs):
        """The graph's outputs, in output_names order, from what the network returns."""
        return outputs if isinstance(outputs, (tuple, list)) else (outputs,)

    def inference_parameters(self, model):
        """Parameters of the exported graph (a family may carry layers used in training only)."""
        return sum(p.numel() for p in model.parameters())

    def decode(self, named_outputs):
        """Keypoints [K, 2] in input pixel indices and scores [K] for one crop, from the exported graph's
        outputs (name -> array for that crop): the reference decode of the family's codec."""
        raise NotImplementedError

    def normalise(self, rgb_uint8_batch):
        x = torch.from_numpy(np.ascontiguousarray(rgb_uint8_batch)).float()
        mean = torch.tensor(self.mean).view(1, 1, 1, 3)
        std = torch.tensor(self.std).view(1, 1, 1, 3)
        return ((x - mean) / std).permute(0, 3, 1, 2).contiguous()


class HeatmapFamily(Family):
    heatmap_w, heatmap_h = 48, 64
    sigma = 2.0

    @property
    def stride(self):
        return self.input_w / self.heatmap_w

    @property
    def heatmap_codec(self):
        sizes = ((self.input_w, self.input_h), (self.heatmap_w, self.heatmap_h))
        if self.codec == "megvii":
            return codecs.Megvii(*sizes)
        return {"msra": codecs.MSRA, "newell": codecs.Newell}[self.codec](*sizes, self.sigma)

    def targets(self, keypoints, clear):
        hm, w = self.heatmap_codec.encode(keypoints, clear)
        return {"heatmaps": hm, "weights": w}

    def decode(self, named_outputs):
        return self.heatmap_codec.decode(named_outputs[self.output_names[-1]])


class StackedHeatmapFamily(HeatmapFamily):
    """Newell's setting, shared by Stacked Hourglass and Multi-Context Attention: 256x256 in, 64x64 heatmaps
    out of every stack, each stack supervised (intermediate supervision) and exported, the last decoded
    with `newell`; RMSprop 2.5e-4, batch 6 in the papers' full configuration."""
    input_w, input_h = 256, 256
    heatmap_w, heatmap_h = 64, 64
    codec = "newell"
    small_stacks, full_stacks = 2, 8

    @property
    def stacks(self):
        return self.full_stacks if self.full else self.small_stacks

    @property
    def output_names(self):
        return tuple(f"stack{i + 1}" for i in range(self.stacks))

    def loss(self, outputs, batch):
        return sum(weighted_mse(o, batch["heatmaps"], batch["weights"]) for o in outputs) * 1000


def weighted_mse(pred, target, weights):
    """MMPose's KeypointMSELoss with target weights: mean over cells of each joint's squared error,
    masked joints contribute nothing."""
    per_joint = ((pred - target) ** 2).mean(dim=(2, 3))
    return (per_joint * weights).mean()


class CropSampler:
    """Deterministic augmented crops: sample(step) depends only on (seed, step), so a resumed run sees the
    same batches as an uninterrupted one. Every clip gets the same share of the draws, whatever its length or
    crowd (the athletics clip alone holds two thirds of the people); inside a clip, crops are drawn by their
    weight (cache.py): near-identical crops share one crop's chance, crops without a person have an average
    person run's."""

    def __init__(self, cache, family, seed, batch, split="train"):
        self.patches = np.load(cache / f"{split}_patches.npy", mmap_mode="r")
        labels = np.load(cache / f"{split}.npz")
        self.keypoints, self.clear, self.box_wh = labels["keypoints"], labels["clear"], labels["box_wh"]
        self.person = labels["person"]
        self.probability = clip_balanced(labels["weight"], labels["clips"])
        self.family, self.seed, self.batch = family, seed, batch
        self.patch_size = self.patches.shape[1]

    def __len__(self):
        return len(self.keypoints)

    def crop(self, i, rng):
        f = self.family
        W, H = f.input_w, f.input_h
        center = np.array([self.patch_size / 2.0] * 2)
        _, scale = crops.box_center_scale([0, 0, *self.box_wh[i]], W, H)
        # Augmentation (issue 12): scale 0.7-1.3, rotation +-30 deg (MMPose rotates 60 % of crops),
        # MMPose's small box shift (30 % of crops, up to 16 % of the box), mirror with COCO flip pairs.
        scale = scale * rng.uniform(0.7, 1.3)
        rotation = rng.uniform(-30, 30) if rng.random() < 0.6 else 0.0
        if rng.random() < 0.3:
            center = center + rng.uniform(-0.16, 0.16, 2) * scale
        matrix = crops.warp_matrix(center, scale, W, H, rotation)
        image = crops.warp(np.asarray(self.patches[i]), matrix, W, H)
        kp = crops.apply_affine(matrix, self.keypoints[i])
        clear = self.clear[i].copy()
        if rng.random() < 0.5:
            image = image[:, ::-1]
            kp[:, 0] = W - 1 - kp[:, 0]
            kp, clear = kp[FLIP_INDICES], clear[FLIP_INDICES]
        return colour_jitter(image, rng), kp, clear

    def sample(self, step):
        rng = np.random.default_rng([self.seed, step])
        index = rng.choice(len(self), self.batch, replace=False, p=self.probability)
        images, batch_targets = [], []
        for i in index:
            image, kp, clear = self.crop(i, rng)
            images.append(image)
            t = self.family.targets(kp, clear) if self.person[i] else self.family.negative_targets()
            t["person"] = np.float32(self.person[i])
            batch_targets.append(t)
        stacked = {k: torch.from_numpy(np.stack([t[k] for t in batch_targets])) for k in batch_targets[0]}
        return self.family.normalise(np.stack(images)), stacked


def clip_balanced(weights, clips):
    """Draw probabilities: each clip's crops share 1 / (number of clips), in proportion to their weights."""
    weights = np.asarray(weights, np.float64)
    probability = np.zeros(len(weights), np.float64)
    names = np.unique(clips)
    for name in names:
        mask = clips == name
        probability[mask] = weights[mask] / weights[mask].sum() / len(names)
    # numpy's choice wants the sum within 1e-8 of 1: renormalise away the rounding of the per-clip sums.
    return probability / probability.sum()


class Prefetcher:
    """Prepares the next batch on a second thread while the model trains on this one (OpenCV's warps and
    most of NumPy release the GIL), so a step costs the model's time, not the model's plus the sampler's."""

    def __init__(self, sampler, first_step):
        cv2.setNumThreads(1)
        self.sampler = sampler
        self.pool = ThreadPoolExecutor(max_workers=1)
        self.pending = self.pool.submit(sampler.sample, first_step)
        self.step = first_step

    def next(self):
        batch = self.pending.result()
        self.step += 1
        self.pending = self.pool.submit(self.sampler.sample, self.step)
        return batch

    def close(self):
        self.pool.shutdown(wait=True, cancel_futures=True)


def colour_jitter(image, rng):
    """Brightness, contrast and saturation, each x U(0.75, 1.25), in random order as torchvision does."""
    x = image.astype(np.float32)
    ops = ["brightness", "contrast", "saturation"]
    for op in rng.permutation(ops):
        factor = rng.uniform(0.75, 1.25)
        if op == "brightness":
            x = x * factor
        elif op == "contrast":
            grey = (x @ np.array([0.299, 0.587, 0.114], np.float32)).mean()
            x = (x - grey) * factor + grey
        else:
            grey = (x @ np.array([0.299, 0.587, 0.114], np.float32))[..., None]
            x = (x - grey) * factor + grey
    return np.clip(x, 0, 255).astype(np.uint8)
