import torch

from tapetum_train.noise import add_sensor_noise, noise_variance, tukey_lambda_unit


def test_noise_statistics_match_the_variance_model():
    torch.manual_seed(0)
    levels = torch.tensor([0.0, 0.001, 0.01, 0.1]).view(1, 4, 1, 1).expand(1, 4, 256, 256).contiguous()
    a = torch.tensor([[2e-4, 1e-4, 3e-4]])
    b = torch.tensor([[1e-6, 5e-7, 2e-6]])
    noisy = add_sensor_noise(levels, a, b, bits=torch.tensor([16]), row_noise=torch.zeros(1), tukey=torch.zeros(1),
                             adc_offset=torch.tensor([0.5]))
    site = torch.tensor([0, 1, 2, 1])
    expected = noise_variance(levels[0, :, 0, 0], a[0, site], b[0, site])
    measured = noisy[0].var(dim=(1, 2))
    assert torch.allclose(measured, expected, rtol=0.05), (measured, expected)
    assert torch.allclose(noisy[0].mean(dim=(1, 2)), levels[0, :, 0, 0], atol=3e-4)


def test_heavy_tailed_read_noise_has_unit_variance():
    torch.manual_seed(1)
    for lam in (-0.15, -0.05, 0.05):
        x = tukey_lambda_unit((400000,), torch.tensor(lam), 'cpu')
        assert abs(x.var().item() - 1) < 0.05


def test_quantization_steps_follow_the_bit_depth():
    torch.manual_seed(2)
    clean = torch.full((1, 4, 64, 64), 0.3)
    noisy = add_sensor_noise(clean, torch.full((1, 3), 1e-4), torch.full((1, 3), 1e-6), bits=torch.tensor([10]),
                             row_noise=torch.zeros(1), tukey=torch.zeros(1),
                             adc_offset=torch.tensor([0.5]))
    steps = torch.unique(noisy).diff()
    assert torch.allclose(steps, torch.full_like(steps, 1 / 1023), rtol=1e-3)


def test_row_noise_is_shared_along_a_row():
    torch.manual_seed(3)
    clean = torch.zeros((1, 4, 64, 512))
    noisy = add_sensor_noise(clean, torch.full((1, 3), 1e-9), torch.full((1, 3), 1e-6), bits=torch.tensor([16]),
                             row_noise=torch.tensor([2.0]), tukey=torch.zeros(1),
                             adc_offset=torch.tensor([0.5]))
    row_means = noisy[0, 0].mean(1)
    # Per-pixel read std 1e-3 averages to ~4e-5 over 512 pixels; row noise of 2x read std dominates.
    assert row_means.std() > 1e-3
    assert torch.allclose(noisy[0, 0].mean(1), noisy[0, 1].mean(1), atol=3e-4)  # R and G1 share mosaic rows


def test_truncating_adc_sits_half_a_step_low_on_a_grid_from_black():
    torch.manual_seed(4)
    clean = torch.full((1, 4, 128, 128), 0.01)
    args = dict(a=torch.full((1, 3), 1e-5), b=torch.full((1, 3), 1e-6), bits=torch.tensor([8]),
                row_noise=torch.zeros(1), tukey=torch.zeros(1))
    rounded = add_sensor_noise(clean, adc_offset=torch.tensor([0.5]), **args)
    truncated = add_sensor_noise(clean, adc_offset=torch.tensor([0.0]), **args)
    step = 1 / 255
    codes = truncated / step
    assert torch.allclose(codes, codes.round(), atol=1e-3)  # every value is a whole code above black
    assert abs(rounded.mean().item() - 0.01) < 0.03 * step
    assert abs(truncated.mean().item() - (0.01 - step / 2)) < 0.03 * step
