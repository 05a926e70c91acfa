"""Building blocks more than one paper uses: ResNet's basic and bottleneck blocks (He et al. 2016)."""
import torch.nn as nn


def heatmap_head(conv):
    """HRNet's and MMPose's initialisation of a layer that emits heatmaps: weights N(0, 0.001), bias 0, so
    training starts from near-empty maps instead of spending its first steps unlearning random ones."""
    nn.init.normal_(conv.weight, std=0.001)
    nn.init.zeros_(conv.bias)
    return conv


def conv_bn(cin, cout, kernel, stride=1, relu=True):
    layers = [nn.Conv2d(cin, cout, kernel, stride, kernel // 2, bias=False), nn.BatchNorm2d(cout)]
    if relu:
        layers.append(nn.ReLU(inplace=True))
    return nn.Sequential(*layers)


class BasicBlock(nn.Module):
    expansion = 1

    def __init__(self, cin, planes, stride=1):
        super().__init__()
        self.body = nn.Sequential(conv_bn(cin, planes, 3, stride), conv_bn(planes, planes, 3, relu=False))
        self.skip = None if stride == 1 and cin == planes else conv_bn(cin, planes, 1, stride, relu=False)
        self.relu = nn.ReLU(inplace=True)

    def forward(self, x):
        return self.relu(self.body(x) + (x if self.skip is None else self.skip(x)))


class Bottleneck(nn.Module):
    expansion = 4

    def __init__(self, cin, planes, stride=1):
        super().__init__()
        out = planes * self.expansion
        self.body = nn.Sequential(conv_bn(cin, planes, 1), conv_bn(planes, planes, 3, stride),
                                  conv_bn(planes, out, 1, relu=False))
        self.skip = None if stride == 1 and cin == out else conv_bn(cin, out, 1, stride, relu=False)
        self.relu = nn.ReLU(inplace=True)

    def forward(self, x):
        return self.relu(self.body(x) + (x if self.skip is None else self.skip(x)))
