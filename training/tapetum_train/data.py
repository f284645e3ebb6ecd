"""Clean photos in memory and random training crops with CFA-safe augmentation.

Flips and 90-degree rotations are applied to the clean RGB crop before mosaicing, so every
augmented sample still has a correct RGGB phase.
"""
import glob
import os
from concurrent.futures import ThreadPoolExecutor

import cv2
import numpy as np
import torch


def list_photos(root: str) -> list:
    return sorted(p for p in glob.glob(os.path.join(root, '**', '*.jpg'), recursive=True))


def load_photo(path: str) -> np.ndarray:
    image = cv2.imread(path, cv2.IMREAD_COLOR)
    if image is None:
        raise ValueError(f'cannot read {path}')
    return np.ascontiguousarray(image[:, :, ::-1])


def load_photos(paths: list, min_side: int, device: torch.device) -> list:
    """uint8 tensors (3,H,W) on `device`, skipping photos smaller than a crop."""
    with ThreadPoolExecutor(8) as pool:
        images = list(pool.map(load_photo, paths))
    return [torch.from_numpy(im).permute(2, 0, 1).contiguous().to(device)
            for im in images if min(im.shape[:2]) >= min_side]


def random_crops(photos: list, batch: int, size: int) -> torch.Tensor:
    """(batch,3,size,size) float sRGB in [0,1], random photo, position, flip and rotation each."""
    crops = []
    for index in torch.randint(len(photos), (batch,)).tolist():
        photo = photos[index]
        _, h, w = photo.shape
        y = int(torch.randint(h - size + 1, ()))
        x = int(torch.randint(w - size + 1, ()))
        crop = photo[:, y:y + size, x:x + size]
        if torch.rand(()) < 0.5:
            crop = crop.flip(2)
        crop = torch.rot90(crop, int(torch.randint(4, ())), dims=(1, 2))
        crops.append(crop)
    return torch.stack(crops).float() / 255.0
