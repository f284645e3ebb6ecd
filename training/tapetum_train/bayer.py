"""Bayer packing in the pipeline's canonical order R, G1, B, G2 (G1 on red rows, G2 on blue rows).

Matches `packBayer` in src/pipeline/develop/pack.ts: packed pixel (y, x) holds the RGGB quad whose
top-left mosaic pixel is (2y, 2x).
"""
import torch
import torch.nn.functional as F


def mosaic_rggb(rgb: torch.Tensor) -> torch.Tensor:
    """(B,3,2H,2W) camera RGB -> packed (B,4,H,W) R, G1, B, G2 of an RGGB mosaic."""
    return torch.stack([
        rgb[:, 0, 0::2, 0::2],
        rgb[:, 1, 0::2, 1::2],
        rgb[:, 2, 1::2, 1::2],
        rgb[:, 1, 1::2, 0::2],
    ], dim=1)


def unpack_to_mosaic(packed: torch.Tensor) -> torch.Tensor:
    """(B,4,H,W) packed R,G1,B,G2 -> (B,1,2H,2W) RGGB mosaic (inverse of the packing)."""
    r, g1, b, g2 = packed.unbind(1)
    # pixel_shuffle orders sub-pixels (0,0),(0,1),(1,0),(1,1): R, G1, G2, B.
    return F.pixel_shuffle(torch.stack([r, g1, g2, b], dim=1), 2)


def pack_mosaic(mosaic: torch.Tensor) -> torch.Tensor:
    """(B,1,2H,2W) RGGB mosaic -> packed (B,4,H,W) R, G1, B, G2 (inverse of unpack_to_mosaic)."""
    m = mosaic[:, 0]
    return torch.stack([m[:, 0::2, 0::2], m[:, 0::2, 1::2], m[:, 1::2, 1::2], m[:, 1::2, 0::2]], dim=1)
