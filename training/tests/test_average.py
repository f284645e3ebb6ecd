import pytest
import torch

from tapetum_train.average import average_checkpoints, uniform_soup
from tapetum_train.model import UNet, UNetConfig


def checkpoint(widths, seed):
    torch.manual_seed(seed)
    return {'model': UNet(UNetConfig(widths=widths)).state_dict(), 'state': {'step': seed, 'elapsed': 1.0},
            'config': {'tier': 'fast', 'widths': widths}}


def test_average_is_the_weighted_mean_of_every_tensor():
    a, b = checkpoint([4, 8], 1), checkpoint([4, 8], 2)
    mixed = average_checkpoints(a, b, 0.25)
    for name, tensor in mixed['model'].items():
        assert torch.allclose(tensor, 0.75 * a['model'][name] + 0.25 * b['model'][name])
    assert mixed['state']['averaged'] == {'weight_second': 0.25, 'steps': [1, 2]}
    UNet(UNetConfig(widths=[4, 8])).load_state_dict(mixed['model'])  # still a loadable model


def test_different_architectures_are_refused():
    with pytest.raises(ValueError):
        average_checkpoints(checkpoint([4, 8], 1), checkpoint([8, 16], 2))


def test_uniform_soup_weighs_every_snapshot_equally():
    snapshots = [checkpoint([4, 8], seed) for seed in (1, 2, 3, 4)]
    soup = uniform_soup(snapshots)
    for name, tensor in soup['model'].items():
        if tensor.is_floating_point():
            expected = sum(s['model'][name] for s in snapshots) / 4
            assert torch.allclose(tensor, expected, atol=1e-6)
    assert soup['state']['averaged'] == {'members': 4, 'steps': [1, 2, 3, 4]}
    assert soup['state']['step'] == 4
