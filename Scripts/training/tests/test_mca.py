"""MCA's part attention runs every part at once; it must compute what each part's own CRF attention and head
(the paper's definition, kept as the modules that hold the parameters) compute."""
import torch

from seedtrain.mca import PartAttention


def test_every_part_at_once_equals_each_part_alone():
    torch.manual_seed(0)
    attention = PartAttention(channels=8, joints=5).eval()
    for head in attention.heads:     # trained heads are far from their N(0, 0.001) start
        torch.nn.init.normal_(head.weight, std=0.3)
        torch.nn.init.normal_(head.bias, std=0.3)
    f = torch.randn(2, 8, 12, 10)
    with torch.no_grad():
        each = torch.cat([head(f * part(f)) for part, head in zip(attention.maps, attention.heads)], 1)
        together = attention(f)
    assert together.shape == (2, 5, 12, 10)
    assert torch.allclose(together, each, atol=1e-5), (together - each).abs().max()
    assert each.std() > 0.1         # a comparison of near-zero maps would pass whatever the arithmetic
