"""Do dark scenes keep their brightness and colour? Per-channel means of the reference over those of
the model's output, on each sid-dev pair: for the real dark frame, and for a frame re-synthesized
from the reference with a given noise model (shot gain, read variance, ADC step and offset, clipping
at black, as the real files are). When both show the same bias, the network fails on data its noise
model describes; when only the real frame does, the noise model misses something.

Only statistics are compared; nothing here trains on sid-dev."""
import os

import numpy as np
import torch

from .colour import apply_matrix, srgb_to_camera_matrix
from .dng import read_cfa_dng
from .validate import enhance_dng, read_reference, sid_dev_pairs


def reference_mosaic(reference: torch.Tensor, dng: dict, ratio: float) -> np.ndarray:
    """Normalized raw (0 = black, 1 = white level) of the dark frame the reference stands for: linear
    sRGB (3,H,W) -> white-balanced camera RGB -> camera RGB (the DNG's neutral) / ratio, sampled on the
    DNG's CFA."""
    balanced = apply_matrix(srgb_to_camera_matrix(torch.tensor(dng['color_matrix'], dtype=torch.float32)), reference)
    neutral = np.asarray(dng['neutral'], dtype=np.float32)
    camera = balanced.clamp_min(0).numpy() * (neutral / neutral[1])[:, None, None] / ratio
    height, width = dng['raw'].shape
    mosaic = np.zeros((height, width), np.float32)
    for dy in range(2):
        for dx in range(2):
            mosaic[dy::2, dx::2] = camera[dng['cfa'][2 * dy + dx], dy::2, dx::2][: (height - dy + 1) // 2,
                                                                              : (width - dx + 1) // 2]
    return mosaic


def noisy_codes(mosaic: np.ndarray, dng: dict, a: float, b: float, step_dn: float, offset: float,
                rng: np.random.Generator) -> np.ndarray:
    """Raw DN of `mosaic` seen through the noise model of noise.py (shot a, read variance b, both in
    normalized units; codes of step_dn from black, boundaries `offset` steps below the code), clipped
    at black as sid-dev's files are."""
    span = dng['white'] - dng['black']
    signal = mosaic.astype(np.float64) * span
    gain = a * span  # DN per electron
    shot = rng.poisson(np.clip(signal, 0, None) / gain) * gain
    read = rng.normal(0.0, np.sqrt(b) * span, signal.shape)
    codes = np.floor((shot + read) / step_dn + offset) * step_dn
    return (dng['black'] + np.clip(codes, 0, None)).astype(np.float32)


def resynthesized_frame(dng: dict, reference: torch.Tensor, ratio: float, a: float, b: float, step_dn: float,
                        offset: float, rng: np.random.Generator) -> dict:
    """The DNG with its raw data replaced by the dark frame its reference stands for, seen through the
    noise model (the frame a network trained on that model should handle as well as its training)."""
    return {**dng, 'raw': noisy_codes(reference_mosaic(reference, dng, ratio), dng, a, b, step_dn, offset, rng)}


def channel_ratios(reference: torch.Tensor, output: torch.Tensor) -> np.ndarray:
    """Reference channel means over output channel means (1 = right brightness and colour)."""
    return (reference.mean((1, 2)) / output.mean((1, 2)).clamp_min(1e-12)).numpy()


def dark_levels(model, root: str, device, code_centre_shift: float, a: float, b: float, step_dn: float,
                offset: float, seed: int = 0) -> dict:
    """{name: {'real': ratios, 'simulated': ratios}} for the sid-dev pairs with a reference."""
    rng = np.random.default_rng(seed)
    results = {}
    for name, ratio in sid_dev_pairs(root):
        dng = read_cfa_dng(os.path.join(root, name + '.dng'))
        reference = read_reference(os.path.join(root, name + '.ref.png'))
        simulated = resynthesized_frame(dng, reference, ratio, a, b, step_dn, offset, rng)
        results[name] = {kind: channel_ratios(reference, enhance_dng(model, frame, ratio, device,
                                                                     code_centre_shift))
                         for kind, frame in (('real', dng), ('simulated', simulated))}
    return results
