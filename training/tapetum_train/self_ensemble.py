"""Self-ensemble of a packed RGGB batch: the network run on the mosaic as it is and mirrored, each
output mirrored back and averaged (as src/pipeline/enhance/self-ensemble.ts does per window).
Training uses it as a teacher: the four-pass mean of the shipped weights on synthetic inputs."""
import torch
import torch.nn.functional as F

from .bayer import pack_mosaic, unpack_to_mosaic

# Mirrors (rows, columns) averaged for 1 or 4 passes, as src/pipeline/enhance/self-ensemble.ts.
MIRRORS = {1: [(False, False)], 4: [(False, False), (False, True), (True, False), (True, True)]}


def run_padded(model, x: torch.Tensor) -> torch.Tensor:
    """The model's output for packed x of any size: reflect-padded to the U-Net's multiple of 16,
    the padding's output cut off again."""
    h, w = x.shape[2:]
    padded = F.pad(x, (0, (-w) % 16, 0, (-h) % 16), mode='reflect')
    return model(padded)[:, :, : 2 * h, : 2 * w]


def mirrored_mean(model, x: torch.Tensor, passes: int = 4) -> torch.Tensor:
    """(B,3,2H,2W) mean of the model's outputs over `passes` mirrors of packed RGGB x (B,4,H,W).
    A mirror of an even-sized RGGB mosaic starts with the other phase; dropping its first and last
    line restores RGGB, so a mirrored member misses the outermost lines, which take the others' mean."""
    mosaic = unpack_to_mosaic(x)
    b, _, h, w = mosaic.shape
    total = x.new_zeros(b, 3, h, w)
    count = x.new_zeros(1, 1, h, w)
    for rows, cols in MIRRORS[passes]:
        dims = [d for d, mirrored in ((2, rows), (3, cols)) if mirrored]
        top, left = int(rows), int(cols)
        member = (mosaic.flip(dims) if dims else mosaic)[:, :, top:h - top, left:w - left]
        placed = x.new_zeros(b, 3, h, w)
        covered = x.new_zeros(1, 1, h, w)
        placed[:, :, top:h - top, left:w - left] = run_padded(model, pack_mosaic(member))
        covered[:, :, top:h - top, left:w - left] = 1
        total += placed.flip(dims) if dims else placed
        count += covered.flip(dims) if dims else covered
    return total / count
