import numpy as np
import torch

from tapetum_train.domain_gap import alignment_shift, moved, relative_row_profile, row_gain_corrected, smooth_rows
from tapetum_train.metrics import psnr


def bands(rows: int) -> np.ndarray:
    """A flicker-like row gain: slow bands of tens of rows, +-10 %."""
    y = np.arange(rows)
    return 1 + 0.1 * np.sin(2 * np.pi * y / 90) * np.cos(2 * np.pi * y / 230)


def textured_scene(rows: int, cols: int) -> np.ndarray:
    rng = np.random.default_rng(4)
    return 0.05 + 0.2 * rng.random((rows, cols))


def test_smoothing_keeps_a_constant_and_a_slow_ramp_but_flattens_single_rows():
    assert np.allclose(smooth_rows(np.full(64, 0.3)), 0.3)
    ramp = np.linspace(0, 1, 400)
    assert np.abs(smooth_rows(ramp) - ramp)[40:-40].max() < 1e-6
    alternating = np.tile([1.0, -1.0], 100)
    assert np.abs(smooth_rows(alternating)).max() < 0.01


def test_relative_profile_recovers_row_bands_whatever_the_scene():
    scene = textured_scene(512, 300)
    banded = scene * bands(512)[:, None]
    profile = relative_row_profile(banded, scene)
    expected = smooth_rows(bands(512)) / smooth_rows(bands(512)).mean()
    assert np.abs(profile - expected).max() < 0.01
    assert expected.std() > 0.03 and abs(profile.std() - expected.std()) < 0.002
    # The same scene without bands, brighter as a whole: no banding left.
    assert relative_row_profile(1.7 * scene, scene).std() < 1e-9


def test_fitted_row_gains_undo_bands_and_a_global_gain():
    torch.manual_seed(5)
    reference = 0.05 + 0.3 * torch.rand(3, 256, 200)
    output = reference * torch.from_numpy(bands(256)).float().view(1, -1, 1) * 0.9
    corrected = row_gain_corrected(output, reference)
    assert psnr(output, reference) < 35
    assert psnr(corrected, reference) > 50


def test_alignment_finds_a_known_sub_pixel_shift_and_moving_back_undoes_it():
    # A periodic texture (noise blurred in the Fourier domain), shifted exactly by the Fourier shift
    # theorem on the whole period (moved works on a mirrored extension instead).
    fy, fx = np.meshgrid(np.fft.fftfreq(128), np.fft.fftfreq(128), indexing='ij')
    noise = np.fft.fft2(np.random.default_rng(6).random((128, 128, 3)), axes=(0, 1))
    blur = np.exp(-2 * np.pi ** 2 * 1.5 ** 2 * (fx ** 2 + fy ** 2))[:, :, None]
    reference = np.real(np.fft.ifft2(noise * blur, axes=(0, 1)))
    phase = np.exp(-2j * np.pi * (fx * 0.3 + fy * -0.45))[:, :, None]
    image = np.real(np.fft.ifft2(noise * blur * phase, axes=(0, 1)))
    dx, dy = alignment_shift(image, reference)
    assert abs(dx - 0.3) < 0.01 and abs(dy + 0.45) < 0.01
    inner = (slice(8, -8), slice(8, -8))
    assert np.abs(moved(image, -dx, -dy) - reference)[inner].max() < 0.1 * np.abs(image - reference)[inner].max()
