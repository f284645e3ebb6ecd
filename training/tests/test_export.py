import base64
import hashlib
import json
import os
from types import SimpleNamespace

import numpy as np
import torch

from tapetum_train.export import SHARD_BYTES, SMALL_TENSOR, dequantized_model, export_checkpoint, quantize
from tapetum_train.model import UNet, UNetConfig


def save_checkpoint(path, widths):
    torch.manual_seed(0)
    model = UNet(UNetConfig(widths=widths))
    torch.save({'model': model.state_dict(), 'state': {'step': 1, 'elapsed': 1.0},
                'config': {'tier': 'fast', 'widths': widths}}, path)
    return model


def load_exported(out_dir):
    manifest = json.load(open(os.path.join(out_dir, 'model.json')))
    blob = b''.join(open(os.path.join(out_dir, p), 'rb').read() for p in manifest['weightsManifest'][0]['paths'])
    weights, offset = {}, 0
    for entry in manifest['weightsManifest'][0]['weights']:
        q = entry['quantization']
        count = int(np.prod(entry['shape']))
        if q['dtype'] == 'uint8':
            raw = np.frombuffer(blob, np.uint8, count, offset).astype(np.float32) * np.float32(q['scale']) + np.float32(q['min'])
            offset += count
        else:
            raw = np.frombuffer(blob, np.float16, count, offset).astype(np.float32)
            offset += 2 * count
        weights[entry['name']] = raw.reshape(entry['shape'])
    assert offset == len(blob)
    return manifest, weights


def test_export_round_trip(tmp_path):
    # The second folder serves the quality tier with the same network run in 4 mirrored passes.
    for dtype, tier, passes in (('float16', None, 1), ('uint8', 'quality', 4)):
        checkpoint = str(tmp_path / 'model.pt')
        model = save_checkpoint(checkpoint, [8, 16, 32, 64, 128])
        out = str(tmp_path / dtype)
        export_checkpoint(SimpleNamespace(checkpoint=checkpoint, out=out, quantization=dtype, notes=None,
                                          val_dir=None, device='cpu', threads=0, tier=tier, passes=passes))
        manifest, weights = load_exported(out)
        assert manifest['tier'] == (tier or 'fast')
        assert manifest['inference']['passes'] == passes
        per_pass = manifest['cost']['gmacPerMegapixelPerPass']
        assert manifest['cost']['gmacPerMegapixel'] == round(passes * per_pass, 3)
        for shard in manifest['shards']:
            data = open(os.path.join(out, shard['path']), 'rb').read()
            assert len(data) == shard['bytes'] <= SHARD_BYTES
            assert hashlib.sha256(data).hexdigest() == shard['sha256']
        # Rebuild the PyTorch model from the TF-layout weights: HWIO -> OIHW.
        state = {}
        for name, tensor in model.state_dict().items():
            w = weights[name.replace('.weight', '/kernel').replace('.bias', '/bias').replace('.', '/')]
            state[name] = torch.from_numpy(w.transpose(3, 2, 0, 1).copy() if w.ndim == 4 else w.copy())
            stored = 'float16' if dtype == 'uint8' and tensor.numel() < SMALL_TENSOR else dtype
            expected = quantize(tensor.numpy(), stored)[2]
            assert np.array_equal(state[name].numpy(), expected)
        rebuilt = UNet(model.config)
        rebuilt.load_state_dict(state)
        parity = json.load(open(os.path.join(out, 'parity.json')))
        x = np.frombuffer(base64.b64decode(parity['input']), '<f4').reshape(parity['inputShape'])
        y = np.frombuffer(base64.b64decode(parity['output']), '<f4').reshape(parity['outputShape'])
        with torch.no_grad():
            got = rebuilt(torch.from_numpy(x.copy()).permute(0, 3, 1, 2)).permute(0, 2, 3, 1).numpy()
        assert np.abs(got - y).max() < 1e-5
        assert manifest['architecture']['widths'] == [8, 16, 32, 64, 128]


def test_uint8_keeps_small_tensors_in_float16_and_errs_less_than_uint8_everywhere():
    torch.manual_seed(1)
    model = UNet(UNetConfig(widths=[8, 16, 32, 64, 128])).eval()
    x = torch.rand(1, 4, 64, 64)
    everywhere = UNet(model.config)
    everywhere.load_state_dict({n: torch.from_numpy(quantize(t.numpy(), 'uint8')[2]) for n, t in model.state_dict().items()})
    with torch.no_grad():
        reference = model(x)
        mixed_error = (dequantized_model(model, 'uint8')(x) - reference).abs().mean()
        uint8_error = (everywhere.eval()(x) - reference).abs().mean()
    assert mixed_error < 0.75 * uint8_error
