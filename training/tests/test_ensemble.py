"""The self-ensemble maps each mirrored member back onto the pixels it came from."""
import numpy as np
import torch

from tapetum_train.bayer import unpack_to_mosaic
from tapetum_train.self_ensemble import MIRRORS, mirrored_mean
from tapetum_train.validate import PHASE_SHIFT, enhance_dng, enhance_dng_ensemble


class MosaicNetwork(torch.nn.Module):
    """Puts every packed sample back at its CFA site: output pixel (2y + a, 2x + b) = the
    channel of site (a, b) in all three colours (pixel_shuffle reads channel 4c + 2a + b). Any
    member mirrored or shifted wrongly returns a neighbouring sample instead."""

    def forward(self, x):
        return torch.nn.functional.pixel_shuffle(x[:, [0, 1, 3, 2] * 3], 2)


def test_every_member_lands_on_the_samples_it_came_from():
    rng = np.random.default_rng(3)
    for cfa in ([0, 1, 1, 2], [1, 0, 2, 1], [1, 2, 0, 1], [2, 1, 1, 0]):
        for h, w in ((24, 30), (25, 31)):
            # White-balance gains 2, 1, 0.5: a sample taken for the wrong colour gets the wrong gain.
            dng = {'raw': rng.uniform(0.05, 0.45, (h, w)).astype(np.float32), 'cfa': cfa, 'black': 0.0, 'white': 1.0,
                   'color_matrix': np.eye(3), 'neutral': np.array([0.5, 1.0, 2.0])}
            single = enhance_dng(MosaicNetwork(), dng, 1.0, 'cpu')
            oh, ow = single.shape[1:]
            dy, dx = PHASE_SHIFT[tuple(cfa)]
            for passes in MIRRORS:
                ensemble = enhance_dng_ensemble(MosaicNetwork(), dng, 1.0, 'cpu', passes=passes)
                # One pass is enhance_dng's own image; four cover the raw, the single pass its packed part.
                covered = ensemble if passes == 1 else ensemble[:, dy:dy + oh, dx:dx + ow]
                assert torch.allclose(covered, single, atol=1e-6), (cfa, h, w, passes)


def test_mirrored_mean_of_a_packed_batch_returns_every_sample_to_its_site():
    # Training's teacher: every member must put the mosaic back where it was, outermost lines included.
    # Per-channel gains 2, 1, 0.5, 1 inside the network: a member packed in the wrong phase scales a
    # sample by another channel's gain.
    gains = torch.tensor([2.0, 1.0, 0.5, 1.0]).view(1, 4, 1, 1)

    def network(x):
        return MosaicNetwork()(x * gains)
    x = torch.rand(2, 4, 12, 14)
    expected = unpack_to_mosaic(x * gains).expand(-1, 3, -1, -1)
    for passes in MIRRORS:
        assert torch.allclose(mirrored_mean(network, x, passes), expected, atol=1e-6), passes
