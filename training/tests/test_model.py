import json
import os

import torch

from tapetum_train.model import UNet, UNetConfig, count_macs, count_parameters, depth_to_space, macs_per_output_megapixel

CONFIGS = os.path.join(os.path.dirname(__file__), '..', 'configs')


def hooked_macs(model, x):
    total = []

    def hook(module, inputs, output):
        k = module.kernel_size[0] * module.kernel_size[1]
        total.append(output.numel() // output.shape[0] * module.in_channels * k)

    handles = [m.register_forward_hook(hook) for m in model.modules() if isinstance(m, torch.nn.Conv2d)]
    model(x)
    for h in handles:
        h.remove()
    return sum(total)


def test_output_shape_is_full_resolution_rgb():
    model = UNet(UNetConfig())
    assert model(torch.zeros(2, 4, 48, 32)).shape == (2, 3, 96, 64)


def test_counted_macs_equal_the_convolutions_actually_run():
    for widths in ([8, 16, 32, 64, 128], [16, 32, 64, 128, 256]):
        config = UNetConfig(widths=widths)
        assert count_macs(config, 64, 48) == hooked_macs(UNet(config), torch.zeros(1, 4, 64, 48))


def test_shipped_tiers_fit_their_budgets():
    for tier, gmac, params in (('fast', 3.0, 1.5e6), ('quality', 12.0, None)):
        config = UNetConfig(widths=json.load(open(os.path.join(CONFIGS, f'{tier}.json')))['widths'])
        assert macs_per_output_megapixel(config) <= gmac
        if params:
            assert count_parameters(UNet(config)) <= params


def test_depth_to_space_uses_tensorflow_channel_order():
    # TF DCR: output (2y+i, 2x+j, c) = input (y, x, (i*2+j)*C + c).
    c = 3
    x = torch.arange(4 * c, dtype=torch.float32).view(1, 4 * c, 1, 1)
    out = depth_to_space(x)
    for i in range(2):
        for j in range(2):
            for ch in range(c):
                assert out[0, ch, i, j] == (i * 2 + j) * c + ch
