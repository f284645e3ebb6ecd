import { describe, expect, it } from 'vitest';
import type { RgbImage } from '../image/rgb-image.ts';
import { cropRect } from './crop.ts';
import { orient } from './orientation.ts';

/**
 * A 3x2 image whose pixels are numbered 1..6 (all three samples equal):
 *   1 2 3
 *   4 5 6
 */
const STORED: RgbImage = { width: 3, height: 2, data: Uint16Array.from([1, 2, 3, 4, 5, 6].flatMap((v) => [v, v, v])) };

function pixels(image: RgbImage): number[][] {
  const rows: number[][] = [];
  for (let y = 0; y < image.height; y++) rows.push(Array.from({ length: image.width }, (_, x) => image.data[(y * image.width + x) * 3]!));
  return rows;
}

describe('orient', () => {
  // What a viewer shows for each EXIF orientation of the stored image (TIFF 6.0, tag 274).
  const upright: Record<number, number[][]> = {
    1: [[1, 2, 3], [4, 5, 6]],
    2: [[3, 2, 1], [6, 5, 4]], // mirrored horizontally
    3: [[6, 5, 4], [3, 2, 1]], // rotated 180
    4: [[4, 5, 6], [1, 2, 3]], // mirrored vertically
    5: [[1, 4], [2, 5], [3, 6]], // transposed: stored row 0 is the left column
    6: [[4, 1], [5, 2], [6, 3]], // rotated 90 clockwise: stored row 0 is the right column
    7: [[6, 3], [5, 2], [4, 1]], // transversed
    8: [[3, 6], [2, 5], [1, 4]], // rotated 90 counter-clockwise
  };
  for (const [orientation, expected] of Object.entries(upright)) {
    it(`orientation ${orientation}`, () => {
      const out = orient(STORED, Number(orientation));
      expect(pixels(out)).toEqual(expected);
      expect(out.data.length).toBe(STORED.data.length);
    });
  }
  it('keeps the three samples of a pixel together', () => {
    const image: RgbImage = { width: 2, height: 1, data: Uint16Array.from([10, 20, 30, 40, 50, 60]) };
    expect(Array.from(orient(image, 6).data)).toEqual([10, 20, 30, 40, 50, 60]);
    expect(Array.from(orient(image, 2).data)).toEqual([40, 50, 60, 10, 20, 30]);
  });
  it('keeps the four samples of an 8-bit RGBA pixel together', () => {
    const image = { width: 2, height: 1, data: Uint8ClampedArray.from([1, 2, 3, 255, 4, 5, 6, 255]) };
    const turned = orient(image, 8);
    expect([turned.width, turned.height, turned.data instanceof Uint8ClampedArray]).toEqual([1, 2, true]);
    expect(Array.from(turned.data)).toEqual([4, 5, 6, 255, 1, 2, 3, 255]);
  });
  it('leaves unknown orientations as stored', () => {
    expect(orient(STORED, 0)).toBe(STORED);
    expect(orient(STORED, 9)).toBe(STORED);
  });
});

describe('cropRect', () => {
  it('is the DefaultCrop rectangle in whole pixels', () => {
    expect(cropRect({ x: 1, y: 0, width: 2, height: 2 }, 3, 2)).toEqual({ x: 1, y: 0, width: 2, height: 2 });
    expect(cropRect({ x: 0.4, y: 0.6, width: 2.6, height: 1 }, 3, 2)).toEqual({ x: 0, y: 1, width: 3, height: 1 });
  });
  it('clamps a rectangle reaching outside, and takes the whole image for an empty one', () => {
    expect(cropRect({ x: 2, y: 1, width: 5, height: 5 }, 3, 2)).toEqual({ x: 2, y: 1, width: 1, height: 1 });
    expect(cropRect({ x: 0, y: 0, width: 0, height: 0 }, 3, 2)).toEqual({ x: 0, y: 0, width: 3, height: 2 });
  });
});
