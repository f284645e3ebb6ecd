import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { encode as encodePng } from 'fast-png';
import { encode as encodeJpeg } from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { develop } from '../develop/index.ts';
import { linearize } from '../dng/index.ts';
import { TapetumError } from '../errors.ts';
import { decodeSrgbFile, srgbFormatOf, unprocessFile } from './index.ts';

/** Six flat 16x16 patches in a 48x32 image: primaries, a grey, a skin tone, a dark blue. */
const PATCHES = [
  [200, 30, 40],
  [40, 180, 60],
  [30, 50, 190],
  [128, 128, 128],
  [194, 150, 130],
  [20, 30, 60],
];
const SIDE = 16;

function patchImage(): { width: number; height: number; data: Uint8Array } {
  const width = 3 * SIDE;
  const height = 2 * SIDE;
  const data = new Uint8Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const patch = PATCHES[Math.floor(y / SIDE) * 3 + Math.floor(x / SIDE)]!;
      data.set(patch, (y * width + x) * 3);
    }
  }
  return { width, height, data };
}

function hasExiftool(): boolean {
  try {
    execFileSync('exiftool', ['-ver']);
    return true;
  } catch {
    return false;
  }
}

describe('unprocess', () => {
  it('recognizes JPEG and PNG by signature only', () => {
    const image = patchImage();
    expect(srgbFormatOf(encodePng({ ...image, channels: 3 }))).toBe('png');
    expect(srgbFormatOf(encodeJpeg({ ...image, data: rgba(image.data) }, 90).data)).toBe('jpeg');
    expect(srgbFormatOf(Uint8Array.from([0x49, 0x49, 42, 0, 8, 0, 0, 0]))).toBeUndefined();
  });

  it('develops back to the original colours (neutral camera, ratio 1)', () => {
    const image = patchImage();
    const decoded = unprocessFile(encodePng({ ...image, channels: 3 }));
    expect(decoded.metadata.cfaPattern).toEqual([0, 1, 1, 2]);
    const developed = develop(decoded, { ratio: 1 });
    expect([developed.width, developed.height]).toEqual([image.width, image.height]);
    // Patch centres (away from demosaicing at the edges) come back within one 8-bit code.
    for (let p = 0; p < PATCHES.length; p++) {
      const x = (p % 3) * SIDE + SIDE / 2;
      const y = Math.floor(p / 3) * SIDE + SIDE / 2;
      const i = (y * image.width + x) * 3;
      const back = Array.from(developed.data.subarray(i, i + 3), (v) => v / 257);
      back.forEach((v, c) => expect(Math.abs(v - PATCHES[p]![c]!)).toBeLessThanOrEqual(1));
    }
  });

  it('stores linear light: sRGB code 128 is 21.59 % of white (IEC 61966-2-1)', () => {
    const gray = { width: 2, height: 2, data: new Uint8Array(12).fill(128), channels: 3 };
    const linear = linearize(unprocessFile(encodePng(gray)));
    for (const v of linear.data) expect(v).toBeCloseTo(0.21586, 4);
  });

  it('keeps odd sizes through DefaultCrop', () => {
    const odd = { width: 7, height: 5, data: new Uint8Array(7 * 5 * 3).fill(90), channels: 3 };
    const decoded = unprocessFile(encodePng(odd));
    expect([decoded.stored.width, decoded.stored.height]).toEqual([8, 6]);
    const developed = develop(decoded, { ratio: 1 });
    expect([developed.width, developed.height]).toEqual([7, 5]);
  });

  it('reads 16-bit, grey, grey+alpha, RGBA and palette PNGs as RGB', () => {
    const deep = decodeSrgbFile(encodePng({ width: 1, height: 1, data: Uint16Array.from([1000, 30000, 65535]), channels: 3, depth: 16 }));
    expect(Array.from(deep.data)).toEqual([1000, 30000, 65535]);
    const grey = decodeSrgbFile(encodePng({ width: 2, height: 1, data: Uint8Array.from([10, 250]), channels: 1 }));
    expect(Array.from(grey.data)).toEqual([10, 10, 10, 250, 250, 250]);
    const greyAlpha = decodeSrgbFile(encodePng({ width: 1, height: 1, data: Uint8Array.from([77, 3]), channels: 2 }));
    expect(Array.from(greyAlpha.data)).toEqual([77, 77, 77]);
    const rgbaPng = decodeSrgbFile(encodePng({ width: 1, height: 1, data: Uint8Array.from([1, 2, 3, 4]), channels: 4 }));
    expect(Array.from(rgbaPng.data)).toEqual([1, 2, 3]);
    const palette = [[255, 0, 0], [0, 0, 255]];
    const indexed = decodeSrgbFile(encodePng({ width: 2, height: 1, data: Uint8Array.from([1, 0]), channels: 1, depth: 8, palette }));
    expect(Array.from(indexed.data)).toEqual([0, 0, 255, 255, 0, 0]);
  });

  it('reads EXIF Orientation from a JPEG (written by exiftool) and develops it upright', { skip: !hasExiftool() }, () => {
    const image = patchImage();
    const dir = mkdtempSync(join(tmpdir(), 'unprocess-'));
    writeFileSync(join(dir, 'in.jpg'), encodeJpeg({ ...image, data: rgba(image.data) }, 95).data);
    execFileSync('exiftool', ['-q', '-n', '-Orientation=6', '-o', join(dir, 'out.jpg'), join(dir, 'in.jpg')]);
    const decoded = unprocessFile(new Uint8Array(readFileSync(join(dir, 'out.jpg'))));
    expect(decoded.metadata.orientation).toBe(6);
    const developed = develop(decoded, { ratio: 1 });
    expect([developed.width, developed.height]).toEqual([image.height, image.width]);
  });

  it('refuses other files and damaged images with a TapetumError', () => {
    const refuse = (bytes: Uint8Array, code: string) => {
      try {
        unprocessFile(bytes);
        expect.unreachable();
      } catch (e) {
        expect(e).toBeInstanceOf(TapetumError);
        expect((e as TapetumError).code).toBe(code);
      }
    };
    refuse(new TextEncoder().encode('hello, not an image'), 'not-dng');
    const png = encodePng({ ...patchImage(), channels: 3 });
    refuse(png.subarray(0, png.length / 2), 'corrupt');
    const jpeg = encodeJpeg({ ...patchImage(), data: rgba(patchImage().data) }, 90).data;
    refuse(new Uint8Array(jpeg.subarray(0, 40)), 'corrupt');
  });
});

function rgba(rgb: Uint8Array): Uint8Array {
  const out = new Uint8Array((rgb.length / 3) * 4).fill(255);
  for (let p = 0; p < rgb.length / 3; p++) out.set(rgb.subarray(p * 3, p * 3 + 3), p * 4);
  return out;
}
