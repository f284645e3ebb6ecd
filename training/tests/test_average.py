import pytest
import torch

from tapetum_train.average import average_checkpoints
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
