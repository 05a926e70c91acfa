"""Multi-Context Attention (Chu, Yang, Ouyang, Ma, Yuille, Wang: Multi-Context Attention for Human Pose
Estimation, CVPR 2017), in the conventions of its release (bearpaw/pose-attention).

Exported: input `input` [N,3,256,256] RGB in [0,1] minus 0.5 (outside the graph); one output per stack,
`stack1`...`stackN`, each [N,17,64,64]; the last is decoded with `newell`. COCO-17 instead of MPII-16.
"""
import torch
import torch.nn as nn
import torch.nn.functional as F

from .family import Schedule, StackedHeatmapFamily
from .hourglass import Residual, StackedHourglass, newell_stem
from .layers import heatmap_head


class HourglassResidualUnit(Residual):
    """Sec. 3, 'Hourglass Residual Units': a residual unit with a third, micro-hourglass branch
    (2x2 max pool, 3x3 conv, 3x3 conv, nearest upsampling) added to the identity and the bottleneck, which
    widens the receptive field inside each unit."""

    def __init__(self, cin, cout):
        super().__init__(cin, cout)
        self.side = nn.Sequential(
            nn.BatchNorm2d(cin), nn.ReLU(inplace=True), nn.MaxPool2d(2), nn.Conv2d(cin, cout, 3, padding=1),
            nn.BatchNorm2d(cout), nn.ReLU(inplace=True), nn.Conv2d(cout, cout, 3, padding=1),
            nn.Upsample(scale_factor=2.0, mode="nearest"))

    def forward(self, x):
        return self.body(x) + self.skip(x) + self.side(x)


class NestedHourglass(nn.Module):
    """Sec. 3, 'Nested hourglass': the hourglass of Newell et al. whose skip branch at a resolution with
    `depth` levels below it is a chain of depth - 1 units, all HRUs after the first (so the highest
    resolutions get the most micro-hourglasses). Returns the output and the up path's features at every
    resolution (finest first), for multi-resolution attention."""

    def __init__(self, depth, channels):
        super().__init__()
        count = max(1, depth - 1)
        self.upper = nn.Sequential(Residual(channels, channels),
                                   *[HourglassResidualUnit(channels, channels) for _ in range(count - 1)])
        self.down = Residual(channels, channels)
        self.inner = NestedHourglass(depth - 1, channels) if depth > 1 else Residual(channels, channels)
        self.up = Residual(channels, channels)

    def forward(self, x):
        inner = self.inner(self.down(F.max_pool2d(x, 2)))
        coarser = []
        if isinstance(inner, tuple):
            inner, coarser = inner
        out = self.upper(x) + F.interpolate(self.up(inner), scale_factor=2.0, mode="nearest")
        return out, [out] + coarser


class CRFAttention(nn.Module):
    """Sec. 3, 'Attention ... CRF': an attention map s = W * f (3x3 conv to one channel), refined by
    mean-field iterations Q_t = sigmoid(s + k * Q_{t-1}) whose spatial message passing k is one
    convolution shared by all iterations (Q_0 = s)."""

    def __init__(self, channels, iterations=3, kernel=3):
        super().__init__()
        self.unary = nn.Conv2d(channels, 1, 3, padding=1)
        self.message = nn.Conv2d(1, 1, kernel, padding=kernel // 2)
        self.iterations = iterations

    def forward(self, f):
        s = self.unary(f)
        q = s
        for _ in range(self.iterations):
            q = torch.sigmoid(s + self.message(q))
        return q


class MultiResolutionAttention(nn.Module):
    """Sec. 3, 'Multi-resolution attention' with holistic attention (one map for all parts): a CRF attention
    map from the up path's features at each of `levels` resolutions, upsampled to the output resolution;
    the stack's features are refined by every map and the refined features summed."""

    def __init__(self, channels, levels):
        super().__init__()
        self.maps = nn.ModuleList(CRFAttention(channels) for _ in range(levels))

    def forward(self, f, pyramid):
        refined = 0
        for attention, level in zip(self.maps, pyramid):
            a = attention(level)
            if a.shape[2:] != f.shape[2:]:
                a = F.interpolate(a, size=f.shape[2:], mode="nearest")
            refined = refined + f * a
        return refined


class PartAttention(nn.Module):
    """Sec. 3, 'Hierarchical attention' (part attention): in the last stacks one CRF attention map per part
    refines the features for that part alone, and a 1x1 conv of the refined features gives the part's
    heatmap."""

    def __init__(self, channels, joints):
        super().__init__()
        self.maps = nn.ModuleList(CRFAttention(channels) for _ in range(joints))
        self.heads = nn.ModuleList(heatmap_head(nn.Conv2d(channels, 1, 1)) for _ in range(joints))

    def forward(self, f):
        """Every part at once, the same arithmetic as each part's own CRFAttention and head: the parts' unary
        convs as one conv with a channel each, their message passing as one grouped conv, and each head
        `W_j (f * q_j) + b_j` as `q_j * (W_j f) + b_j` (q_j is one number a pixel). One 48-to-1 conv a part
        cost ONNX Runtime what a 48-to-16 conv does (its blocked layout rounds output channels up to 16):
        17 of them were 30 % of the model's time. The parameters stay each part's own, so checkpoints load."""
        joints = len(self.maps)
        s = F.conv2d(f, torch.cat([m.unary.weight for m in self.maps]), torch.cat([m.unary.bias for m in self.maps]),
                     padding=self.maps[0].unary.padding)
        message_w = torch.cat([m.message.weight for m in self.maps])
        message_b = torch.cat([m.message.bias for m in self.maps])
        q = s
        for _ in range(self.maps[0].iterations):
            q = torch.sigmoid(s + F.conv2d(q, message_w, message_b, padding=self.maps[0].message.padding, groups=joints))
        heads = F.conv2d(f, torch.cat([h.weight for h in self.heads]))
        return q * heads + torch.cat([h.bias for h in self.heads]).view(1, joints, 1, 1)


def lin(cin, cout):
    return nn.Sequential(nn.Conv2d(cin, cout, 1), nn.BatchNorm2d(cout), nn.ReLU(inplace=True))


class MultiContextAttention(StackedHourglass):
    """Sec. 3: stacked nested hourglasses with intermediate supervision (the 8-stack hourglass baseline);
    after each hourglass two 1x1 conv-BN-ReLU layers, multi-resolution holistic attention, and then either
    a 1x1 conv to heatmaps (early stacks) or part attention (the last `part_stacks` stacks: 'multi-semantics'
    attention, holistic early and part-wise late). The next stack's input adds the heatmaps and features
    mapped back by 1x1 convs (StackedHourglass.forward)."""

    def __init__(self, stacks=8, channels=256, stem=64, part_stacks=4, attention_levels=3, joints=17):
        nn.Module.__init__(self)
        self.stem = newell_stem(stem, channels)
        self.hourglasses = nn.ModuleList(NestedHourglass(4, channels) for _ in range(stacks))
        self.features = nn.ModuleList(nn.Sequential(lin(channels, channels), lin(channels, channels))
                                      for _ in range(stacks))
        self.holistic = nn.ModuleList(MultiResolutionAttention(channels, attention_levels) for _ in range(stacks))
        self.heads = nn.ModuleList(
            PartAttention(channels, joints) if s >= stacks - part_stacks else heatmap_head(nn.Conv2d(channels, joints, 1))
            for s in range(stacks))
        self.remap_features = nn.ModuleList(lin(channels, channels) for _ in range(stacks - 1))
        self.remap_heatmaps = nn.ModuleList(nn.Conv2d(joints, channels, 1) for _ in range(stacks - 1))

    def stack(self, i, x):
        out, pyramid = self.hourglasses[i](x)
        f = self.features[i](out)
        return f, self.heads[i](self.holistic[i](f, pyramid))


class MCAFamily(StackedHeatmapFamily):
    name = "mca"
    mean, std = (127.5, 127.5, 127.5), (255.0, 255.0, 255.0)
    # Paper: 8 stacks of 256 features, holistic attention in stacks 1-4 and part attention in 5-8, trained as
    # Newell's hourglass (RMSprop 2.5e-4, batch 6; the authors' code builds on pose-hg-train); the step drop
    # at 4/5 of the steps is posepipe's reading of 'dropped when validation plateaus'. Here: 2 stacks of 48
    # features (stem 24): stack 1 holistic, stack 2 part attention; Adam. At 32 features (stem 16) its best on the
    # validation view was 0.640 (mean of PCK@0.05 and @0.1), at 48 0.778 by step 1,200.
    small_schedule = Schedule(steps=1800, batch=16, lr=1e-3, validate_every=150)
    full_schedule = Schedule(steps=300000, batch=6, lr=2.5e-4, milestones=(0.8,))
    full_optimiser = "rmsprop"
    # The pipeline's clear_score, 0.15, was chosen on the validation view with the flip test: at 0.3 the man seen
    # from behind and above scores too few clear joints and is dropped (PCK@0.1 end to end, 48 features: 0.669 at
    # 0.3, 0.831 at 0.2, 0.838 at 0.15, 0.830 at 0.1); empty crops were still all rejected.

    def build(self, full):
        if full:
            return MultiContextAttention(stacks=8, channels=256, stem=64, part_stacks=4)
        return MultiContextAttention(stacks=self.small_stacks, channels=48, stem=24, part_stacks=1)


FAMILY = MCAFamily()
