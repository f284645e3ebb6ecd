import numpy as np
import torch

from tapetum_train.dark_levels import channel_ratios, noisy_codes, reference_mosaic

# A made-up camera: any invertible XYZ -> camera matrix; GRBG layout, black 512, white 16383.
DNG = {
    'raw': np.zeros((6, 8), np.float32),
    'cfa': [1, 0, 2, 1],
    'black': 512.0,
    'white': 16383.0,
    'color_matrix': np.array([[0.9, -0.3, -0.1], [-0.4, 1.3, 0.1], [-0.05, 0.2, 0.6]]),
    'neutral': np.array([0.5, 1.0, 0.4]),
}


def test_a_grey_reference_becomes_the_cameras_raw_grey_on_its_cfa():
    grey = torch.full((3, 6, 8), 0.3)
    mosaic = reference_mosaic(grey, DNG, ratio=10.0)
    # Grey is (1,1,1) x 0.3 in white-balanced camera RGB; raw = that x neutral / neutral[G] / ratio.
    red, green, blue = 0.3 * 0.5 / 10, 0.3 / 10, 0.3 * 0.4 / 10
    assert np.allclose(mosaic[0::2, 0::2], green, rtol=1e-5)
    assert np.allclose(mosaic[0::2, 1::2], red, rtol=1e-5)
    assert np.allclose(mosaic[1::2, 0::2], blue, rtol=1e-5)
    assert np.allclose(mosaic[1::2, 1::2], green, rtol=1e-5)


def test_codes_round_on_the_adc_grid_and_clip_at_black():
    span = DNG['white'] - DNG['black']
    mosaic = np.array([[10.3, 13.9], [-7.0, 0.0]], np.float32) / span
    codes = noisy_codes(mosaic, DNG, a=1e-12, b=0.0, step_dn=4.0, offset=0.5, rng=np.random.default_rng(0))
    assert np.array_equal(codes, [[512 + 12, 512 + 12], [512, 512]])
    truncated = noisy_codes(mosaic, DNG, a=1e-12, b=0.0, step_dn=4.0, offset=0.0, rng=np.random.default_rng(0))
    assert np.array_equal(truncated, [[512 + 8, 512 + 12], [512, 512]])


def test_noise_has_the_models_variance():
    span = DNG['white'] - DNG['black']
    level, a, b = 0.02, 1e-4, 1.6e-7
    mosaic = np.full((400, 400), level, np.float32)
    codes = noisy_codes(mosaic, DNG, a, b, step_dn=1.0, offset=0.5, rng=np.random.default_rng(1))
    normalized = (codes - DNG['black']) / span
    # Far above black, so clipping does not bite; a 1-DN step adds 1/12 DN^2.
    expected = a * level + b + (1 / span) ** 2 / 12
    assert abs(normalized.var() / expected - 1) < 0.03
    assert abs(normalized.mean() - level) < 3e-5


def test_channel_ratios_are_reference_over_output():
    reference = torch.tensor([0.2, 0.1, 0.05]).view(3, 1, 1).expand(3, 4, 4)
    output = torch.tensor([0.1, 0.1, 0.1]).view(3, 1, 1).expand(3, 4, 4)
    assert np.allclose(channel_ratios(reference, output), [2.0, 1.0, 0.5])
