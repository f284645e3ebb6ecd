import { describe, expect, it } from 'vitest';
import { TapetumError } from '../errors.ts';
import type { CfaColor, LinearRaw } from '../dng/types.ts';
import { bayerOrigin, bayerPacker, packBayer, unpackBayer } from './pack.ts';

type Pattern = [CfaColor, CfaColor, CfaColor, CfaColor];
const PATTERNS: Record<string, Pattern> = { RGGB: [0, 1, 1, 2], GRBG: [1, 0, 2, 1], GBRG: [1, 2, 0, 1], BGGR: [2, 1, 1, 0] };

/**
 * A mosaic whose every pixel encodes its colour and position: colour + 10 * (x + 100 * y),
 * scaled into [0, 1), so a packed value tells which input pixel it came from.
 */
function labelledMosaic(width: number, height: number, pattern: Pattern): LinearRaw {
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data[y * width + x] = (pattern[(y & 1) * 2 + (x & 1)]! + 10 * (x + 100 * y)) / 1e6;
  }
  return { width, height, channels: 1, cfaPattern: pattern, data };
}

function decodeLabel(value: number): { colour: number; x: number; y: number } {
  const label = Math.round(value * 1e6);
  const position = Math.floor(label / 10);
  return { colour: label % 10, x: position % 100, y: Math.floor(position / 100) };
}

describe('packBayer', () => {
  for (const [name, pattern] of Object.entries(PATTERNS)) {
    for (const [width, height] of [[8, 6], [9, 7]]) {
      it(`${name} ${width}x${height}: channels R, G1, B, G2 come from the documented pixels`, () => {
        const packed = packBayer(labelledMosaic(width, height, pattern));
        const origin = bayerOrigin(pattern);
        expect(packed.width).toBe(Math.floor((width - origin.x) / 2));
        expect(packed.height).toBe(Math.floor((height - origin.y) / 2));
        expect(packed.region).toEqual({ x: origin.x, y: origin.y, width: packed.width * 2, height: packed.height * 2 });
        for (let y = 0; y < packed.height; y++) {
          for (let x = 0; x < packed.width; x++) {
            const at = (c: number) => decodeLabel(packed.data[(y * packed.width + x) * 4 + c]!);
            const rx = origin.x + 2 * x;
            const ry = origin.y + 2 * y;
            expect(at(0)).toEqual({ colour: 0, x: rx, y: ry });
            expect(at(1)).toEqual({ colour: 1, x: rx + 1, y: ry }); // G1: red row
            expect(at(2)).toEqual({ colour: 2, x: rx + 1, y: ry + 1 });
            expect(at(3)).toEqual({ colour: 1, x: rx, y: ry + 1 }); // G2: blue row
          }
        }
      });
    }
  }

  it('unpackBayer puts every value back on its site and zeroes the dropped edges', () => {
    for (const pattern of Object.values(PATTERNS)) {
      const mosaic = labelledMosaic(9, 7, pattern);
      const packed = packBayer(mosaic);
      const back = unpackBayer(packed, mosaic);
      const { x: rx, y: ry, width: rw, height: rh } = packed.region;
      for (let y = 0; y < 7; y++) {
        for (let x = 0; x < 9; x++) {
          const inside = x >= rx && x < rx + rw && y >= ry && y < ry + rh;
          expect(back.data[y * 9 + x]).toBe(inside ? mosaic.data[y * 9 + x] : 0);
        }
      }
    }
  });

  it('packs any part of a row on demand, at any offset of the output', () => {
    for (const [name, pattern] of Object.entries(PATTERNS)) {
      const packer = bayerPacker(labelledMosaic(13, 11, pattern));
      const { x: ox, y: oy } = bayerOrigin(pattern);
      const into = new Float32Array(20).fill(-1);
      // Packed pixels 2..4 of packed row 3, written from float 5.
      packer.packRow(3, 2, 3, into, 5);
      expect(into.subarray(0, 5).every((v) => v === -1) && into.subarray(17).every((v) => v === -1), name).toBe(true);
      for (let i = 0; i < 3; i++) {
        const sites = [[0, 0], [1, 0], [1, 1], [0, 1]] as const;
        sites.forEach(([dx, dy], c) => {
          expect(decodeLabel(into[5 + 4 * i + c]!), `${name} pixel ${i} channel ${c}`).toEqual({
            colour: [0, 1, 2, 1][c],
            x: ox + 2 * (2 + i) + dx,
            y: oy + 2 * 3 + dy,
          });
        });
      }
    }
  });

  it('applies ratio, clips to [0, 1], then multiplies by the white-balance gains', () => {
    const mosaic: LinearRaw = { width: 2, height: 2, channels: 1, cfaPattern: PATTERNS.RGGB!, data: Float32Array.from([0.004, 0.02, -0.001, 0.5]) };
    const packed = packBayer(mosaic, { ratio: 100, gains: [2, 1, 1.5] });
    // R 0.4 x 2, G1 1 (clipped 2.0), B 1 (clipped 50) x 1.5, G2 0 (clipped -0.1).
    expect(Array.from(packed.data).map((v) => Math.round(v * 1e6) / 1e6)).toEqual([0.8, 1, 1.5, 0]);
  });

  it('adds the offset before the ratio (the code centring), then clips', () => {
    const mosaic: LinearRaw = { width: 2, height: 2, channels: 1, cfaPattern: PATTERNS.RGGB!, data: Float32Array.from([0.004, 0.02, 0, -0.003]) };
    const packed = packBayer(mosaic, { offset: 0.001, ratio: 100 });
    // R 0.005 x 100, G1 0.021 x 100 clipped, B -0.002 x 100 clipped, G2 0.001 x 100.
    expect(Array.from(packed.data).map((v) => Math.round(v * 1e6) / 1e6)).toEqual([0.5, 1, 0, 0.1]);
  });

  it('refuses a pattern that is not Bayer and an image without a mosaic', () => {
    expect(() => bayerOrigin([0, 1, 2, 1])).toThrowError(TapetumError);
    expect(() => bayerOrigin([0, 0, 1, 2])).toThrowError(TapetumError);
    const rgb: LinearRaw = { width: 2, height: 2, channels: 3, data: new Float32Array(12) };
    expect(() => packBayer(rgb)).toThrowError(/already RGB/);
  });
});
