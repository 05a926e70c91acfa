"""TFPose (Mao, Ge, Shen, Tian, Wang, Wang: TFPose: Direct Human Pose Estimation with Transformers, 2021).

Exported in the layout of its successor Poseur and MMPose's RLEHead: input `input` [N,3,256,192] RGB,
ImageNet mean/std on 0-255 outside the graph; output `coords` [N,17,4] from the last decoder layer:
x, y normalised to the crop in [0,1], then two pre-sigmoid sigma channels; decoded with `regression`
(x * input width, y * input height; score = mean(1 - sigmoid(sigma))). No heatmaps at inference.

Training adds an auxiliary heatmap loss on the encoder's output (a 1x1 conv to 17 maps at stride 16),
which the exported graph does not contain. This is posepipe's addition for the CPU budget, not taken
from the paper (we could not check whether the paper trains with one): learning from the coordinate
loss alone, the first run (2000 steps planned) was still predicting the mean pose at step 780
(held-out PCK@0.1 0.13). The heatmap loss tells the backbone and encoder at every position where each
keypoint is, so the decoder queries have something to attend to from the first steps on.
"""
import math

import keypoint_codecs as codecs
import numpy as np
import torch
import torch.nn as nn

from .family import Family, Schedule
from .keypoints import NUM_KEYPOINTS
from .layers import BasicBlock, Bottleneck, conv_bn, heatmap_head


class SmallBackbone(nn.Sequential):
    """A ResNet-style CNN of basic blocks to stride 16 (the CPU budget's stand-in for ResNet-50)."""

    def __init__(self, widths=(24, 32, 64, 96)):
        a, b, c, d = widths
        super().__init__(conv_bn(3, a, 3, 2), conv_bn(a, b, 3, 2), BasicBlock(b, b), BasicBlock(b, c, 2),
                         BasicBlock(c, d, 2), BasicBlock(d, d))
        self.channels = d


class ResNet50(nn.Sequential):
    """Sec. 3 (full configuration): ResNet-50's C5, stride 32."""

    def __init__(self):
        layers, cin = [conv_bn(3, 64, 7, 2), nn.MaxPool2d(3, 2, 1)], 64
        for level, (planes, blocks) in enumerate(zip((64, 128, 256, 512), (3, 4, 6, 3))):
            for i in range(blocks):
                layers.append(Bottleneck(cin, planes, 2 if level > 0 and i == 0 else 1))
                cin = planes * 4
        super().__init__(*layers)
        self.channels = cin


def sine_embed(x, y, dim):
    """DETR's 2D sine encoding of normalised points (x, y in [0, 1], any shape): [..., dim], half for y,
    half for x."""
    quarter = dim // 4
    freq = 1.0 / (10000 ** (torch.arange(quarter, dtype=torch.float32) / quarter))
    ay = (y * 2 * math.pi)[..., None] * freq
    ax = (x * 2 * math.pi)[..., None] * freq
    return torch.cat([torch.sin(ay), torch.cos(ay), torch.sin(ax), torch.cos(ax)], -1)


def sine_positions(height, width, dim):
    """The encoding of every cell centre of a height x width map, [height*width, dim], row by row."""
    ys = (torch.arange(height, dtype=torch.float32) + 0.5) / height
    xs = (torch.arange(width, dtype=torch.float32) + 0.5) / width
    gy, gx = torch.meshgrid(ys, xs, indexing="ij")
    return sine_embed(gx.reshape(-1), gy.reshape(-1), dim)


class EncoderLayer(nn.Module):
    def __init__(self, dim, heads, ffn, dropout):
        super().__init__()
        self.attention = nn.MultiheadAttention(dim, heads, dropout=dropout)
        self.ffn = nn.Sequential(nn.Linear(dim, ffn), nn.ReLU(inplace=True), nn.Dropout(dropout), nn.Linear(ffn, dim))
        self.norm1, self.norm2 = nn.LayerNorm(dim), nn.LayerNorm(dim)
        self.drop = nn.Dropout(dropout)

    def forward(self, x, pos):
        q = x + pos
        x = self.norm1(x + self.drop(self.attention(q, q, x, need_weights=False)[0]))
        return self.norm2(x + self.drop(self.ffn(x)))


class DecoderLayer(nn.Module):
    """Self-attention among the keypoint queries (the structure between keypoints), cross-attention to the
    encoded image, a feed-forward network; then a head that refines the previous layer's coordinates."""

    def __init__(self, dim, heads, ffn, dropout, position_values=False):
        super().__init__()
        self.position_values = position_values
        self.self_attention = nn.MultiheadAttention(dim, heads, dropout=dropout)
        self.cross_attention = nn.MultiheadAttention(dim, heads, dropout=dropout)
        self.ffn = nn.Sequential(nn.Linear(dim, ffn), nn.ReLU(inplace=True), nn.Dropout(dropout), nn.Linear(ffn, dim))
        self.norms = nn.ModuleList(nn.LayerNorm(dim) for _ in range(3))
        self.drop = nn.Dropout(dropout)
        self.head = nn.Sequential(nn.Linear(dim, dim), nn.ReLU(inplace=True), nn.Linear(dim, 4))
        # Deformable DETR's refinement start: the last layer begins at zero, so every layer first keeps
        # the estimate it is given.
        nn.init.zeros_(self.head[-1].weight)
        nn.init.zeros_(self.head[-1].bias)

    def forward(self, q, query_pos, memory, memory_pos):
        """The updated queries and, with position_values, the cross-attention averaged over heads
        [N, K, HW] (else None)."""
        a = q + query_pos
        q = self.norms[0](q + self.drop(self.self_attention(a, a, q, need_weights=False)[0]))
        keys = memory + memory_pos
        values = keys if self.position_values else memory
        found, attention = self.cross_attention(q + query_pos, keys, values, need_weights=self.position_values)
        q = self.norms[1](q + self.drop(found))
        return self.norms[2](q + self.drop(self.ffn(q))), attention


def inverse_sigmoid(x, eps=1e-5):
    x = x.clamp(eps, 1 - eps)
    return torch.log(x / (1 - x))


class TFPose(nn.Module):
    """Sec. 3: CNN features -> 1x1 projection + sine positions -> transformer encoder; a decoder with one
    learned query per keypoint predicts its coordinates directly; each layer refines the previous layer's
    estimate in logit space, y_l = sigmoid(delta_l + sigmoid^-1(y_{l-1})), starting from a learned
    reference point per keypoint, and every layer is supervised.

    Two additions for the CPU budget (posepipe's, switched on for the shipped model only; the paper's
    configuration keeps DETR's decoder): the cross-attention's values carry the sine positions too, so
    what a query gathers says where it was found, not only what; and each layer's query position adds an
    MLP of the sine encoding of the current estimate (as Conditional/DAB-DETR do), which the coordinate
    head also reads, so a layer knows the point it refines. Each layer's estimate is then the centre of
    its own cross-attention (the attention-weighted mean of the cell centres) moved by the head's step in
    logit space, y_l = sigmoid(delta_l + sigmoid^-1(centre_l)); the previous layer's estimate steers
    where the layer looks through its query position. Without these the first run stayed at the mean pose,
    and a second, with position-carrying values but the paper's refinement rule, was still there at step
    443 although its encoder already placed the keypoints within a cell (auxiliary heatmap argmax).

    forward returns (every decoder layer's [N, K, 4], auxiliary heatmaps [N, K, h, w] or None): the
    heatmaps are computed in training mode only, so neither the export nor the FLOP count sees them."""

    def __init__(self, backbone, input_w, input_h, stride, dim=256, heads=8, encoders=6, decoders=6, ffn=1024,
                 dropout=0.1, joints=17, conditional=False):
        super().__init__()
        self.dim, self.conditional = dim, conditional
        self.backbone = backbone
        self.project = nn.Conv2d(backbone.channels, dim, 1)
        self.register_buffer("positions", sine_positions(input_h // stride, input_w // stride, dim)[:, None, :])
        # Cell centres in the coordinates the output uses (input pixel index / input size), row by row.
        ys = (torch.arange(input_h // stride, dtype=torch.float32) * stride + (stride - 1) / 2) / input_h
        xs = (torch.arange(input_w // stride, dtype=torch.float32) * stride + (stride - 1) / 2) / input_w
        gy, gx = torch.meshgrid(ys, xs, indexing="ij")
        self.register_buffer("cells", torch.stack([gx.reshape(-1), gy.reshape(-1)], 1))
        self.encoder = nn.ModuleList(EncoderLayer(dim, heads, ffn, dropout) for _ in range(encoders))
        self.decoder = nn.ModuleList(DecoderLayer(dim, heads, ffn, dropout, conditional) for _ in range(decoders))
        if conditional:
            self.reference_pos = nn.Sequential(nn.Linear(dim, dim), nn.ReLU(inplace=True), nn.Linear(dim, dim))
        self.queries = nn.Parameter(torch.randn(joints, 1, dim) * 0.1)
        self.query_pos = nn.Parameter(torch.randn(joints, 1, dim) * 0.1)
        self.reference = nn.Parameter(torch.zeros(joints, 2))
        self.training_heatmaps = heatmap_head(nn.Conv2d(dim, joints, 1))

    def forward(self, x):
        f = self.project(self.backbone(x))
        n = f.shape[0]
        memory = f.flatten(2).permute(2, 0, 1)                              # [HW, N, dim]
        pos = self.positions.expand(-1, n, -1)
        for layer in self.encoder:
            memory = layer(memory, pos)
        heatmaps = None
        if self.training:
            heatmaps = self.training_heatmaps(memory.permute(1, 2, 0).reshape(f.shape))
        q = self.queries.expand(-1, n, -1)
        query_pos = self.query_pos.expand(-1, n, -1)
        xy = torch.sigmoid(self.reference)[None].expand(n, -1, -1)
        layers, attentions = [], []
        for layer in self.decoder:
            layer_pos = query_pos
            if self.conditional:
                layer_pos = query_pos + self.reference_pos(sine_embed(xy[..., 0], xy[..., 1], self.dim)).permute(1, 0, 2)
            q, attention = layer(q, layer_pos, memory, pos)
            out = layer.head(q + layer_pos if self.conditional else q).permute(1, 0, 2)     # [N, K, 4]
            start = xy if attention is None else attention @ self.cells
            xy = torch.sigmoid(out[..., :2] + inverse_sigmoid(start))
            layers.append(torch.cat([xy, out[..., 2:]], 2))
            attentions.append(attention)
            xy = xy.detach()                                                # each layer learns its own step
        return layers, heatmaps, attentions


class TFPoseFamily(Family):
    name = "tfpose"
    codec = "regression"
    output_names = ("coords",)
    clip_grad = 1.0
    stride = 16
    heatmap_sigma = 1.0         # cells of the stride-16 map (16 input pixels)
    heatmap_weight = 100.0      # brings the auxiliary MSE (~0.016 at the start) to the coordinate loss's scale
    attention_weight = 0.3      # the attention cross-entropy starts near log(192) = 5.3, its floor is ~2.8
    # Paper: ResNet-50, d 256, 6 encoder + 6 decoder layers, AdamW. Here: a small ResNet-style backbone
    # to stride 16, d 96, 4 heads, 2 encoder + 3 decoder layers, FFN 192, a cosine schedule that validation
    # may stop early.
    # 9000 steps: at 3000 the validation score was still swinging between 0.50 and 0.62 from one check to the
    # next, the mark of a DETR-style decoder that has not settled (DETR itself trains for 500 epochs).
    small_schedule = Schedule(steps=9000, batch=16, lr=4e-4, validate_every=150)
    # Paper: AdamW 1e-4, weight decay 1e-4 (DETR's setting, which TFPose follows); the drop by 10 at 2/3 of the
    # steps is DETR's schedule, not stated in the TFPose paper.
    full_schedule = Schedule(steps=300000, batch=32, lr=1e-4, milestones=(2 / 3,))
    full_optimiser = small_optimiser = "adamw"
    weight_decay = 1e-4

    def build(self, full):
        if full:
            return TFPose(ResNet50(), self.input_w, self.input_h, 32)
        return TFPose(SmallBackbone(), self.input_w, self.input_h, self.stride, dim=96, heads=4, encoders=2,
                      decoders=3, ffn=192, dropout=0.0, conditional=True)

    def targets(self, keypoints, clear):
        coords, weights = self.regression_codec.encode(keypoints, clear)
        # The auxiliary maps for the shipped model's stride 16 (the --full backbone's stride 32 is resized to).
        auxiliary = codecs.MSRA((self.input_w, self.input_h), (self.input_w // self.stride, self.input_h // self.stride),
                                self.heatmap_sigma)
        maps, _ = auxiliary.encode(keypoints, clear)
        return {"coords": coords, "weights": weights, "heatmaps": maps, "heatmap_weights": weights.copy()}

    def negative_targets(self):
        """No coordinates to learn; the auxiliary maps are empty everywhere, and the loss pushes every sigma up
        (every score down)."""
        t = self.targets(np.zeros((NUM_KEYPOINTS, 2)), np.zeros(NUM_KEYPOINTS, bool))
        t["heatmap_weights"] = np.ones_like(t["heatmap_weights"])
        return t

    def loss(self, outputs, batch):
        """The paper's L1 coordinate loss on every decoder layer; a Laplace negative log-likelihood for the
        sigma channels (not in TFPose: RLE, Li et al. 2021, as Poseur adds it), -log p = log(sigma) +
        |error| / sigma with sigma = sigmoid(raw), on the detached error so that it trains the scores
        without reweighting the coordinates; and posepipe's auxiliary heatmap loss (module docstring)."""
        layers, heatmaps, attentions = outputs
        target, weights = batch["coords"], batch["weights"][..., None]
        denominator = weights.sum().clamp(min=1) * 2
        total = 0.0
        for out in layers:
            error = (out[..., :2] - target).abs()
            sigma = torch.sigmoid(out[..., 2:]) + 1e-4
            nll = torch.log(sigma) + error.detach() / sigma
            total = total + ((error * 10 + nll * 0.1) * weights).sum() / denominator
            # A crop without a person: sigma -> 1, so the score mean(1 - sigma) -> 0 (posepipe's addition:
            # the paper's model is only ever shown people).
            absent = 1.0 - batch["person"]
            if absent.sum() > 0:
                push = nn.functional.softplus(-out[..., 2:]).mean(dim=(1, 2))
                total = total + (push * absent).sum() / absent.sum().clamp(min=1)
        total = total / len(layers)
        if heatmaps is not None:
            maps = batch["heatmaps"]
            if heatmaps.shape[-2:] != maps.shape[-2:]:
                heatmaps = nn.functional.interpolate(heatmaps, size=maps.shape[-2:], mode="bilinear",
                                                     align_corners=False)
            per_joint = ((heatmaps - maps) ** 2).mean(dim=(2, 3))
            total = total + self.heatmap_weight * (per_joint * batch["heatmap_weights"]).mean()
            # Each decoder layer's cross-attention should fall on its keypoint: cross-entropy against the
            # same Gaussians normalised to sum 1 (training only, posepipe's addition).
            if attentions[0] is not None and maps.shape[-2:] == heatmaps.shape[-2:]:
                target = maps.flatten(2)
                target = target / target.sum(-1, keepdim=True).clamp(min=1e-6)
                for attention in attentions:
                    ce = -(target * torch.log(attention + 1e-6)).sum(-1)
                    total = total + self.attention_weight * (ce * batch["weights"]).sum() / \
                        batch["weights"].sum().clamp(min=1) / len(attentions)
        return total

    def export_outputs(self, outputs):
        # The reshape gives the graph a static [batch, 17, 4] output shape instead of symbolic dims.
        return (outputs[0][-1].reshape(-1, NUM_KEYPOINTS, 4),)

    def inference_parameters(self, model):
        return sum(p.numel() for n, p in model.named_parameters() if not n.startswith("training_heatmaps."))

    @property
    def regression_codec(self):
        return codecs.Regression((self.input_w, self.input_h))

    def decode(self, named_outputs):
        return self.regression_codec.decode(named_outputs["coords"])


FAMILY = TFPoseFamily()
