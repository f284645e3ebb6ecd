"""Export a checkpoint to TensorFlow.js's weights format (model.json + binary shards), quantized.

The TypeScript side rebuilds the U-Net from `architecture` and loads the weights with tf.io:
convolution kernels are HWIO (TensorFlow layout), tensors are NHWC, and depth-to-space is
TensorFlow's (DCR), which the PyTorch model already uses, so no channel permutation is needed.
"""
import base64
import hashlib
import json
import os

import numpy as np
import torch

from .model import UNet, checkpoint_model, count_parameters, macs_per_output_megapixel
from .validate import evaluate_sid_dev

SHARD_BYTES = 4 * 1024 * 1024
PARITY_SIZE = 32  # packed pixels: divisible by 16 for the four poolings
# Under the uint8 scheme, tensors with fewer values stay float16: the full- and half-resolution
# levels, the head and the biases. They touch every output pixel, so per-tensor uint8 hurts most
# there, and they are a small share of the bytes. On the fast model, the output error of uint8
# falls 4x (RMS 3.1e-3 -> 7.4e-4 on a synthetic input) for 10 % more bytes (475 -> 522 KB).
SMALL_TENSOR = 16384


def tf_weights(model: UNet) -> list:
    """(name, float32 array) in TensorFlow layout, in a stable order."""
    out = []
    for name, tensor in model.state_dict().items():
        array = tensor.detach().float().cpu().numpy()
        if array.ndim == 4:
            array = array.transpose(2, 3, 1, 0)  # OIHW -> HWIO
        out.append((name.replace('.weight', '/kernel').replace('.bias', '/bias').replace('.', '/'), array))
    return out


def storage_dtype(array: np.ndarray, scheme: str) -> str:
    """How one tensor is stored under a quantization scheme ('float16' or 'uint8', see SMALL_TENSOR)."""
    return 'float16' if scheme == 'uint8' and array.size < SMALL_TENSOR else scheme


def quantize(array: np.ndarray, dtype: str):
    """(bytes, manifest quantization entry or None, dequantized float32 array)."""
    if dtype == 'float16':
        half = array.astype(np.float16)
        return half.tobytes(), {'dtype': 'float16', 'original_dtype': 'float32'}, half.astype(np.float32)
    low, high = float(array.min()), float(array.max())
    scale = (high - low) / 255 if high > low else 1.0
    q = np.clip(np.round((array - low) / scale), 0, 255).astype(np.uint8)
    return q.tobytes(), {'dtype': 'uint8', 'min': low, 'scale': scale, 'original_dtype': 'float32'}, \
        (q.astype(np.float32) * np.float32(scale) + np.float32(low))


def dequantized_model(model: UNet, scheme: str) -> UNet:
    copy = UNet(model.config)
    state = {}
    for name, tensor in model.state_dict().items():
        array = tensor.float().numpy()
        state[name] = torch.from_numpy(quantize(array, storage_dtype(array, scheme))[2])
    copy.load_state_dict(state)
    return copy.eval()


def write_shards(blob: bytes, out_dir: str) -> list:
    count = max(1, -(-len(blob) // SHARD_BYTES))
    shards = []
    for i in range(count):
        part = blob[i * SHARD_BYTES:(i + 1) * SHARD_BYTES]
        path = f'group1-shard{i + 1}of{count}.bin'
        with open(os.path.join(out_dir, path), 'wb') as f:
            f.write(part)
        shards.append({'path': path, 'bytes': len(part), 'sha256': hashlib.sha256(part).hexdigest()})
    return shards


def parity_vectors(model: UNet) -> dict:
    """A deterministic smooth-plus-texture packed input and the dequantized model's output (NHWC)."""
    y, x = np.mgrid[0:PARITY_SIZE, 0:PARITY_SIZE].astype(np.float32) / PARITY_SIZE
    rng = np.random.default_rng(7)
    channels = [0.2 + 0.5 * x * (c + 1) / 4 + 0.2 * y + 0.1 * rng.random(x.shape, dtype=np.float32) for c in range(4)]
    packed = np.clip(np.stack(channels, -1), 0, 1)[None].astype(np.float32)
    with torch.no_grad():
        out = model(torch.from_numpy(packed).permute(0, 3, 1, 2)).permute(0, 2, 3, 1).numpy().astype(np.float32)

    def encode(a):
        return base64.b64encode(np.ascontiguousarray(a, dtype='<f4').tobytes()).decode()

    return {'inputShape': list(packed.shape), 'input': encode(packed),
            'outputShape': list(out.shape), 'output': encode(out), 'encoding': 'base64 little-endian float32'}


def export_checkpoint(args) -> None:
    from .cli import code_centre_shift_of
    from .train import pick_device
    saved = torch.load(args.checkpoint, map_location='cpu')
    model = checkpoint_model(saved)
    shift = code_centre_shift_of(saved)
    device = pick_device(args.device)
    if args.threads:
        torch.set_num_threads(args.threads)

    scores = {}
    if args.val_dir and os.path.isdir(args.val_dir):
        for dtype in ('float32', 'float16', 'uint8'):
            candidate = model if dtype == 'float32' else dequantized_model(model, dtype)
            scores[dtype] = evaluate_sid_dev(candidate, args.val_dir, device, shift, passes=args.passes)
            print(f"{dtype:8s} sid-dev PSNR {scores[dtype]['mean']['psnr']:.3f} SSIM {scores[dtype]['mean']['ssim']:.4f}")
    dtype = args.quantization
    if dtype == 'auto':
        cost = scores['float32']['mean']['psnr'] - scores['uint8']['mean']['psnr'] if scores else 0.0
        dtype = 'uint8' if cost <= 0.1 else 'float16'
        print(f'uint8 costs {cost:.3f} dB: shipping {dtype}')

    os.makedirs(args.out, exist_ok=True)
    blobs, entries = [], []
    for name, array in tf_weights(model):
        data, quantization, _ = quantize(array, storage_dtype(array, dtype))
        blobs.append(data)
        entries.append({'name': name, 'shape': list(array.shape), 'dtype': 'float32', 'quantization': quantization})
    shards = write_shards(b''.join(blobs), args.out)
    shipped = dequantized_model(model, dtype)
    config = model.config
    notes = json.load(open(args.notes)) if args.notes else {}
    manifest = {
        'format': 'tapetum-unet',
        'formatVersion': 1,
        'tier': args.tier or saved['config']['tier'],
        'architecture': {
            'type': 'unet', 'widths': config.widths, 'inChannels': config.in_channels,
            'outChannels': config.out_channels, 'leakySlope': config.leaky_slope,
            'convolution': '3x3 same, two per level, leaky ReLU', 'downsampling': 'max-pool 2x2',
            'upsampling': '1x1 convolution to 4*C, depth-to-space 2 (DCR)', 'head': '1x1 convolution to 12, depth-to-space 2',
            'layout': 'NHWC', 'kernelLayout': 'HWIO', 'sizeMultiple': 2 ** (len(config.widths) - 1),
        },
        'conventions': {
            'input': 'packed R,G1,B,G2 (half resolution): clip((raw - black + codeCentreShift * step) / (white - black) '
                     '* ratio, 0, 1) times white-balance gains (green 1); step = the ADC step of the raw codes',
            'codeCentreShift': shift,
            'output': 'white-balanced linear camera RGB at full resolution; apply the camera matrix and tone curve after',
        },
        'inference': {'passes': args.passes,
                      'method': 'self-ensemble: with 4 passes the mosaic also mirrored top to bottom, left to right '
                                'and both, outputs mirrored back and averaged (src/pipeline/enhance/self-ensemble.ts)'},
        'cost': {'gmacPerMegapixel': round(args.passes * macs_per_output_megapixel(config), 3),
                 'gmacPerMegapixelPerPass': round(macs_per_output_megapixel(config), 3),
                 'parameters': count_parameters(model)},
        'quantization': dtype,
        'quantizationDetail': (f'uint8 per tensor (affine min and scale); tensors under {SMALL_TENSOR} values float16'
                               if dtype == 'uint8' else 'float16'),
        'training': {'steps': saved['state']['step'], 'seconds': round(saved['state']['elapsed']), **notes},
        'validation': {k: v.get('mean') for k, v in scores.items()},
        'validationPerFile': {k: v for k, v in scores.get(dtype, {}).items() if k != 'mean'},
        'weightsManifest': [{'paths': [s['path'] for s in shards], 'weights': entries}],
        'shards': shards,
    }
    with open(os.path.join(args.out, 'model.json'), 'w') as f:
        json.dump(manifest, f, indent=1)
    with open(os.path.join(args.out, 'parity.json'), 'w') as f:
        json.dump(parity_vectors(shipped), f)
    print(f"wrote {args.out}: {len(shards)} shard(s), {sum(s['bytes'] for s in shards)} bytes, {dtype}")
