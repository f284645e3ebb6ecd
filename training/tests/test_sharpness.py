import math

import numpy as np
import torch

from tapetum_train.sharpness import band_energy_ratio
from tapetum_train.synthesis import optical_blur


def cosine(period: float, size: int = 65) -> np.ndarray:
    """Vertical stripes cos(2 pi x / period), symmetric at both edges (size - 1 a multiple of period / 2)."""
    x = np.arange(size)
    return np.tile(np.cos(2 * np.pi * x / period), (size, 1))


def test_band_ratio_of_a_cosine_follows_the_gaussian_transfer_function():
    # A Gaussian of std s passes a cosine of period P at exp(-2 pi^2 s^2 / P^2).
    for period in (8.0, 16.0):
        passed = {s: math.exp(-2 * math.pi ** 2 * s ** 2 / period ** 2) for s in (1.0, 3.0)}
        expected = (1 - passed[1.0]) ** 2 / (passed[1.0] - passed[3.0]) ** 2
        assert abs(band_energy_ratio(cosine(period)) / expected - 1) < 0.02


def test_lens_blur_lowers_the_band_ratio_of_a_sharp_image():
    rng = np.random.default_rng(1)
    sharp = rng.random((3, 96, 96))
    ratios = [band_energy_ratio(optical_blur(torch.from_numpy(sharp)[None], torch.tensor([s]))[0].mean(0).numpy())
              for s in (0.0, 0.5, 1.0)]
    assert ratios[0] > ratios[1] > ratios[2]
