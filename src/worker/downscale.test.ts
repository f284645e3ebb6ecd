import { describe, expect, it } from 'vitest';
import { linearize } from '../pipeline/dng/linearize.ts';
import type { DecodedDng, DngMetadata } from '../pipeline/dng/types.ts';
import { binnedDng, binningFactor } from './downscale.ts';

const BLACK = 600;
const WHITE = 15000;

/** A GRBG mosaic whose linear value at (x, y) is `value(colour, x, y)`. */
function mosaic(width: number, height: number, value: (colour: number, x: number, y: number) => number): DecodedDng {
  const pattern = [1, 0, 2, 1] as const; // GRBG
  const data = new Uint16Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const colour = pattern[(y % 2) * 2 + (x % 2)]!;
      data[y * width + x] = Math.round(BLACK + value(colour, x, y) * (WHITE - BLACK));
    }
  }
  const metadata: DngMetadata = {
    width,
    height,
    bitsPerSample: 14,
    compression: 1,
    photometric: 'cfa',
    samplesPerPixel: 1,
    cfaPattern: [...pattern],
    activeArea: { x: 0, y: 0, width, height },
    defaultCrop: { x: 8, y: 4, width: width - 16, height: height - 8 },
    blackLevel: { repeatRows: 1, repeatCols: 1, values: [BLACK] },
    whiteLevel: [WHITE],
    orientation: 6,
    asShotNeutral: [0.5, 1, 0.4],
    opcodes: [],
  };
  return { metadata, stored: { width, height, samplesPerPixel: 1, data }, warnings: [] };
}

describe('binningFactor', () => {
  it('brings the longest side to at most the limit', () => {
    expect(binningFactor(6000, 4000, 1024)).toBe(6);
    expect(binningFactor(1024, 768, 1024)).toBe(1);
    expect(binningFactor(300, 5000, 1000)).toBe(5);
  });
});

describe('binnedDng', () => {
  it('keeps the pattern and colours, scales the crop, keeps the orientation', () => {
    const flat = [0.2, 0.5, 0.1];
    const decoded = mosaic(64, 48, (colour) => flat[colour]!);
    const small = binnedDng(decoded, linearize(decoded), 4);
    expect(small.metadata.cfaPattern).toEqual([1, 0, 2, 1]);
    expect([small.stored.width, small.stored.height]).toEqual([16, 12]);
    expect(small.metadata.defaultCrop).toEqual({ x: 2, y: 1, width: 12, height: 10 });
    expect(small.metadata.orientation).toBe(6);
    expect(small.metadata.asShotNeutral).toEqual([0.5, 1, 0.4]);
    const linear = linearize(small);
    for (let y = 0; y < 12; y++) {
      for (let x = 0; x < 16; x++) {
        const colour = [1, 0, 2, 1][(y % 2) * 2 + (x % 2)]!;
        // Two roundings to 16 bits (the original's 14-bit codes, then the copy's).
        expect(linear.data[y * 16 + x]).toBeCloseTo(flat[colour]!, 4);
      }
    }
  });

  it('averages each colour over its block: a linear ramp gives its value at the block centre', () => {
    const ramp = (x: number) => 0.05 + 0.004 * x;
    const decoded = mosaic(96, 32, (_colour, x) => ramp(x));
    const factor = 3;
    const linear = linearize(binnedDng(decoded, linearize(decoded), factor));
    for (let x = 0; x < linear.width; x++) {
      // Copy column x (phase p = x % 2) averages sensor columns 2 * factor * floor(x / 2) + p + 2k.
      const first = 2 * factor * Math.floor(x / 2) + (x % 2);
      const centre = first + (factor - 1);
      expect(linear.data[x]).toBeCloseTo(ramp(centre), 4);
    }
  });

  it('keeps values below black, so noise in the dark averages without bias', () => {
    const decoded = mosaic(16, 16, (colour, x, y) => ((x + y) % 4 < 2 ? -0.01 : 0.01) * (colour + 1));
    const linear = linearize(binnedDng(decoded, linearize(decoded), 1));
    const original = linearize(decoded);
    for (let i = 0; i < linear.data.length; i++) expect(linear.data[i]).toBeCloseTo(original.data[i]!, 4);
  });
});
