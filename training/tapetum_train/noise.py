"""Physically modelled sensor noise in normalized raw units (0 = black, 1 = white level).

Variance model as in darktable's profiles: var = a*x + b, `a` the shot-noise gain (Poisson
electrons scaled back to normalized units), `b` the read-noise variance.
Randomness comes from torch's global generators (seeded once by the caller) so that the
per-pixel draws happen on the device that holds the batch.
"""
import json
import math
from dataclasses import dataclass

import torch

# Packed channel -> colour: R, G1, B, G2.
SITE_COLOUR = [0, 1, 2, 1]


@dataclass
class NoiseProfileBank:
    """Measured (a, b) per camera and ISO, per colour channel R, G, B: tensors (N, 3)."""
    a: torch.Tensor
    b: torch.Tensor

    @staticmethod
    def load(path: str, min_iso: int = 800) -> 'NoiseProfileBank':
        rows_a, rows_b = [], []
        for maker in json.load(open(path))['noiseprofiles']:
            for model in maker['models']:
                for p in model['profiles']:
                    if p['iso'] >= min_iso and min(p['b']) > 0 and min(p['a']) > 0:
                        rows_a.append(p['a'])
                        rows_b.append(p['b'])
        return NoiseProfileBank(torch.tensor(rows_a), torch.tensor(rows_b))

    def sample(self, n: int, max_gain_boost: float = 4.0, read_electrons: tuple = (0.5, 8.0),
               read_electrons_probability: float = 0.5):
        """n (a, b) pairs, (n, 3) each.

        The shot term comes from a measured profile, pushed up to max_gain_boost past its ISO (a*k).
        The read term is either the profile's (b*k^2: constant input-referred read noise), or, with
        read_electrons_probability, drawn as a read noise of r electrons (b = (r*a)^2, r log-uniform):
        the profiles' read variances include pattern noise and skew high, while modern sensors read
        out at 1-3 electrons (the real sid-dev dark frames show about 3).
        """
        idx = torch.randint(len(self.a), (n,))
        k = torch.exp(torch.rand(n, 1) * math.log(max_gain_boost))
        a = self.a[idx] * k
        electrons = torch.exp(torch.empty(n, 1).uniform_(math.log(read_electrons[0]), math.log(read_electrons[1])))
        from_electrons = torch.rand(n, 1) < read_electrons_probability
        b = torch.where(from_electrons, (electrons * a.mean(1, keepdim=True)) ** 2, self.b[idx] * k * k)
        return a, b


def tukey_lambda_unit(shape, lam: torch.Tensor, device) -> torch.Tensor:
    """Unit-variance Tukey-lambda samples; lam (broadcastable, |lam| >= 0.01) < 0 gives heavy tails."""
    u = torch.rand(shape, device=device).clamp(1e-6, 1 - 1e-6)
    x = (u ** lam - (1 - u) ** lam) / lam
    var = 2 / lam ** 2 * (1 / (1 + 2 * lam) - torch.exp(2 * torch.lgamma(lam + 1) - torch.lgamma(2 * lam + 2)))
    return x / var.sqrt()


def noise_variance(x: torch.Tensor, a4: torch.Tensor, b4: torch.Tensor) -> torch.Tensor:
    """The model's variance at clean value x (what the tests check the samples against)."""
    return a4 * x.clamp_min(0) + b4


def adc_step_of_bits(bits: torch.Tensor) -> torch.Tensor:
    """The ADC step of `bits`-bit codes in normalized units, (B,) -> (B,)."""
    return 1.0 / (2.0 ** bits.float() - 1)


def add_sensor_noise(packed: torch.Tensor, a: torch.Tensor, b: torch.Tensor, bits: torch.Tensor,
                     row_noise: torch.Tensor, tukey: torch.Tensor, adc_offset: torch.Tensor) -> torch.Tensor:
    """Noisy, quantized version of clean normalized packed raw (B,4,H,W).

    a, b: (B,3) per R,G,B. bits: (B,) ADC depth. row_noise: (B,) row-noise std relative to the
    read-noise std. tukey: (B,) read-noise shape (0 = Gaussian, < 0 heavier tails).
    adc_offset: (B,) where the code boundaries sit, in steps: code k stands for [k - o, k + 1 - o)
    steps above black, so codes lie (0.5 - o) steps below the signal on average (o = 0 truncates,
    0.5 rounds). The code grid starts at black, as on real sensors. Values below 0 are kept (a black
    pedestal lets them exist); clipping happens when the network input is formed, as on the real
    pipeline.
    """
    dev = packed.device
    bsz = packed.shape[0]
    a4 = a.to(dev)[:, SITE_COLOUR].view(bsz, 4, 1, 1)
    b4 = b.to(dev)[:, SITE_COLOUR].view(bsz, 4, 1, 1)
    shot = torch.poisson(packed.clamp_min(0) / a4) * a4
    read_std = b4.sqrt()
    lam = tukey.to(dev).view(bsz, 1, 1, 1)
    heavy = tukey_lambda_unit(packed.shape, torch.where(lam.abs() < 0.01, torch.full_like(lam, -0.01), lam), dev)
    read = torch.where(lam == 0, torch.randn_like(packed), heavy) * read_std
    # One offset per mosaic row: packed channels 0,1 lie on even rows, 2,3 on odd rows.
    rows = torch.randn((bsz, 2, packed.shape[2], 1), device=dev)[:, [0, 0, 1, 1]]
    rows = rows * row_noise.to(dev).view(bsz, 1, 1, 1) * read_std.mean(1, keepdim=True)
    step = adc_step_of_bits(bits.to(dev)).view(bsz, 1, 1, 1)
    offset = adc_offset.to(dev).float().view(bsz, 1, 1, 1)
    return torch.floor((shot + read + rows) / step + offset) * step
