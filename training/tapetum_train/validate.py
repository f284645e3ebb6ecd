"""Score a model on real dark/bright pairs (sid-dev protocol) with the pipeline's conventions."""
import glob
import json
import os

import cv2
import numpy as np
import torch

from .colour import apply_matrix, bt709_to_linear, camera_to_srgb_matrix, linear_to_bt709
from .dng import read_cfa_dng
from .metrics import chroma_ratio, psnr, ssim
from .self_ensemble import MIRRORS, run_padded
from .synthesis import form_network_input

# Offsets of the canonical RGGB origin inside a 2x2 CFA pattern (R G / G B after the shift).
PHASE_SHIFT = {(0, 1, 1, 2): (0, 0), (1, 0, 2, 1): (0, 1), (1, 2, 0, 1): (1, 0), (2, 1, 1, 0): (1, 1)}


def code_step(raw: np.ndarray, black: float, white: float) -> float:
    """The raw data's ADC step in DN (src/pipeline/dng/code-step.ts): the upper median gap between
    the codes of one site per 2x2 (rows of sites spaced to read at most 256) used in the darkest 1/64
    of the range (12-bit data stored as 14-bit gives 4; dense data 1; 1 when fewer than 4 codes lie
    there)."""
    row_stride = -(-(raw.shape[0] // 2) // 256)
    offsets = np.round(raw[::2, ::2][::row_stride] - black)
    codes = np.unique(offsets[(offsets >= 0) & (offsets <= np.ceil((white - black) / 64))])
    return float(np.sort(np.diff(codes))[(len(codes) - 1) // 2]) if len(codes) >= 4 else 1.0


def pack_dng(dng: dict, code_centre_shift: float = 0.0) -> torch.Tensor:
    """(1,4,H/2,W/2) normalized raw, R,G1,B,G2, whatever the CFA phase (shifted to RGGB), with the
    codes moved up by `code_centre_shift` ADC steps (synthesis.code_centre_shift)."""
    dy, dx = PHASE_SHIFT[tuple(dng['cfa'])]
    shift = code_centre_shift * code_step(dng['raw'], dng['black'], dng['white'])
    raw = (dng['raw'] - dng['black'] + shift) / (dng['white'] - dng['black'])
    raw = raw[dy:, dx:]
    h, w = raw.shape[0] // 2 * 2, raw.shape[1] // 2 * 2
    raw = torch.from_numpy(np.ascontiguousarray(raw[:h, :w]))
    return torch.stack([raw[0::2, 0::2], raw[0::2, 1::2], raw[1::2, 1::2], raw[1::2, 0::2]]).unsqueeze(0)


def enhance_dng(model, dng: dict, ratio: float, device, code_centre_shift: float = 0.0) -> torch.Tensor:
    """Linear sRGB (3,H,W) in [0,1] of a DNG enhanced by the model."""
    packed = pack_dng(dng, code_centre_shift)
    neutral = torch.tensor(dng['neutral'], dtype=torch.float32)
    gains = (neutral[1] / neutral)[[0, 1, 2, 1]].unsqueeze(0)
    x = form_network_input(packed, torch.tensor([ratio]), gains).to(device)
    with torch.no_grad():
        out = run_padded(model, x)[0].float().cpu()
    m = camera_to_srgb_matrix(torch.tensor(dng['color_matrix'], dtype=torch.float32))
    return apply_matrix(m, out).clamp(0, 1)


def mirrored_dng(dng: dict, rows: bool, cols: bool) -> dict:
    """The DNG with its mosaic mirrored, and the CFA pattern its top-left 2x2 now has."""
    raw = dng['raw'][::-1 if rows else 1, ::-1 if cols else 1]
    h, w = raw.shape
    pattern = np.array(dng['cfa']).reshape(2, 2)
    sites_y = (np.arange(2) if not rows else (h - 1 - np.arange(2))) % 2
    sites_x = (np.arange(2) if not cols else (w - 1 - np.arange(2))) % 2
    return dict(dng, raw=np.ascontiguousarray(raw), cfa=[int(v) for v in pattern[np.ix_(sites_y, sites_x)].ravel()])


def enhance_dng_ensemble(model, dng: dict, ratio: float, device, code_centre_shift: float = 0.0, passes: int = 1) -> torch.Tensor:
    """enhance_dng averaged over the mosaic mirrored `passes` ways (self-ensemble), each output
    mirrored back onto the pixels it covers: mirroring moves the Bayer phase, which packing
    restores by dropping a first row or column, so a member misses one line the others cover.
    One pass is enhance_dng itself."""
    if passes == 1:
        return enhance_dng(model, dng, ratio, device, code_centre_shift)
    h, w = dng['raw'].shape
    total = torch.zeros(3, h, w)
    count = torch.zeros(1, h, w)
    for rows, cols in MIRRORS[passes]:
        member = mirrored_dng(dng, rows, cols)
        dy, dx = PHASE_SHIFT[tuple(member['cfa'])]
        out = enhance_dng(model, member, ratio, device, code_centre_shift)
        oh, ow = out.shape[1:]
        covered = torch.zeros(1, h, w, dtype=torch.bool)
        covered[:, dy:dy + oh, dx:dx + ow] = True
        placed = torch.zeros(3, h, w)
        placed[:, dy:dy + oh, dx:dx + ow] = out
        flips = [d for d, f in ((1, rows), (2, cols)) if f]
        total += placed.flip(flips) if flips else placed
        count += (covered.flip(flips) if flips else covered).float()
    return total / count.clamp(min=1)


def read_rgb16(path: str) -> torch.Tensor:
    """16-bit RGB image file (PNG, TIFF) -> encoded values in [0,1], (3,H,W)."""
    encoded = cv2.imread(path, cv2.IMREAD_UNCHANGED)[:, :, ::-1].astype(np.float32) / 65535.0
    return torch.from_numpy(np.ascontiguousarray(encoded)).permute(2, 0, 1)


def read_reference(path: str) -> torch.Tensor:
    """Reference 16-bit PNG (BT.709 curve) -> linear (3,H,W)."""
    return bt709_to_linear(read_rgb16(path))


def sid_dev_pairs(root: str) -> list:
    """(name, ratio) of the sid-dev frames that have a reference, in name order."""
    pairs = []
    for meta_path in sorted(glob.glob(os.path.join(root, '*.json'))):
        ratio = json.load(open(meta_path)).get('ratio')
        if ratio is not None:
            pairs.append((os.path.basename(meta_path)[:-5], ratio))
    return pairs


def evaluate_sid_dev(model, root: str, device, code_centre_shift: float, save_dir: str = None, passes: int = 1) -> dict:
    """Per-file and mean PSNR / SSIM / chroma ratio over the pairs with a reference."""
    model.eval()
    results = {}
    for name, ratio in sid_dev_pairs(root):
        pred = enhance_dng_ensemble(model, read_cfa_dng(os.path.join(root, name + '.dng')), ratio, device,
                                    code_centre_shift, passes)
        ref = read_reference(os.path.join(root, name + '.ref.png'))
        a, b = linear_to_bt709(pred), linear_to_bt709(ref)
        results[name] = {'psnr': psnr(a, b), 'ssim': ssim(a, b), 'chroma_ratio': chroma_ratio(pred, ref)}
        if save_dir:
            os.makedirs(save_dir, exist_ok=True)
            out = (a.permute(1, 2, 0).numpy()[:, :, ::-1] * 255 + 0.5).astype(np.uint8)
            cv2.imwrite(os.path.join(save_dir, name + '.png'), out)
    model.train()
    if results:
        results['mean'] = {k: float(np.mean([r[k] for r in results.values()])) for k in ('psnr', 'ssim', 'chroma_ratio')}
    return results
