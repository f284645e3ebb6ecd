"""The ADC code convention shared by synthesis and the pipeline: the step found in the data and the
expected bias of the codes removed."""
import numpy as np
import torch

from tapetum_train.noise import adc_step_of_bits, add_sensor_noise
from tapetum_train.synthesis import SynthesisRanges, centre_codes, code_centre_shift
from tapetum_train.validate import code_step


def lattice_raw(step: int, black: int, seed: int = 0) -> np.ndarray:
    """Dark raw whose codes are `step` DN apart above black (fewer ADC bits than the container)."""
    rng = np.random.default_rng(seed)
    return black + step * np.floor(np.abs(rng.normal(0, 4, (64, 64))))


def test_code_step_finds_the_grid_of_the_codes_near_black():
    assert code_step(lattice_raw(4, 512), 512, 16383) == 4  # 12-bit codes in a 14-bit container
    assert code_step(lattice_raw(64, 4096), 4096, 65535) == 64  # 10-bit codes in a 16-bit container
    assert code_step(lattice_raw(1, 64), 64, 1023) == 1


def test_code_step_is_one_dn_when_too_few_codes_lie_near_black():
    raw = np.full((64, 64), 9000.0)
    raw[0, 0] = 512
    assert code_step(raw, 512, 16383) == 1


def test_centred_codes_are_unbiased_on_average_over_the_adc_prior():
    """Codes sit (0.5 - o) steps low for an ADC offset o; over the prior's offsets the shift removes
    that on average, so the network only has to be right on average over ADCs."""
    torch.manual_seed(3)
    ranges = SynthesisRanges()
    n, bits, level = 256, torch.full((256,), 8), 0.05
    offsets = torch.empty(n).uniform_(*ranges.adc_offset)
    codes = add_sensor_noise(torch.full((n, 4, 32, 32), level), a=torch.full((n, 3), 1e-5), b=torch.full((n, 3), 1e-4),
                             bits=bits, row_noise=torch.zeros(n), tukey=torch.zeros(n), adc_offset=offsets)
    step = adc_step_of_bits(bits)
    raw_bias = (codes.mean() - level) / step[0]
    centred_bias = (centre_codes(codes, step, code_centre_shift(ranges)).mean() - level) / step[0]
    assert abs(raw_bias.item() + code_centre_shift(ranges)) < 0.02
    assert abs(centred_bias.item()) < 0.02
