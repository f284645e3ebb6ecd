"""Training loss: L1 after a fixed tone curve (so dark regions count, as a viewer sees them), a small
linear L1 that keeps gradients alive outside [0,1], and a low-frequency chroma term that protects
saturation (the failure seen in early probes: washed-out colour)."""
import torch
import torch.nn.functional as F

from .colour import linear_to_srgb


def chroma(x: torch.Tensor) -> torch.Tensor:
    """Opponent colour differences (R-G, B-G) of (B,3,H,W)."""
    return torch.stack([x[:, 0] - x[:, 1], x[:, 2] - x[:, 1]], dim=1)


def restoration_loss(output: torch.Tensor, target: torch.Tensor, chroma_weight: float = 0.5,
                     linear_weight: float = 0.1) -> torch.Tensor:
    tone_out = linear_to_srgb(output.clamp(0, 1))
    tone_target = linear_to_srgb(target)
    loss = F.l1_loss(tone_out, tone_target) + linear_weight * F.l1_loss(output, target)
    if chroma_weight:
        low_out = F.avg_pool2d(chroma(tone_out), 4)
        low_target = F.avg_pool2d(chroma(tone_target), 4)
        loss = loss + chroma_weight * F.l1_loss(low_out, low_target)
    return loss
