"""Multiply-accumulates per crop, counted by forward hooks on the layers that carry the arithmetic
(convolutions, linear layers, attention's matrix products); FLOPs are reported as 2 x MACs."""
import torch
import torch.nn as nn


def count_macs(model, input_w, input_h):
    macs = [0]

    def conv(module, inputs, output):
        kernel = module.weight.shape[1] * module.weight.shape[2] * module.weight.shape[3]
        macs[0] += output.numel() * kernel

    def linear(module, inputs, output):
        macs[0] += output.numel() * module.in_features

    def attention(module, inputs, output):
        q, k = inputs[0], inputs[1]
        lq, lk, e = q.shape[0], k.shape[0], module.embed_dim
        # in-projections, q.k^T, weights.v, out-projection (batch 1)
        macs[0] += (lq + 2 * lk) * e * e + 2 * lq * lk * e + lq * e * e

    hooks = []
    for m in model.modules():
        if isinstance(m, (nn.Conv2d, nn.ConvTranspose2d)):
            if isinstance(m, nn.ConvTranspose2d):
                hooks.append(m.register_forward_hook(
                    lambda mod, i, o: macs.__setitem__(0, macs[0] + i[0].numel() * mod.weight.shape[1]
                                                       * mod.weight.shape[2] * mod.weight.shape[3])))
            else:
                hooks.append(m.register_forward_hook(conv))
        elif isinstance(m, nn.Linear):
            hooks.append(m.register_forward_hook(linear))
        elif isinstance(m, nn.MultiheadAttention):
            hooks.append(m.register_forward_hook(attention))
    was_training = model.training
    model.eval()
    with torch.no_grad():
        model(torch.zeros(1, 3, input_h, input_w))
    model.train(was_training)
    for h in hooks:
        h.remove()
    return macs[0]
