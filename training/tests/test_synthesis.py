import json
import os

import pytest
import torch

from conftest import SHARED
from tapetum_train.bayer import mosaic_rggb, unpack_to_mosaic
from tapetum_train.colour import (apply_matrix, camera_to_srgb_matrix, linear_to_srgb, srgb_to_camera_matrix,
                                  srgb_to_linear)
from tapetum_train.synthesis import SynthesisRanges, form_network_input, unprocess

# XYZ->camera of a real camera (Sony ILCE-7SM2 as in the sid-dev DNGs, D65).
SONY = torch.tensor([[0.5838, -0.1430, -0.0246], [-0.3497, 1.1477, 0.2297], [-0.0748, 0.1885, 0.5778]])


def test_srgb_curve_round_trip_and_known_values():
    x = torch.linspace(0, 1, 1001)
    assert torch.allclose(linear_to_srgb(srgb_to_linear(x)), x, atol=1e-5)
    # IEC 61966-2-1: 0.5 encoded is 0.21404 linear; the linear segment ends at 0.04045 -> 0.0031308.
    assert abs(srgb_to_linear(torch.tensor(0.5)).item() - 0.214041) < 1e-5
    assert abs(srgb_to_linear(torch.tensor(0.04045)).item() - 0.0031308) < 1e-6


def test_white_stays_white_in_white_balanced_camera_space():
    m = srgb_to_camera_matrix(SONY)
    assert torch.allclose(m @ torch.ones(3), torch.ones(3), atol=1e-6)


def test_unprocess_then_process_is_identity():
    torch.manual_seed(0)
    srgb = torch.rand(2, 3, 8, 8) * 0.8 + 0.1
    camera = unprocess(srgb, SONY.expand(2, 3, 3), torch.ones(2))
    back = linear_to_srgb(apply_matrix(camera_to_srgb_matrix(SONY), camera).clamp(0, 1))
    # In-gamut colours come back; a few saturated ones clip in camera space.
    assert (back - srgb).abs().median() < 1e-4


def test_scene_floor_lifts_black_to_a_neutral_level_and_keeps_white():
    srgb = torch.zeros(2, 3, 4, 4)
    srgb[:, :, :, 2:] = 1.0
    exposure = torch.tensor([1.0, 0.25])
    camera = unprocess(srgb, SONY.expand(2, 3, 3), exposure, floor=torch.tensor([0.02, 0.01]))
    # Black becomes floor x exposure in every channel (neutral in white-balanced camera space), white stays exposure.
    assert torch.allclose(camera[:, :, :, :2], torch.tensor([0.02, 0.0025]).view(2, 1, 1, 1).expand(2, 3, 4, 2), atol=1e-6)
    assert torch.allclose(camera[:, :, :, 2:], exposure.view(2, 1, 1, 1).expand(2, 3, 4, 2), atol=1e-6)


def test_scene_coloured_floor_has_the_scene_mean_colour_at_the_floor_level():
    srgb = torch.zeros(1, 3, 4, 4)
    srgb[0, :, :, 2:] = torch.tensor([0.9, 0.5, 0.2]).view(3, 1, 1)
    linear_mean = srgb_to_linear(srgb).mean((2, 3))[0]
    tint = linear_mean / linear_mean.mean()
    camera = unprocess(srgb, SONY.expand(1, 3, 3), torch.ones(1), floor=torch.tensor([0.02]), floor_colour='scene')
    expected = srgb_to_camera_matrix(SONY) @ (0.02 * tint)
    assert torch.allclose(camera[0, :, 0, 0], expected, atol=1e-6)


def test_mosaic_and_unpack_are_inverse_on_the_sampled_sites():
    rgb = torch.rand(1, 3, 6, 8)
    mosaic = unpack_to_mosaic(mosaic_rggb(rgb))[0, 0]
    assert torch.equal(mosaic[0::2, 0::2], rgb[0, 0, 0::2, 0::2])  # R
    assert torch.equal(mosaic[0::2, 1::2], rgb[0, 1, 0::2, 1::2])  # G on red rows
    assert torch.equal(mosaic[1::2, 0::2], rgb[0, 1, 1::2, 0::2])  # G on blue rows
    assert torch.equal(mosaic[1::2, 1::2], rgb[0, 2, 1::2, 1::2])  # B


def test_network_input_clips_then_applies_gains():
    raw = torch.tensor([0.5, -0.1, 0.02, 0.001]).view(1, 4, 1, 1)
    x = form_network_input(raw, torch.tensor([10.0]), torch.tensor([[2.0, 1.0, 2.5, 1.0]]))
    assert torch.allclose(x.flatten(), torch.tensor([2.0, 0.0, 0.5, 0.01]))


@pytest.mark.skipif(not os.path.exists(os.path.join(SHARED, 'sid-dev')), reason='../shared/data/sid-dev absent')
def test_python_reader_agrees_with_the_json_neutral():
    from tapetum_train.dng import read_cfa_dng
    dng = read_cfa_dng(os.path.join(SHARED, 'sid-dev', '00004_14.dng'))
    meta = json.load(open(os.path.join(SHARED, 'sid-dev', '00004_14.json')))
    assert dng['cfa'] == [0, 1, 1, 2] and dng['black'] == 512 and dng['white'] == 16383
    assert torch.allclose(torch.tensor(dng['neutral']), torch.tensor(meta['neutral'], dtype=torch.float64), atol=1e-4)


def test_synthesis_ranges_refuse_what_a_config_typo_would_give():
    assert SynthesisRanges(floor=(0.0, 0.02), floor_colour='scene').floor_colour == 'scene'
    with pytest.raises(ValueError, match='floor_colour'):
        SynthesisRanges(floor_colour='sceen')
    with pytest.raises(ValueError, match='synthesis.ratio'):
        SynthesisRanges(ratio=(300.0, 10.0))
    with pytest.raises(ValueError, match='synthesis.bits'):
        SynthesisRanges(bits=(12,))
