"""MSPN (Li, Wang, Yu, Zeng, Chen, Zhang, Zhou, Sun: Rethinking on Multi-Stage Networks for Human Pose
Estimation, 2019), in MMPose's release conventions.

Exported: input `input` [N,3,256,192] RGB, ImageNet mean/std on 0-255 (MMPose's choice; the original
release feeds BGR with its own mean/std) outside the graph; one output per stage, the finest unit's
heatmaps [N,17,64,48], `stage1`... and the last stage named `output`; heatmaps peak near 255 as MMPose's
MegviiHeatmap encodes them; decoded with `megvii` (blur 5, quarter cell + half a cell, x4,
score = max / 255 + 0.5).
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

import keypoint_codecs as codecs

from .family import HeatmapFamily, Schedule, weighted_mse
from .layers import Bottleneck, conv_bn, heatmap_head

HEATMAP_PEAK = 255.0


class DownPath(nn.Module):
    """Sec. 3, single-stage module: the down-sampling unit is a ResNet (ResNet-50 in the paper): four levels at strides 4, 8,
    16, 32. Sec. 3, 'Cross Stage Feature Aggregation': at every level the previous stage's down and up
    features, each through a 1x1 conv, are added to this stage's down feature before the next level."""

    def __init__(self, cin, planes, blocks, unit_channels, aggregate):
        super().__init__()
        self.levels = nn.ModuleList()
        for level, (p, n) in enumerate(zip(planes, blocks)):
            layers = []
            for b in range(n):
                layers.append(Bottleneck(cin, p, stride=2 if level > 0 and b == 0 else 1))
                cin = p * Bottleneck.expansion
            self.levels.append(nn.Sequential(*layers))
        widths = [p * Bottleneck.expansion for p in planes]
        self.from_down = nn.ModuleList(conv_bn(w, w, 1, relu=False) for w in widths) if aggregate else None
        self.from_up = nn.ModuleList(conv_bn(unit_channels, w, 1, relu=False) for w in widths) if aggregate else None
        self.widths = widths

    def forward(self, x, previous=None):
        features = []
        for level, block in enumerate(self.levels):
            x = block(x)
            if previous is not None:
                down, up = previous
                x = x + self.from_down[level](down[level]) + self.from_up[level](up[level])
            features.append(x)
        return features


class UpPath(nn.Module):
    """Sec. 3, single-stage module: the up-sampling unit (CPN's GlobalNet): from the coarsest level up, a 1x1 lateral conv of the
    down feature plus the bilinearly upsampled coarser result; every level predicts heatmaps (a unit),
    resized to the output size for supervision."""

    def __init__(self, widths, unit_channels, joints, next_channels):
        super().__init__()
        self.lateral = nn.ModuleList(conv_bn(w, unit_channels, 1, relu=False) for w in widths)
        self.merge = nn.ModuleList(conv_bn(unit_channels, unit_channels, 1, relu=False) for _ in widths[:-1])
        self.heads = nn.ModuleList(
            nn.Sequential(conv_bn(unit_channels, unit_channels, 1),
                          heatmap_head(nn.Conv2d(unit_channels, joints, 3, padding=1)))
            for _ in widths)
        self.to_next = conv_bn(unit_channels, next_channels, 1)

    def forward(self, down, size):
        ups, heatmaps = [None] * len(down), []
        x = None
        for level in reversed(range(len(down))):
            lateral = self.lateral[level](down[level])
            if x is not None:
                up = F.interpolate(x, size=lateral.shape[2:], mode="bilinear", align_corners=True)
                lateral = lateral + self.merge[level](up)
            x = F.relu(lateral)
            ups[level] = x
            hm = self.heads[level](x) * HEATMAP_PEAK
            if hm.shape[2:] != size:
                hm = F.interpolate(hm, size=size, mode="bilinear", align_corners=True)
            heatmaps.append(hm)          # coarse to fine
        return ups, heatmaps, self.to_next(x)


class MSPN(nn.Module):
    """Sec. 3: a ResNet stem (7x7 stride-2 conv, max pool) to stride 4, then `stages` U-shaped single-stage
    modules; each later stage starts from the previous stage's finest up feature and aggregates its down
    and up features level by level."""

    def __init__(self, stages=4, planes=(64, 128, 256, 512), blocks=(3, 4, 6, 3), unit_channels=256,
                 stem=64, joints=17):
        super().__init__()
        self.stem = nn.Sequential(conv_bn(3, stem, 7, 2), nn.MaxPool2d(3, 2, 1))
        self.down = nn.ModuleList(DownPath(stem, planes, blocks, unit_channels, aggregate=s > 0) for s in range(stages))
        widths = self.down[0].widths
        self.up = nn.ModuleList(UpPath(widths, unit_channels, joints, stem) for _ in range(stages))

    def forward(self, x):
        x = self.stem(x)
        size = x.shape[2:]
        previous, outputs = None, []
        for down_path, up_path in zip(self.down, self.up):
            down = down_path(x, previous)
            ups, heatmaps, x = up_path(down, size)
            previous = (down, ups)
            outputs.append(heatmaps)
        return outputs


def ohkm(per_joint, top_k=8):
    """Online hard keypoint mining (CPN, used by MSPN on its last stage): only the top_k worst joints of
    each crop count."""
    return per_joint.topk(top_k, dim=1).values.mean()


class MSPNFamily(HeatmapFamily):
    name = "mspn"
    codec = "megvii"
    # The pipeline's clear_score sits above 0.5, not at the others' 0.15-0.3: MMPose's Megvii decode scores
    # max / 255 + 0.5, so a crop with nobody in it still scores 0.5 and 0.3 kept every empty detector box. For the
    # two-bottleneck model the validation view (Demo_MultiPerson cam04) chose 0.52: PCK@0.1 end to end 0.847, where
    # 0.6 dropped the man seen from behind (0.711, 13 teacher people without a partner).
    units = 4
    small_stages, full_stages = 2, 4
    # Paper: 4-stage MSPN with ResNet-50 units and 256-channel up paths, Adam 5e-4, batch 32; the steps at
    # 170 and 200 of 210 epochs are MMPose's MSPN schedule (the paper does not give its decay). Here: 2 stages,
    # two bottlenecks per level (planes 16-32-64-128), 64-channel up paths, stem 32: at planes 8-16-32-64 both
    # ankle channels peaked on the same leg for 97 % of the validation view's people; one bottleneck a level
    # still swapped the ankles of 20 % of them and put both on one leg for 25 %.
    small_schedule = Schedule(steps=3000, batch=16, lr=1e-3, validate_every=150)
    full_schedule = Schedule(steps=200000, batch=32, lr=5e-4, milestones=(170 / 210, 200 / 210))

    @property
    def stages(self):
        return self.full_stages if self.full else self.small_stages

    @property
    def output_names(self):
        return tuple(f"stage{i + 1}" for i in range(self.stages - 1)) + ("output",)

    def build(self, full):
        if full:
            return MSPN(stages=self.full_stages)
        return MSPN(stages=self.small_stages, planes=(16, 32, 64, 128), blocks=(2, 2, 2, 2), unit_channels=64, stem=32)

    def targets(self, keypoints, clear):
        """Sec. 3, 'Coarse-to-fine Supervision': per stage and unit a Gaussian from MegviiHeatmap's kernel
        ladder (sigma as cv2.GaussianBlur derives it from the kernel size), peak 255."""
        out, codec = {}, self.heatmap_codec
        for s, kernels in enumerate(codecs.megvii_kernels(self.stages, self.units)):
            for u, k in enumerate(kernels):
                hm, w = codec.encode(keypoints, clear, kernel=k)
                out[f"s{s}u{u}"] = hm
        out["weights"] = w
        return out

    def loss(self, outputs, batch):
        weights = batch["weights"]
        total = 0.0
        scale = 1000 / HEATMAP_PEAK ** 2
        for s, heatmaps in enumerate(outputs):
            for u, hm in enumerate(heatmaps):
                target = batch[f"s{s}u{u}"]
                if s == len(outputs) - 1 and u == len(heatmaps) - 1:
                    per_joint = ((hm - target) ** 2).mean(dim=(2, 3)) * weights
                    total = total + ohkm(per_joint) * scale
                else:
                    total = total + weighted_mse(hm, target, weights) * scale / len(heatmaps)
        return total

    def export_outputs(self, outputs):
        return tuple(stage[-1] for stage in outputs)


FAMILY = MSPNFamily()
