"""How much of the sid-dev score do the real frames set, rather than the network?

Each real dark frame is scored beside a frame re-synthesized from its reference with the measured
noise model (dark_levels.resynthesized_frame): a network that handles its training data well but
scores lower on the real frame is held back by what the real frame holds and the model does not.

One such thing is measured directly: the real short exposures are brighter or darker row by row
than their long-exposure references (bands of tens of rows, as a rolling readout under flickering
light gives), while columns agree. A local network cannot tell a band from the scene's own shading,
so it keeps it. The relative row profile of the input against the reference shows the bands; the
PSNR after scaling each output row by a smooth gain fitted to the reference shows what they cost
(a measurement that uses the reference, never a correction the app could apply).

Another is alignment: each output is compared with its reference after moving it by their sub-pixel
shift (least squares), and after a further Gaussian blur, which shows how much of the error is
fine detail that does not match the reference's."""
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
FINE_DETAIL_SIGMA = 0.8  # px: the blur that removes what lies finer than the references hold (README, stop 21)


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


def alignment_shift(image: np.ndarray, reference: np.ndarray, reach: float = 1.0) -> tuple:
    """(dx, dy) in pixels, within +-reach, by which the content of `image` lies right of / below
    `reference`'s (both (H,W,3)): the shift whose undoing (moved) leaves the least squared difference
    away from the edges. First the highest cross-correlation of the two, Hann-windowed, on a 0.02 px
    grid (from their spectra, for all shifts at once; the window biases it by up to 0.1 px), then two
    quadratic fits of the squared difference itself on 3 x 3 shifts around the estimate.
    (Phase correlation's sub-pixel estimates were off by up to 0.6 px on test images.)"""
    window = np.outer(np.hanning(image.shape[0]), np.hanning(image.shape[1]))[:, :, None]
    spectra = [np.fft.fft2(x * window, axes=(0, 1)) for x in (image, reference)]
    cross = (spectra[0] * np.conj(spectra[1])).sum(2)
    fy, fx = np.fft.fftfreq(cross.shape[0]), np.fft.fftfreq(cross.shape[1])
    best = np.zeros(2)
    for step, span in ((0.1, reach), (0.02, 0.1)):
        offsets = np.arange(-span, span + step / 2, step)
        xs, ys = best[0] + offsets, best[1] + offsets
        score = np.real(np.exp(2j * np.pi * np.outer(ys, fy)) @ cross @ np.exp(2j * np.pi * np.outer(fx, xs)))
        row, column = np.unravel_index(np.argmax(score), score.shape)
        best = np.array([xs[column], ys[row]])
    spectrum, inner = mirrored_spectrum(image), (slice(8, -8), slice(8, -8))
    for span in (0.1, 0.03):
        grid = [(ox, oy) for oy in (-span, 0, span) for ox in (-span, 0, span)]
        errors = [((shifted(spectrum, -(best[0] + ox), -(best[1] + oy)) - reference)[inner] ** 2).mean()
                  for ox, oy in grid]
        # e = c0 + c1 x + c2 y + c3 x^2 + c4 y^2 + c5 x y; its minimum solves the 2 x 2 gradient system.
        c = np.linalg.lstsq(np.array([[1, x, y, x * x, y * y, x * y] for x, y in grid]), np.array(errors), rcond=None)[0]
        step = np.linalg.solve(np.array([[2 * c[3], c[5]], [c[5], 2 * c[4]]]), -c[1:3])
        best = best + np.clip(step, -span, span)
    return float(best[0]), float(best[1])


def mirrored_spectrum(image: np.ndarray) -> np.ndarray:
    """Spectrum of an (H,W,3) image's mirrored extension to (2H,2W): periodic without a jump at the
    edges, so shifting it does not ring."""
    extended = np.concatenate([image, image[::-1]], 0)
    return np.fft.fft2(np.concatenate([extended, extended[:, ::-1]], 1), axes=(0, 1))


def shifted(spectrum: np.ndarray, dx: float, dy: float) -> np.ndarray:
    """The (H,W,3) image of a mirrored_spectrum, moved by (dx, dy) pixels (Fourier shift theorem)."""
    fy, fx = np.meshgrid(np.fft.fftfreq(spectrum.shape[0]), np.fft.fftfreq(spectrum.shape[1]), indexing='ij')
    phase = np.exp(-2j * np.pi * (fx * dx + fy * dy))[:, :, None]
    moved_extension = np.real(np.fft.ifft2(spectrum * phase, axes=(0, 1)))
    return moved_extension[: spectrum.shape[0] // 2, : spectrum.shape[1] // 2]


def moved(image: np.ndarray, dx: float, dy: float) -> np.ndarray:
    """(H,W,3) image moved by (dx, dy) pixels by the Fourier shift theorem: an interpolating filter
    (cubic, linear) would also blur it at fractional shifts, and blur alone raises these scores."""
    return shifted(mirrored_spectrum(image), dx, dy)


def channels_first(image: np.ndarray) -> torch.Tensor:
    """(H,W,3) array -> (3,H,W) tensor, as the metrics take them."""
    return torch.from_numpy(np.ascontiguousarray(image)).permute(2, 0, 1)


def domain_gap(model, root: str, device, code_centre_shift: float, a: float, b: float, step_dn: float,
               offset: float, seed: int = 0) -> dict:
    """Per sid-dev pair: PSNR / SSIM on the real and the re-synthesized frame, the input's row
    banding (std of its relative row profile) and, for comparison, its column banding, the
    correlation of the row profile with the output's, the PSNR after smooth row gains fitted to
    the reference, the output's shift against the reference, and the PSNR once aligned, then also
    blurred by FINE_DETAIL_SIGMA."""
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
        shown, wanted = real_shown.permute(1, 2, 0).numpy(), target.permute(1, 2, 0).numpy()
        dx, dy = alignment_shift(shown, wanted)
        aligned = moved(shown, -dx, -dy)
        results[name] = {
            'real': (psnr(real_shown, target), ssim(real_shown, target)),
            'simulated': (psnr(simulated_shown, target), ssim(simulated_shown, target)),
            'banding': float(input_bands.std()),
            'column_banding': float(relative_row_profile(raw.T, clean.T).std()),
            'band_correlation': float(np.corrcoef(input_bands[:rows], output_bands[:rows])[0, 1]),
            'row_gains_psnr': psnr(linear_to_bt709(row_gain_corrected(real_output, reference)), target),
            'shift': (dx, dy),
            'aligned_psnr': psnr(channels_first(aligned), target),
            'aligned_blurred_psnr': psnr(channels_first(cv2.GaussianBlur(aligned, (0, 0), FINE_DETAIL_SIGMA)), target),
        }
    return results
