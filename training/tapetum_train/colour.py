"""Colour science shared by synthesis and evaluation: transfer curves and camera matrices."""
import torch

# Linear sRGB (D65) -> CIE XYZ, IEC 61966-2-1.
SRGB_TO_XYZ = torch.tensor([
    [0.4124564, 0.3575761, 0.1804375],
    [0.2126729, 0.7151522, 0.0721750],
    [0.0193339, 0.1191920, 0.9503041],
])


def srgb_to_linear(x: torch.Tensor) -> torch.Tensor:
    x = x.clamp(0, 1)
    return torch.where(x <= 0.04045, x / 12.92, ((x + 0.055) / 1.055) ** 2.4)


def linear_to_srgb(x: torch.Tensor) -> torch.Tensor:
    x = x.clamp(0, 1)
    return torch.where(x <= 0.0031308, x * 12.92, 1.055 * x.clamp_min(1e-8) ** (1 / 2.4) - 0.055)


def bt709_to_linear(x: torch.Tensor) -> torch.Tensor:
    x = x.clamp(0, 1)
    return torch.where(x < 0.081, x / 4.5, ((x + 0.099) / 1.099) ** (1 / 0.45))


def linear_to_bt709(x: torch.Tensor) -> torch.Tensor:
    x = x.clamp(0, 1)
    return torch.where(x < 0.018, x * 4.5, 1.099 * x.clamp_min(1e-8) ** 0.45 - 0.099)


def srgb_to_camera_matrix(xyz_to_camera: torch.Tensor) -> torch.Tensor:
    """Linear sRGB -> white-balanced camera RGB ((3,3) or batched (B,3,3)), rows normalized so sRGB
    white maps to (1,1,1).

    This is dcraw's convention: with camera white balance applied, a neutral surface is (1,1,1)
    in camera space, so the matrix from sRGB must keep white at white.
    """
    m = xyz_to_camera @ SRGB_TO_XYZ.to(xyz_to_camera)
    return m / m.sum(dim=-1, keepdim=True)


def camera_to_srgb_matrix(xyz_to_camera: torch.Tensor) -> torch.Tensor:
    """White-balanced camera RGB -> linear sRGB (inverse of srgb_to_camera_matrix)."""
    return torch.linalg.inv(srgb_to_camera_matrix(xyz_to_camera))


def apply_matrix(m: torch.Tensor, image: torch.Tensor) -> torch.Tensor:
    """Apply a 3x3 (or batched Bx3x3) colour matrix to images shaped (B,3,H,W) or (3,H,W)."""
    if image.dim() == 3:
        return torch.einsum('ij,jhw->ihw', m, image)
    if m.dim() == 2:
        return torch.einsum('ij,bjhw->bihw', m, image)
    return torch.einsum('bij,bjhw->bihw', m, image)
