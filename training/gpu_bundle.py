"""Copy what a GPU training run needs into an ignored folder that the device tool can carry:
a size-capped, source-balanced subset of the clean photos plus the camera and noise tables.

usage: /usr/bin/python3 training/gpu_bundle.py [--shared ../shared/data] [--out .gpu] [--megabytes 46]
                                              [--min-side 512]
"""
import argparse
import glob
import os
import shutil

import cv2

parser = argparse.ArgumentParser()
parser.add_argument('--shared', default=os.path.join(os.path.dirname(__file__), '..', '..', 'shared', 'data'))
parser.add_argument('--out', default='.gpu')
parser.add_argument('--megabytes', type=float, default=46)
parser.add_argument('--from-end', action='store_true', help='take each source from its end (a second, disjoint-ish subset)')
parser.add_argument('--min-side', type=int, default=512,
                    help='take only photos whose short side has at least this many pixels: training skips '
                         'photos smaller than a crop (2 x the config\'s patch; 512 for configs/*-gpu.json), '
                         'so they would waste the budget')
args = parser.parse_args()


def short_side(path: str) -> int:
    return min(cv2.imread(path, cv2.IMREAD_GRAYSCALE).shape)


sources = sorted(glob.glob(os.path.join(args.shared, 'clean', '*', '')))
queues = [[p for p in sorted(glob.glob(os.path.join(s, '*.jpg')), reverse=args.from_end)
           if short_side(p) >= args.min_side] for s in sources]
photos_out = os.path.join(args.out, 'photos')
os.makedirs(photos_out, exist_ok=True)
budget, used, taken = args.megabytes * 1e6, 0, 0
# Round-robin over the sources so that no single dataset dominates the subset.
while used < budget and any(queues):
    for queue in queues:
        if queue and used < budget:
            path = queue.pop(0)
            name = os.path.basename(os.path.dirname(path)) + '-' + os.path.basename(path)
            shutil.copy(path, os.path.join(photos_out, name))
            used += os.path.getsize(path)
            taken += 1
for table in ('camera-matrices.json', 'noise-profiles.json'):
    shutil.copy(os.path.join(args.shared, table), os.path.join(args.out, table))
print(f'{taken} photos, {used / 1e6:.1f} MB in {photos_out}')
