"""HRNet (Sun, Xiao, Liu, Wang: Deep High-Resolution Representation Learning for Human Pose Estimation,
CVPR 2019), as a top-down heatmap model in MMPose's release conventions.

Exported: input `input` [N,3,256,192] RGB, ImageNet mean/std on 0-255 outside the graph; output `output`
[N,17,64,48]; decoded with `msra` (HRNet's get_final_preds: joint guard, quarter offset, x4).
"""
import torch.nn as nn
import torch.nn.functional as F

from .family import HeatmapFamily, Schedule, weighted_mse
from .layers import BasicBlock, Bottleneck, conv_bn, heatmap_head


class Branch(nn.Sequential):
    def __init__(self, channels, blocks):
        super().__init__(*[BasicBlock(channels, channels) for _ in range(blocks)])


class Fusion(nn.Module):
    """Sec. 3, 'Repeated multi-scale fusion': output i sums every branch j resampled to i's resolution:
    j < i (higher resolution) by (i - j) strided 3x3 convs, j > i (lower) by a 1x1 conv and nearest
    upsampling, j = i as is; then ReLU."""

    def __init__(self, widths, outputs=None):
        super().__init__()
        self.paths = nn.ModuleList()
        for i, wi in enumerate(widths[:outputs]):
            row = nn.ModuleList()
            for j, wj in enumerate(widths):
                if j == i:
                    row.append(nn.Identity())
                elif j > i:
                    row.append(nn.Sequential(conv_bn(wj, wi, 1, relu=False), nn.Upsample(scale_factor=2 ** (j - i))))
                else:
                    steps = [conv_bn(wj, wj, 3, 2) for _ in range(i - j - 1)]
                    steps.append(conv_bn(wj, wi, 3, 2, relu=False))
                    row.append(nn.Sequential(*steps))
            self.paths.append(row)

    def forward(self, xs):
        return [F.relu(sum(path(x) for path, x in zip(row, xs))) for row in self.paths]


class Module(nn.Module):
    """Sec. 3, 'Parallel multi-resolution subnetworks': one exchange unit: parallel branches of residual units, then a fusion."""

    def __init__(self, widths, blocks, outputs=None):
        super().__init__()
        self.branches = nn.ModuleList(Branch(w, blocks) for w in widths)
        self.fusion = Fusion(widths, outputs)

    def forward(self, xs):
        return self.fusion([b(x) for b, x in zip(self.branches, xs)])


class HRNet(nn.Module):
    """Sec. 3 ('Sequential' and 'Parallel multi-resolution subnetworks', 'Network instantiation'): a stem of two strided 3x3 convs to 1/4 resolution; stage 1 of bottleneck units at
    that resolution; stages 2-4 each add a branch at half the previous lowest resolution (a strided 3x3
    conv from the lowest branch) and repeat exchange units; the heatmaps regress from the highest
    branch alone (HRNetV1, Sec. 3, 'Heatmap estimation')."""

    def __init__(self, width=32, stem=64, stage1_blocks=4, modules=(1, 4, 3), blocks=4, joints=17):
        super().__init__()
        self.stem = nn.Sequential(conv_bn(3, stem, 3, 2), conv_bn(stem, stem, 3, 2))
        planes = stem // 4 if stem < 64 else 64
        layers, cin = [], stem
        for _ in range(stage1_blocks):
            layers.append(Bottleneck(cin, planes))
            cin = planes * Bottleneck.expansion
        self.stage1 = nn.Sequential(*layers)
        widths = [width]
        self.transitions = nn.ModuleList([nn.ModuleList([conv_bn(cin, width, 3)])])
        self.stages = nn.ModuleList()
        for stage, count in enumerate(modules):
            widths = [width * 2 ** b for b in range(stage + 2)]
            if stage > 0:
                # Keep the existing branches; a new one comes from the lowest by a strided conv.
                self.transitions.append(nn.ModuleList([conv_bn(widths[-2], widths[-1], 3, 2)]))
            else:
                self.transitions[0].append(conv_bn(cin, widths[1], 3, 2))
            # The very last unit fuses into the highest-resolution branch only: nothing reads the others.
            last = stage == len(modules) - 1
            self.stages.append(nn.Sequential(*[Module(widths, blocks, 1 if last and m == count - 1 else None)
                                               for m in range(count)]))
        self.head = heatmap_head(nn.Conv2d(width, joints, 1))

    def forward(self, x):
        x = self.stage1(self.stem(x))
        xs = [t(x) for t in self.transitions[0]]
        xs = self.stages[0](xs)
        for transition, stage in zip(self.transitions[1:], self.stages[1:]):
            xs = stage(xs + [transition[0](xs[-1])])
        return self.head(xs[0])


class HRNetFamily(HeatmapFamily):
    name = "hrnet"
    codec = "msra"
    output_names = ("output",)
    # Paper (Sec. 4.1, 'Training'): HRNet-W32, Adam, 1e-3 dropped to 1e-4 and 1e-5 at epochs 170 and 200 of
    # 210, batch 32 per GPU. Here: W16, exchange units 1/2/2, two residual units per branch (fits the CPU
    # budget), a cosine schedule that validation may stop early. With one exchange unit per stage (W12) the
    # ankles and wrists had too little of the low-resolution branches' context to tell left from right: both
    # channels peaked on the same limb on 91 % of the training crops' ankles.
    small_schedule = Schedule(steps=4000, batch=16, lr=1e-3, validate_every=150)
    full_schedule = Schedule(steps=200000, batch=32, lr=1e-3, milestones=(170 / 210, 200 / 210))

    def build(self, full):
        if full:
            return HRNet(width=32, stem=64, stage1_blocks=4, modules=(1, 4, 3), blocks=4)
        return HRNet(width=16, stem=32, stage1_blocks=1, modules=(1, 2, 2), blocks=2)

    def loss(self, outputs, batch):
        return weighted_mse(outputs, batch["heatmaps"], batch["weights"]) * 1000


FAMILY = HRNetFamily()
