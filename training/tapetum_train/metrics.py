"""The sid-dev protocol of ../shared/README.md: BT.709-encoded images, PSNR over [0,1] and the whole
image, SSIM with an 11x11 Gaussian window (sigma 1.5, K1 0.01, K2 0.03), mean over channels, 5-pixel
border excluded. The border applies to SSIM only: RawTherapee's anchor figures in that README are
whole-image PSNR (reproduced to 0.003 dB; with the border excluded they read 0.04-0.15 dB higher)."""
import math

import torch
import torch.nn.functional as F

from .colour import linear_to_bt709

BORDER = 5


def gaussian_window(size: int = 11, sigma: float = 1.5) -> torch.Tensor:
    coords = torch.arange(size, dtype=torch.float64) - (size - 1) / 2
    g = torch.exp(-coords ** 2 / (2 * sigma ** 2))
    g = g / g.sum()
    return torch.outer(g, g)


def psnr(a: torch.Tensor, b: torch.Tensor) -> float:
    """a, b: (3,H,W) in [0,1]; every pixel counts."""
    mse = torch.mean((a.double() - b.double()) ** 2).item()
    return math.inf if mse == 0 else 10 * math.log10(1.0 / mse)


def ssim(a: torch.Tensor, b: torch.Tensor) -> float:
    """a, b: (3,H,W) in [0,1]; 'valid' filtering, then the border is excluded from the mean."""
    c1, c2 = 0.01 ** 2, 0.03 ** 2
    window = gaussian_window().view(1, 1, 11, 11).repeat(3, 1, 1, 1)
    x, y = a.double().unsqueeze(0), b.double().unsqueeze(0)

    def blur(t):
        return F.conv2d(t, window, padding=5, groups=3)

    mx, my = blur(x), blur(y)
    vx, vy, cxy = blur(x * x) - mx * mx, blur(y * y) - my * my, blur(x * y) - mx * my
    s = ((2 * mx * my + c1) * (2 * cxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2))
    return s[0, :, BORDER:-BORDER, BORDER:-BORDER].mean().item()


def chroma_ratio(pred_linear: torch.Tensor, ref_linear: torch.Tensor) -> float:
    """Mean chroma of the prediction over the reference's (1 = as saturated), in BT.709 space,
    measured on 8x8 block means so that noise does not count as colour."""

    def mean_chroma(x):
        y = F.avg_pool2d(linear_to_bt709(x).unsqueeze(0), 8)[0]
        return (y - y.mean(0, keepdim=True)).abs().mean().item()

    return mean_chroma(pred_linear) / max(mean_chroma(ref_linear), 1e-9)
