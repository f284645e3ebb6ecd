"""The SID-style U-Net, light and camera-agnostic.

Input: packed raw (B,4,H,W), R,G1,B,G2, white-balanced, amplified, clipped to [0,1].
Output: white-balanced linear camera RGB at full resolution (B,3,2H,2W).
Every 2x upsampling is a 1x1 convolution to 4*C channels followed by depth-to-space: the same
function family as SID's transposed convolution, but it maps to fast kernels in tfjs (XNNPACK).
Depth-to-space uses TensorFlow's channel order (DCR) so exported weights need no permutation.
"""
from dataclasses import dataclass, field, asdict

import torch
import torch.nn as nn
import torch.nn.functional as F


@dataclass
class UNetConfig:
    widths: list = field(default_factory=lambda: [8, 16, 32, 64, 128])
    in_channels: int = 4
    out_channels: int = 3
    leaky_slope: float = 0.2

    def to_dict(self) -> dict:
        return asdict(self)


def depth_to_space(x: torch.Tensor, block: int = 2) -> torch.Tensor:
    """TensorFlow-order depth-to-space: channel (i*block + j)*C + c goes to sub-pixel (i, j) of channel c."""
    b, ch, h, w = x.shape
    c = ch // (block * block)
    x = x.view(b, block, block, c, h, w).permute(0, 3, 4, 1, 5, 2)
    return x.reshape(b, c, h * block, w * block)


class DoubleConv(nn.Module):
    def __init__(self, cin: int, cout: int, slope: float):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, padding=1)
        self.conv2 = nn.Conv2d(cout, cout, 3, padding=1)
        self.slope = slope

    def forward(self, x):
        x = F.leaky_relu(self.conv1(x), self.slope)
        return F.leaky_relu(self.conv2(x), self.slope)


class UNet(nn.Module):
    def __init__(self, config: UNetConfig):
        super().__init__()
        self.config = config
        w, s = config.widths, config.leaky_slope
        self.down = nn.ModuleList()
        cin = config.in_channels
        for width in w:
            self.down.append(DoubleConv(cin, width, s))
            cin = width
        self.upsample = nn.ModuleList()
        self.up = nn.ModuleList()
        for level in range(len(w) - 2, -1, -1):
            self.upsample.append(nn.Conv2d(w[level + 1], 4 * w[level], 1))
            self.up.append(DoubleConv(2 * w[level], w[level], s))
        self.head = nn.Conv2d(w[0], 4 * config.out_channels, 1)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        skips = []
        for i, block in enumerate(self.down):
            if i > 0:
                x = F.max_pool2d(x, 2)
            x = block(x)
            skips.append(x)
        skips.pop()
        for upsample, block in zip(self.upsample, self.up):
            x = depth_to_space(upsample(x))
            x = block(torch.cat([x, skips.pop()], dim=1))
        return depth_to_space(self.head(x))


def count_macs(config: UNetConfig, packed_h: int, packed_w: int) -> int:
    """Multiply-accumulates of one forward pass on a packed (H, W) input."""
    macs, w, cin = 0, config.widths, config.in_channels
    h, wd = packed_h, packed_w
    sizes = []
    for level, width in enumerate(w):
        if level > 0:
            h, wd = h // 2, wd // 2
        sizes.append(h * wd)
        macs += sizes[-1] * 9 * (cin * width + width * width)
        cin = width
    for level in range(len(w) - 2, -1, -1):
        macs += sizes[level + 1] * w[level + 1] * 4 * w[level]
        macs += sizes[level] * 9 * (2 * w[level] * w[level] + w[level] * w[level])
    macs += sizes[0] * w[0] * 4 * config.out_channels
    return macs


def macs_per_output_megapixel(config: UNetConfig) -> float:
    """GMAC per megapixel of full-resolution output (4 output pixels per packed pixel)."""
    size = 256
    return count_macs(config, size, size) / (4 * size * size) * 1e6 / 1e9


def count_parameters(model: nn.Module) -> int:
    return sum(p.numel() for p in model.parameters())


def checkpoint_model(saved: dict) -> UNet:
    """The U-Net of a loaded checkpoint, in eval mode."""
    model = UNet(UNetConfig(widths=saved['config']['widths']))
    model.load_state_dict(saved['model'])
    return model.eval()
