"""How much of the sid-dev score do the real frames set, rather than the network?

Each real dark frame is scored beside a frame re-synthesized from its reference with the measured
noise model (dark_levels.resynthesized_frame): a network that handles its training data well but
scores lower on the real frame is held back by what the real frame holds and the model does not.

One such thing is measured directly: the real short exposures are brighter or darker row by row
than their long-exposure references (bands of tens of rows, as a rolling readout under flickering
light gives), while columns agree. A local network cannot tell a band from the scene's own shading,
so it keeps it. The relative row profile of the input against the reference shows the bands; the
PSNR after scaling each output row by a smooth gain fitted to the reference shows what they cost
(a measurement that uses the reference, never a correction the app could apply)."""
import os

import cv2
import numpy as np
import torch

from .colour import linear_to_bt709
from .dark_levels import reference_mosaic, resynthesized_frame
from .dng import read_cfa_dng
from .metrics import psnr, ssim
from .validate import enhance_dng, read_reference, sid_dev_pairs

BAND_SIGMA_ROWS = 8.0  # smoothing of row profiles: bands are tens of rows tall, row noise is one row


def smooth_rows(profile: np.ndarray, sigma: float = BAND_SIGMA_ROWS) -> np.ndarray:
    """Gaussian smoothing of a per-row profile (H,), edges reflected."""
    column = np.asarray(profile, np.float64).reshape(-1, 1)
    return cv2.GaussianBlur(column, (1, 0), sigmaX=0, sigmaY=sigma, borderType=cv2.BORDER_REFLECT_101).ravel()


def smoothed_row_ratio(image: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """Smoothed per-row mean of `image` over that of `reference` (same shape, rows first; any
    trailing axes are averaged)."""
    axes = tuple(range(1, image.ndim))
    return smooth_rows(image.mean(axes)) / np.maximum(smooth_rows(reference.mean(axes)), 1e-12)


def relative_row_profile(image: np.ndarray, reference: np.ndarray) -> np.ndarray:
    """smoothed_row_ratio scaled to mean 1, so that only the banding remains."""
    profile = smoothed_row_ratio(image, reference)
    return profile / profile.mean()


def row_gain_corrected(output: torch.Tensor, reference: torch.Tensor) -> torch.Tensor:
    """Linear (3,H,W) output with each row scaled by the smooth gain that brings its mean to the
    reference's (the global gain included), clipped to [0,1]."""
    gains = smoothed_row_ratio(reference.permute(1, 0, 2).numpy(), output.permute(1, 0, 2).numpy())
    return (output * torch.from_numpy(gains).float().view(1, -1, 1)).clamp(0, 1)


def domain_gap(model, root: str, device, code_centre_shift: float, a: float, b: float, step_dn: float,
               offset: float, seed: int = 0) -> dict:
    """Per sid-dev pair: PSNR / SSIM on the real and the re-synthesized frame, the input's row
    banding (std of its relative row profile) and, for comparison, its column banding, the
    correlation of the row profile with the output's, and the PSNR after smooth row gains fitted to
    the reference."""
    rng = np.random.default_rng(seed)
    results = {}
    for name, ratio in sid_dev_pairs(root):
        dng = read_cfa_dng(os.path.join(root, name + '.dng'))
        reference = read_reference(os.path.join(root, name + '.ref.png'))
        target = linear_to_bt709(reference)
        simulated = resynthesized_frame(dng, reference, ratio, a, b, step_dn, offset, rng)
        real_output = enhance_dng(model, dng, ratio, device, code_centre_shift)
        simulated_output = enhance_dng(model, simulated, ratio, device, code_centre_shift)
        raw, clean = dng['raw'] - dng['black'], reference_mosaic(reference, dng, ratio)
        input_bands = relative_row_profile(raw, clean)
        output_bands = relative_row_profile(real_output.permute(1, 2, 0).numpy(), reference.permute(1, 2, 0).numpy())
        rows = min(len(input_bands), len(output_bands))
        real_shown, simulated_shown = linear_to_bt709(real_output), linear_to_bt709(simulated_output)
        results[name] = {
            'real': (psnr(real_shown, target), ssim(real_shown, target)),
            'simulated': (psnr(simulated_shown, target), ssim(simulated_shown, target)),
            'banding': float(input_bands.std()),
            'column_banding': float(relative_row_profile(raw.T, clean.T).std()),
            'band_correlation': float(np.corrcoef(input_bands[:rows], output_bands[:rows])[0, 1]),
            'row_gains_psnr': psnr(linear_to_bt709(row_gain_corrected(real_output, reference)), target),
        }
    return results
