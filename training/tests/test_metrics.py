import json
import math
import os
import shutil
import subprocess

import pytest
import torch

from conftest import SHARED
from tapetum_train.colour import linear_to_bt709, srgb_to_linear
from tapetum_train.metrics import psnr, ssim
from tapetum_train.validate import read_reference, read_rgb16


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


PROFILE = os.path.join(SHARED, '..', 'tools', 'rawtherapee-tuned-nr.pp3')


@pytest.mark.skipif(shutil.which('rawtherapee-cli') is None or not os.path.exists(PROFILE),
                    reason='needs Debian rawtherapee-cli and ../shared (tools and sid-dev)')
def test_rawtherapee_anchor_of_the_shared_readme_is_reproduced(tmp_path):
    # ../shared/README.md: RawTherapee tuned scores 34.42 dB on 00004_14; develop it the way the
    # profile says and score it with our metric: the protocol and our reading of it must agree.
    root = os.path.join(SHARED, 'sid-dev')
    ratio = json.load(open(os.path.join(root, '00004_14.json')))['ratio']
    exposure = tmp_path / 'ev.pp3'
    exposure.write_text(f'[Exposure]\nCompensation={math.log2(ratio)}\n')
    developed = tmp_path / 'rt.tif'
    subprocess.run(['rawtherapee-cli', '-q', '-o', str(developed), '-p', PROFILE, '-p', str(exposure),
                    '-t', '-b16', '-Y', '-c', os.path.join(root, '00004_14.dng')],
                   check=True, capture_output=True, timeout=300)
    ours = srgb_to_linear(read_rgb16(str(developed)))
    reference = read_reference(os.path.join(root, '00004_14.ref.png'))
    assert abs(psnr(linear_to_bt709(ours), linear_to_bt709(reference)) - 34.42) < 0.01
