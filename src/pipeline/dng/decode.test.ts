/**
 * Sample unpacking against hand-packed bytes, and decodeDng paths the writer round trip does
 * not reach: lossy JPEG tiles (through an injected decoder), a single strip whose
 * RowsPerStrip is smaller than the image, and lossless JPEG blocks shared with helper threads.
 */
import { describe, expect, it } from 'vitest';
import { decodeBlocks, decodeDng, type BlockHelper, type BlockJob } from './decode';
import { parseDng, readDngMetadata } from './metadata';
import { Tag } from './tags';
import type { DecodedJpeg } from './lossy-jpeg';
import type { CfaColor, StoredRaster } from './types';
import { packedRowBytes, unpackRow } from './unpack';
import { writeDng } from './writer';

function unpack(bytes: number[], count: number, bits: number, littleEndian = false): number[] {
  const out = new Uint16Array(count);
  unpackRow(Uint8Array.from(bytes), 0, count, bits, littleEndian, out, 0);
  return Array.from(out);
}

describe('unpackRow', () => {
  it('reads 8-bit samples as bytes', () => {
    expect(unpack([0, 7, 255], 3, 8)).toEqual([0, 7, 255]);
  });

  it('reads 16-bit samples in the file byte order', () => {
    expect(unpack([0x12, 0x34, 0xff, 0x01], 2, 16, false)).toEqual([0x1234, 0xff01]);
    expect(unpack([0x12, 0x34, 0xff, 0x01], 2, 16, true)).toEqual([0x3412, 0x01ff]);
  });

  it('reads other depths most significant bit first, whatever the byte order', () => {
    // 12-bit 0xABC, 0x123 -> AB C1 23
    expect(unpack([0xab, 0xc1, 0x23], 2, 12, true)).toEqual([0xabc, 0x123]);
    // 10-bit 1023, 0, 512, 1 -> 1111111111 0000000000 1000000000 0000000001
    expect(unpack([0xff, 0xc0, 0x08, 0x00, 0x01], 4, 10)).toEqual([1023, 0, 512, 1]);
    // 14-bit 0x3fff, 0x0001 -> 11111111111111 00000000000001 (+4 padding bits)
    expect(unpack([0xff, 0xfc, 0x00, 0x10], 2, 14)).toEqual([0x3fff, 1]);
  });

  it('starts rows on byte boundaries', () => {
    expect(packedRowBytes(3, 12)).toBe(5);
    expect(packedRowBytes(2, 14)).toBe(4);
  });
});

/** 8-bit LinearRaw in 16x16 tiles over a 20x18 image, so edge tiles overhang. */
function linearRawTiles(): { bytes: Uint8Array; stored: StoredRaster } {
  const stored: StoredRaster = {
    width: 20,
    height: 18,
    samplesPerPixel: 3,
    data: Uint16Array.from({ length: 20 * 18 * 3 }, (_, i) => (i * 7) % 256),
  };
  const bytes = writeDng(
    { stored, metadata: { bitsPerSample: 8, whiteLevel: [255, 255, 255] } },
    { layout: { kind: 'tiles', tileWidth: 16, tileHeight: 16 } },
  );
  return { bytes, stored };
}

const COMPRESSION = 259;
const ROWS_PER_STRIP = 278;

/** Sets a SHORT/LONG value of an IFD0 entry in a little-endian file written by writeDng. */
function setTag(bytes: Uint8Array, tag: number, value: number): Uint8Array {
  const copy = bytes.slice();
  const view = new DataView(copy.buffer);
  const ifd = view.getUint32(4, true);
  for (let i = 0; i < view.getUint16(ifd, true); i++) {
    const at = ifd + 2 + i * 12;
    if (view.getUint16(at, true) !== tag) continue;
    if (view.getUint16(at + 2, true) === 3) view.setUint16(at + 8, value, true);
    else view.setUint32(at + 8, value, true);
    return copy;
  }
  throw new Error(`tag ${tag} not written`);
}

describe('lossy JPEG tiles (Compression 34892)', () => {
  // Stand-in decoder: the tile bytes are uncompressed 16x16 RGB, so "decoding" them returns
  // them as they are, and the result must equal the uncompressed file's.
  const passThrough = async (tile: Uint8Array): Promise<DecodedJpeg> => ({ width: 16, height: 16, channels: 3, data: tile });

  it('places each decoded tile, cropping the parts that overhang the image', async () => {
    const { bytes, stored } = linearRawTiles();
    const decoded = await decodeDng(setTag(bytes, COMPRESSION, 34892), { decodeJpeg: passThrough });
    expect(decoded.metadata.compression).toBe(34892);
    expect(Array.from(decoded.stored.data)).toEqual(Array.from(stored.data));
  });

  it('reports a tile the decoder rejects, or one of the wrong size, as damage', async () => {
    const lossy = setTag(linearRawTiles().bytes, COMPRESSION, 34892);
    const failing = async (): Promise<DecodedJpeg> => {
      throw new Error('bad Huffman code');
    };
    await expect(decodeDng(lossy, { decodeJpeg: failing })).rejects.toMatchObject({
      code: 'corrupt',
      message: expect.stringMatching(/lossy JPEG tile cannot be decoded \(bad Huffman code\)/),
    });
    const tooSmall = async (tile: Uint8Array): Promise<DecodedJpeg> => ({ width: 8, height: 8, channels: 3, data: tile });
    await expect(decodeDng(lossy, { decodeJpeg: tooSmall })).rejects.toMatchObject({ code: 'corrupt' });
  });
});

describe('strips', () => {
  it('reads one strip holding the whole image even when RowsPerStrip claims fewer rows', async () => {
    const stored: StoredRaster = { width: 4, height: 6, samplesPerPixel: 1, data: Uint16Array.from({ length: 24 }, (_, i) => i * 500) };
    const oneStrip = writeDng({ stored, metadata: { bitsPerSample: 14, whiteLevel: [16383], cfaPattern: [0, 1, 1, 2] } }, { layout: { kind: 'strips' } });
    const decoded = await decodeDng(setTag(oneStrip, ROWS_PER_STRIP, 1));
    expect(Array.from(decoded.stored.data)).toEqual(Array.from(stored.data));
  });
});

describe('CFA patterns', () => {
  const CFA_PATTERN = 33422;
  const CFA_PLANE_COLOR = 50710;
  const mosaic = (pattern: CFAPattern) =>
    writeDng({
      stored: { width: 4, height: 4, samplesPerPixel: 1, data: new Uint16Array(16) },
      metadata: { bitsPerSample: 16, whiteLevel: [65535], cfaPattern: pattern },
    });
  type CFAPattern = [CfaColor, CfaColor, CfaColor, CfaColor];
  /** Overwrites the inline BYTE values of an IFD0 entry. */
  const setBytes = (bytes: Uint8Array, tag: number, values: number[]) => {
    const copy = bytes.slice();
    const view = new DataView(copy.buffer);
    const ifd = view.getUint32(4, true);
    for (let i = 0; i < view.getUint16(ifd, true); i++) {
      const at = ifd + 2 + i * 12;
      if (view.getUint16(at, true) === tag) copy.set(values, at + 8);
    }
    return copy;
  };

  it.each<[string, CFAPattern]>([
    ['RGGB', [0, 1, 1, 2]],
    ['GRBG', [1, 0, 2, 1]],
    ['GBRG', [1, 2, 0, 1]],
    ['BGGR', [2, 1, 1, 0]],
  ])('reads the %s phase', (_, pattern) => {
    expect(readDngMetadata(mosaic(pattern)).cfaPattern).toEqual(pattern);
  });

  it('maps CFAPattern through CFAPlaneColor', () => {
    // Planes listed as blue, green, red: pattern planes 0 1 / 1 2 are colours B G / G R.
    expect(readDngMetadata(setBytes(mosaic([0, 1, 1, 2]), CFA_PLANE_COLOR, [2, 1, 0])).cfaPattern).toEqual([2, 1, 1, 0]);
  });

  it.each<[string, number[], number[], string]>([
    ['greens in one row', [1, 1, 0, 2], [0, 1, 2], 'unsupported'],
    ['two reds', [0, 0, 1, 2], [0, 1, 2], 'unsupported'],
    ['cyan, magenta and yellow planes', [0, 1, 1, 2], [3, 4, 5], 'unsupported'],
    ['a plane that does not exist', [0, 1, 1, 3], [0, 1, 2], 'corrupt'],
  ])('rejects a 2x2 pattern that is not RGB Bayer: %s', (_, pattern, planeColor, code) => {
    const bytes = setBytes(setBytes(mosaic([0, 1, 1, 2]), CFA_PATTERN, pattern), CFA_PLANE_COLOR, planeColor);
    expect(() => readDngMetadata(bytes)).toThrow(expect.objectContaining({ code }));
  });
});

describe('lossless JPEG blocks shared with helpers', () => {
  /** 14-bit CFA, lossless JPEG, 70x45 in 16x16 tiles (15 tiles, the last row and column overhanging) or strips. */
  function losslessFile(layout: 'tiles' | 'strips'): { bytes: Uint8Array; stored: StoredRaster } {
    const stored: StoredRaster = { width: 70, height: 45, samplesPerPixel: 1, data: Uint16Array.from({ length: 70 * 45 }, (_, i) => (i * 7919) % 16384) };
    const metadata = { bitsPerSample: 14, whiteLevel: [16383], cfaPattern: [0, 1, 1, 2] as [CfaColor, CfaColor, CfaColor, CfaColor] };
    const bytes = writeDng({ stored, metadata }, { compression: 7, layout: layout === 'tiles' ? { kind: 'tiles', tileWidth: 16, tileHeight: 16 } : { kind: 'strips', rowsPerStrip: 8 } });
    return { bytes, stored };
  }

  /** Where the last tile's bytes lie, from the raw IFD's TileOffsets and TileByteCounts. */
  function lastTileRange(bytes: Uint8Array): { start: number; length: number } {
    const file = parseDng(bytes);
    const last = (tag: number) => file.reader.numbers(file.raw.entries.get(tag)!).at(-1)!;
    return { start: last(Tag.TileOffsets), length: last(Tag.TileByteCounts) };
  }

  /** Helpers that run decodeBlocks in this thread, recording their jobs. */
  function inProcessHelpers(count: number, jobs: BlockJob[]): BlockHelper[] {
    return Array.from({ length: count }, () => async (job: BlockJob) => {
      jobs.push(job);
      decodeBlocks(job);
    });
  }

  for (const layout of ['tiles', 'strips'] as const) {
    it(`decodes ${layout} split between this thread and 1-3 helpers into one shared raster`, async () => {
      const { bytes, stored } = losslessFile(layout);
      for (const count of [1, 2, 3]) {
        const jobs: BlockJob[] = [];
        const decoded = await decodeDng(bytes, { helpers: inProcessHelpers(count, jobs) });
        expect(decoded.stored.data.buffer).toBeInstanceOf(SharedArrayBuffer);
        expect(Array.from(decoded.stored.data)).toEqual(Array.from(stored.data));
        // Each helper took one contiguous later share; this thread kept the first.
        expect(jobs).toHaveLength(count);
        expect(jobs[0]!.start).toBeGreaterThan(0);
        jobs.forEach((job, i) => i > 0 && expect(job.start).toBe(jobs[i - 1]!.end));
        expect(jobs.at(-1)!.end).toBe(layout === 'tiles' ? 15 : 6);
      }
    });
  }

  it('reports damage in a helper\'s share as the serial decoder does', async () => {
    const { bytes } = losslessFile('tiles');
    // Garbage over the middle of the last tile's entropy-coded data.
    const damaged = bytes.slice();
    const last = lastTileRange(bytes);
    damaged.fill(0xff, last.start + Math.floor(last.length / 2), last.start + last.length - 2);
    const serial = await decodeDng(damaged).then(() => undefined, (error: { code: string }) => error.code);
    expect(serial).toBeDefined();
    await expect(decodeDng(damaged, { helpers: inProcessHelpers(1, []) })).rejects.toMatchObject({ code: serial });
  });

  it('decodes here the share of a helper that failed for its own reasons, after every share has finished', async () => {
    const { bytes, stored } = losslessFile('tiles');
    let finished = 0;
    const crashed: BlockHelper = async () => {
      await new Promise((resolve) => setTimeout(resolve, 20));
      finished++;
      throw new Error('the helper could not start');
    };
    const decoded = await decodeDng(bytes, { helpers: [crashed, crashed] });
    expect(finished).toBe(2);
    expect(Array.from(decoded.stored.data)).toEqual(Array.from(stored.data));
  });

  it('decodes here the share of a helper that never answers, instead of waiting for it', async () => {
    const { bytes, stored } = losslessFile('tiles');
    const silent: BlockHelper = () => new Promise<void>(() => undefined);
    const decoded = await decodeDng(bytes, { helpers: [silent] });
    expect(Array.from(decoded.stored.data)).toEqual(Array.from(stored.data));
  });

  it('refuses a job whose raster does not fit its file', () => {
    const { bytes } = losslessFile('tiles');
    expect(() => decodeBlocks({ bytes, raster: new Uint16Array(10), start: 0, end: 1 })).toThrowError(/does not match/);
  });
});
