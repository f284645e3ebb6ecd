"""A minimal reader for uncompressed 16-bit CFA DNGs (the sid-dev files), for validation in Python.

The product's full decoder is src/pipeline/dng; this only needs what sid-dev uses.
"""
import struct

import numpy as np

TYPE_SIZES = {1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4}


def _read_ifd(data: bytes, offset: int, endian: str) -> tuple:
    count = struct.unpack_from(endian + 'H', data, offset)[0]
    tags = {}
    for i in range(count):
        tag, typ, n, value = struct.unpack_from(endian + 'HHI4s', data, offset + 2 + 12 * i)
        size = TYPE_SIZES.get(typ, 1) * n
        raw = value[:size] if size <= 4 else data[struct.unpack(endian + 'I', value)[0]:][:size]
        fmt = {1: 'B', 3: 'H', 4: 'I', 5: 'II', 9: 'i', 10: 'ii', 11: 'f', 12: 'd', 7: 'B', 2: 'c'}.get(typ, 'B')
        values = struct.unpack(endian + fmt * n, raw)
        if typ in (5, 10):
            values = tuple(values[k] / values[k + 1] for k in range(0, len(values), 2))
        tags[tag] = values
    next_ifd = struct.unpack_from(endian + 'I', data, offset + 2 + 12 * count)[0]
    return tags, next_ifd


def read_cfa_dng(path: str) -> dict:
    data = open(path, 'rb').read()
    endian = '<' if data[:2] == b'II' else '>'
    ifd0, _ = _read_ifd(data, struct.unpack_from(endian + 'I', data, 4)[0], endian)
    candidates = [ifd0] + [_read_ifd(data, off, endian)[0] for off in ifd0.get(330, ())]
    raw_ifd = next(t for t in candidates if t.get(254, (1,))[0] == 0 and t.get(262, (0,))[0] == 32803)
    if raw_ifd.get(259, (1,))[0] != 1 or raw_ifd[258][0] != 16:
        raise ValueError('only uncompressed 16-bit CFA is supported here')
    w, h = raw_ifd[256][0], raw_ifd[257][0]
    strips = b''.join(data[o:o + c] for o, c in zip(raw_ifd[273], raw_ifd[279]))
    raw = np.frombuffer(strips, dtype=endian + 'u2')[: w * h].reshape(h, w).astype(np.float32)
    return {
        'raw': raw,
        'cfa': list(raw_ifd[33422]),
        'black': float(np.mean(raw_ifd.get(50714, (0,)))),
        'white': float(raw_ifd.get(50717, (65535,))[0]),
        'color_matrix': np.array(ifd0[50721], dtype=np.float64).reshape(3, 3),
        'neutral': np.array(ifd0[50728], dtype=np.float64),
    }
