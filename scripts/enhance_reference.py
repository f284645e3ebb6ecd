"""Reference enhancement in PyTorch, for checking the TypeScript engine against training's own code.

    cd training && PYTHONPATH=. /usr/bin/python3 ../scripts/enhance_reference.py \
        ../public/model/fast NAME.dng RATIO OUT.png

Loads the exported model folder (model.json + shards, dequantized exactly as shipped), runs
tapetum_train.validate.enhance_dng_ensemble (untiled, in the folder's `inference.passes`) and
writes its linear sRGB output through the sRGB curve as a 16-bit RGB PNG, the format the
TypeScript `enhance` writes with --format png16.
"""
import json
import os
import sys

import cv2
import numpy as np
import torch

from tapetum_train.colour import linear_to_srgb
from tapetum_train.dng import read_cfa_dng
from tapetum_train.model import UNet, UNetConfig
from tapetum_train.validate import enhance_dng_ensemble


def load_exported(folder: str) -> UNet:
    manifest = json.load(open(os.path.join(folder, 'model.json')))
    arch = manifest['architecture']
    model = UNet(UNetConfig(widths=arch['widths'], in_channels=arch['inChannels'],
                            out_channels=arch['outChannels'], leaky_slope=arch['leakySlope']))
    blob = b''.join(open(os.path.join(folder, s['path']), 'rb').read() for s in manifest['shards'])
    state, offset = {}, 0
    for group in manifest['weightsManifest']:
        for entry in group['weights']:
            count = int(np.prod(entry['shape']))
            q = entry['quantization']
            if q['dtype'] == 'float16':
                array = np.frombuffer(blob, '<f2', count, offset).astype(np.float32)
                offset += 2 * count
            else:
                array = np.frombuffer(blob, np.uint8, count, offset).astype(np.float32) * np.float32(q['scale']) + np.float32(q['min'])
                offset += count
            array = array.reshape(entry['shape'])
            if array.ndim == 4:
                array = array.transpose(3, 2, 0, 1)  # HWIO -> OIHW
            state[entry['name'].replace('/kernel', '.weight').replace('/bias', '.bias').replace('/', '.')] = torch.from_numpy(array.copy())
    model.load_state_dict(state)
    return model.eval()


def main() -> None:
    folder, dng_path, ratio, out_path = sys.argv[1:5]
    torch.set_num_threads(1)
    manifest = json.load(open(os.path.join(folder, 'model.json')))
    shift = manifest['conventions'].get('codeCentreShift', 0.0)
    passes = manifest.get('inference', {}).get('passes', 1)
    rgb = enhance_dng_ensemble(load_exported(folder), read_cfa_dng(dng_path), float(ratio), 'cpu', shift, passes)
    encoded = linear_to_srgb(rgb).permute(1, 2, 0).numpy()
    cv2.imwrite(out_path, np.round(encoded[:, :, ::-1] * 65535).astype(np.uint16))


if __name__ == '__main__':
    main()
