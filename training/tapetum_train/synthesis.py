"""Synthetic low-light raw pairs from clean sRGB photos (unprocess, mosaic, darken, add noise).

Conventions (the same as src/pipeline):
- target: white-balanced linear camera RGB of the clean scene, (B,3,2H,2W), in [0,1];
- input: clip(centred_raw * ratio, 0, 1) * white-balance gains, packed R,G1,B,G2, (B,4,H,W),
  where centred_raw = noisy codes + code_centre_shift(ranges) ADC steps (see centre_codes).
The network therefore never sees one camera's colour: white balance and the camera matrix are
applied by the pipeline from the DNG's own tags.
"""
import math
from dataclasses import dataclass

import torch

from .bayer import mosaic_rggb
from .colour import apply_matrix, srgb_to_camera_matrix, srgb_to_linear
from .noise import NoiseProfileBank, adc_step_of_bits, add_sensor_noise


@dataclass
class SynthesisRanges:
    ratio: tuple = (10.0, 300.0)  # log-uniform darkening / amplification
    exposure: tuple = (0.1, 1.3)  # log-uniform brightness of the clean scene
    floor: tuple = (0.0, 0.0)  # uniform ambient light under the scene's shadows (linear, see unprocess)
    floor_colour: str = 'grey'  # 'grey', or 'scene': the floor has the scene's mean colour
    red_gain: tuple = (1.4, 2.8)
    blue_gain: tuple = (1.3, 2.8)
    bits: tuple = (10, 14)
    adc_offset: tuple = (0.0, 0.5)  # uniform: from truncating (0) to rounding (0.5) ADCs, see noise.py
    row_noise: tuple = (0.0, 0.3)
    tukey_probability: float = 0.5
    tukey: tuple = (-0.15, -0.01)
    max_gain_boost: float = 4.0
    read_electrons: tuple = (0.5, 8.0)
    read_electrons_probability: float = 0.5

    def __post_init__(self):
        # A config typo must stop a run before it trains for an hour on the wrong data.
        if self.floor_colour not in ('grey', 'scene'):
            raise ValueError(f"synthesis.floor_colour must be 'grey' or 'scene', not {self.floor_colour!r}")
        for name, value in vars(self).items():
            if isinstance(value, (tuple, list)) and (len(value) != 2 or value[0] > value[1]):
                raise ValueError(f'synthesis.{name} must be a range [low, high], not {value!r}')


def log_uniform(n: int, low: float, high: float) -> torch.Tensor:
    return torch.exp(torch.empty(n).uniform_(math.log(low), math.log(high)))


def random_camera_matrices(n: int, xyz_to_camera: torch.Tensor) -> torch.Tensor:
    """Convex mixes of two real cameras' XYZ->camera matrices (n,3,3), to cover sensors between them."""
    i = torch.randint(len(xyz_to_camera), (n,))
    j = torch.randint(len(xyz_to_camera), (n,))
    t = torch.rand(n, 1, 1)
    return t * xyz_to_camera[i] + (1 - t) * xyz_to_camera[j]


def unprocess(srgb: torch.Tensor, xyz_to_camera: torch.Tensor, exposure: torch.Tensor,
              floor: torch.Tensor | None = None, floor_colour: str = 'grey') -> torch.Tensor:
    """sRGB (B,3,H,W) in [0,1] -> white-balanced linear camera RGB, clipped to [0,1].

    `floor` (B,) lifts the scene's blacks to that linear level before the exposure: clean photos
    have true-black shadows, dark real scenes mostly have dim light there, and a network that only
    saw the former learns that a channel clipped at black is black. A grey floor also teaches it
    that shadows are grey; with `floor_colour` 'scene' the floor has the scene's mean colour (light
    bounced off the scene itself), at the same mean level."""
    linear = srgb_to_linear(srgb)
    if floor is not None:
        f = floor.view(-1, 1, 1, 1).to(srgb)
        if floor_colour == 'scene':
            mean = linear.mean((2, 3), keepdim=True)
            f = f * mean / mean.mean(1, keepdim=True).clamp_min(1e-6)
        linear = f + (1 - f) * linear
    linear = linear * exposure.view(-1, 1, 1, 1).to(srgb)
    m = srgb_to_camera_matrix(xyz_to_camera.to(srgb))
    return apply_matrix(m, linear).clamp(0, 1)


def synthesize_batch(srgb: torch.Tensor, cameras: torch.Tensor, noise_bank: NoiseProfileBank,
                     ranges: SynthesisRanges = SynthesisRanges()):
    """(input (B,4,H,W), target (B,3,2H,2W), ratio (B,)) from clean sRGB crops (B,3,2H,2W)."""
    n, dev = srgb.shape[0], srgb.device
    floor = torch.empty(n).uniform_(*ranges.floor) if ranges.floor[1] > 0 else None
    target = unprocess(srgb, random_camera_matrices(n, cameras), log_uniform(n, *ranges.exposure), floor,
                       ranges.floor_colour)
    gains = torch.stack([torch.empty(n).uniform_(*ranges.red_gain), torch.ones(n),
                         torch.empty(n).uniform_(*ranges.blue_gain), torch.ones(n)], dim=1).to(dev)
    ratio = log_uniform(n, *ranges.ratio).to(dev)
    raw = mosaic_rggb(target) / gains.view(n, 4, 1, 1)
    a, b = noise_bank.sample(n, ranges.max_gain_boost, ranges.read_electrons, ranges.read_electrons_probability)
    bits = torch.randint(ranges.bits[0], ranges.bits[1] + 1, (n,))
    row = torch.empty(n).uniform_(*ranges.row_noise)
    tukey = torch.where(torch.rand(n) < ranges.tukey_probability,
                        torch.empty(n).uniform_(*ranges.tukey), torch.zeros(n))
    offset = torch.empty(n).uniform_(*ranges.adc_offset)
    dark = add_sensor_noise(raw / ratio.view(n, 1, 1, 1), a, b, bits, row, tukey, offset)
    dark = centre_codes(dark, adc_step_of_bits(bits).to(dev), code_centre_shift(ranges))
    network_input = form_network_input(dark, ratio, gains)
    return network_input, target, ratio


def code_centre_shift(ranges: SynthesisRanges) -> float:
    """How many ADC steps the pipeline adds to raw codes: their expected bias under the offset prior.

    Codes sit (0.5 - o) steps below the signal (noise.py). The network cannot tell o, nor the step
    once the ratio has scaled it, and a bias of one 12-bit step amplified 30x is a visible shadow
    shift; so the pipeline, which knows the step from the data, removes the expected bias and
    the network only has to be right on average over ADCs."""
    return 0.5 - sum(ranges.adc_offset) / 2


def centre_codes(normalized_raw: torch.Tensor, step: torch.Tensor, shift: float) -> torch.Tensor:
    """Raw codes moved `shift` steps up (step (B,) in normalized units), as the pipeline does."""
    return normalized_raw + shift * step.view(-1, 1, 1, 1)


def form_network_input(normalized_raw: torch.Tensor, ratio: torch.Tensor, gains: torch.Tensor) -> torch.Tensor:
    """The pipeline's input contract: clip(raw * ratio, 0, 1) * white-balance gains (packed R,G1,B,G2)."""
    n = normalized_raw.shape[0]
    amplified = (normalized_raw * ratio.view(n, 1, 1, 1)).clamp(0, 1)
    return amplified * gains.view(n, 4, 1, 1)
