"""Multiply-accumulates per crop: every 2-D convolution the forward runs (plain or transposed), and forward
hooks on the other layers that carry the arithmetic (linear layers, attention's matrix products); FLOPs are
reported as 2 x MACs."""
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch.overrides import TorchFunctionMode


class Convolutions(TorchFunctionMode):
    """Counts every 2-D convolution, plain or transposed, a module's or one a forward calls itself (MCA's parts
    run as one conv made from their modules' weights, which no module hook sees)."""

    def __init__(self, macs):
        super().__init__()
        self.macs = macs

    def __torch_function__(self, func, types, args=(), kwargs=None):
        output = func(*args, **(kwargs or {}))
        if func in (F.conv2d, torch.conv2d, F.conv_transpose2d, torch.conv_transpose2d):
            weight = args[1] if len(args) > 1 else kwargs["weight"]
            kernel = weight.shape[1] * weight.shape[2] * weight.shape[3]
            # A conv's every output value takes a kernel of inputs; a transposed conv's every input value
            # spreads over a kernel of outputs.
            transposed = func in (F.conv_transpose2d, torch.conv_transpose2d)
            self.macs[0] += (args[0].numel() if transposed else output.numel()) * kernel
        return output


def count_macs(model, input_w, input_h):
    macs = [0]

    def linear(module, inputs, output):
        macs[0] += output.numel() * module.in_features

    def attention(module, inputs, output):
        q, k = inputs[0], inputs[1]
        lq, lk, e = q.shape[0], k.shape[0], module.embed_dim
        # in-projections, q.k^T, weights.v, out-projection (batch 1)
        macs[0] += (lq + 2 * lk) * e * e + 2 * lq * lk * e + lq * e * e

    hooks = []
    for m in model.modules():
        if isinstance(m, nn.Linear):
            hooks.append(m.register_forward_hook(linear))
        elif isinstance(m, nn.MultiheadAttention):
            hooks.append(m.register_forward_hook(attention))
    was_training = model.training
    model.eval()
    with torch.no_grad(), Convolutions(macs):
        model(torch.zeros(1, 3, input_h, input_w))
    model.train(was_training)
    for h in hooks:
        h.remove()
    return macs[0]
