"""Are real raws as sharp to the pixel as the training photos? The energy of an image's finest band
(what a Gaussian of sigma 1 px removes) over that of the band below it (sigma 1 to 3 px) of its
luminance: high for images sharp to the pixel, low for soft ones, whatever their contrast.

Compared on sid-dev's references (real long exposures of the SID camera) and on the clean training
photos, plain and through synthesis.optical_blur, to choose the lens blur the synthesis draws."""
import glob
import os

import cv2
import numpy as np
import torch

from .data import list_photos, load_photo
from .synthesis import optical_blur
from .validate import read_rgb16


def band_energy_ratio(luminance: np.ndarray) -> float:
    """Mean squared finest band over mean squared next band of a 2-D float image."""
    fine = cv2.GaussianBlur(luminance, (0, 0), 1.0)
    coarse = cv2.GaussianBlur(luminance, (0, 0), 3.0)
    return float(((luminance - fine) ** 2).mean() / ((fine - coarse) ** 2).mean())


def luminance(encoded_rgb: torch.Tensor) -> np.ndarray:
    """(3,H,W) encoded values -> their channel mean, float64 (H,W)."""
    return encoded_rgb.double().mean(0).numpy()


def sharpness_report(val_dir: str, photos_dir: str, photo_count: int, sigmas: list, seed: int = 0) -> dict:
    """band_energy_ratio of every sid-dev reference, and of `photo_count` photos drawn at random from
    `photos_dir`, plain and blurred by each of `sigmas` (px)."""
    references = {os.path.basename(p)[:-8]: band_energy_ratio(luminance(read_rgb16(p)))
                  for p in sorted(glob.glob(os.path.join(val_dir, '*.ref.png')))}
    paths = list_photos(photos_dir)
    chosen = np.random.default_rng(seed).choice(len(paths), min(photo_count, len(paths)), replace=False)
    photos = {sigma: [] for sigma in [0.0] + list(sigmas)}
    for index in chosen:
        rgb = torch.from_numpy(load_photo(paths[index])).permute(2, 0, 1).double() / 255.0
        for sigma in photos:
            blurred = optical_blur(rgb[None], torch.tensor([sigma]))[0] if sigma else rgb
            photos[sigma].append(band_energy_ratio(luminance(blurred)))
    return {'references': references, 'photos': photos}
