import math

import torch

from tapetum_train.metrics import psnr, ssim


def test_psnr_of_a_constant_error():
    a = torch.full((3, 32, 32), 0.5, dtype=torch.float64)
    assert abs(psnr(a + 0.01, a) - 40.0) < 1e-6


def test_psnr_counts_the_border():
    # The anchor figures of ../shared/README.md are whole-image PSNR: an error in the first row only
    # gives MSE = 0.1^2 / 32 on a 32-row image, not a perfect score.
    a = torch.full((3, 32, 32), 0.5, dtype=torch.float64)
    b = a.clone()
    b[:, 0, :] += 0.1
    assert abs(psnr(b, a) - 10 * math.log10(32 / 0.01)) < 1e-9


def test_ssim_identity_and_constant_images():
    x = torch.rand(3, 40, 40)
    assert abs(ssim(x, x) - 1) < 1e-12
    # Constant images: SSIM = (2*mx*my + C1) / (mx^2 + my^2 + C1).
    c1 = 0.01 ** 2
    expected = (2 * 0.2 * 0.6 + c1) / (0.2 ** 2 + 0.6 ** 2 + c1)
    assert math.isclose(ssim(torch.full((3, 30, 30), 0.2, dtype=torch.float64), torch.full((3, 30, 30), 0.6, dtype=torch.float64)), expected, rel_tol=1e-9)
