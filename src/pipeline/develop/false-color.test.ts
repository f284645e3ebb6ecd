import { existsSync, readFileSync } from 'node:fs';
import { decode as decodeJpeg } from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../tests/prng.ts';
import { demosaic } from './demosaic.ts';
import { suppressFalseColor } from './false-color.ts';

/** Reference for whole passes: each pixel sorts the Float32 differences of its clamped 3x3 window as they were before the pass. */
function referencePasses(input: Float32Array, width: number, height: number, passes: number): Float32Array {
  let rgb = input.slice();
  const clamp = (v: number, n: number) => Math.min(Math.max(v, 0), n - 1);
  for (let pass = 0; pass < passes; pass++) {
    const out = rgb.slice();
    for (const channel of [0, 2]) {
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const window: number[] = [];
          for (let dy = -1; dy <= 1; dy++) {
            for (let dx = -1; dx <= 1; dx++) {
              const j = (clamp(y + dy, height) * width + clamp(x + dx, width)) * 3;
              window.push(Math.fround(rgb[j + channel]! - rgb[j + 1]!));
            }
          }
          window.sort((a, b) => a - b);
          const i = (y * width + x) * 3;
          out[i + channel] = rgb[i + 1]! + window[4]!;
        }
      }
    }
    rgb = out;
  }
  return rgb;
}

describe('suppressFalseColor', () => {
  it('is bit-identical to a per-pixel sorted median over several passes and sizes, ties included', () => {
    const random = mulberry32(12345);
    const sizes = [[1, 1], [1, 6], [6, 1], [2, 2], [2, 7], [7, 2], [3, 5], [37, 23]];
    // Continuous values, and values on a coarse grid so many window entries tie.
    const samplers = [() => random() * 2 - 0.5, () => Math.round(random() * 4) / 4];
    for (const [width, height] of sizes) {
      for (const sample of samplers) {
        for (const passes of [0, 1, 2, 3]) {
          const rgb = Float32Array.from({ length: width! * height! * 3 }, sample);
          const expected = referencePasses(rgb, width!, height!, passes);
          suppressFalseColor(rgb, width!, height!, passes);
          expect(Array.from(new Uint32Array(rgb.buffer)), `${width}x${height}, ${passes} passes`)
            .toEqual(Array.from(new Uint32Array(expected.buffer)));
        }
      }
    }
  });

  it('equals a sort-based 3x3 median of the colour differences, edges included', () => {
    const random = mulberry32(7);
    for (const [width, height] of [[9, 7], [1, 5], [4, 1], [2, 2]]) {
      const rgb = Float32Array.from({ length: width * height * 3 }, random);
      const expected = referencePasses(rgb, width, height, 1);
      suppressFalseColor(rgb, width, height, 1);
      for (let i = 0; i < rgb.length; i++) expect(rgb[i]).toBeCloseTo(expected[i]!, 6);
    }
  });

  it('removes an isolated colour speck and keeps green untouched', () => {
    const [width, height] = [7, 5];
    const clean = (x: number): [number, number, number] => [0.4, 0.3 + 0.01 * x, 0.2];
    const rgb = new Float32Array(width * height * 3);
    for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) rgb.set(clean(x), (y * width + x) * 3);
    const speck = (2 * width + 3) * 3;
    rgb[speck] = 0.9;
    rgb[speck + 2] = 0.05;
    const greens = rgb.filter((_, i) => i % 3 === 1);
    suppressFalseColor(rgb, width, height, 1);
    expect(rgb.filter((_, i) => i % 3 === 1)).toEqual(greens);
    // The colour differences vary linearly along x, so the median restores the clean value.
    expect(rgb[speck]).toBeCloseTo(clean(3)[0], 6);
    expect(rgb[speck + 2]).toBeCloseTo(clean(3)[2], 6);
  });

  const kodak = '../shared/data/clean/kodak';
  if (!existsSync(kodak)) console.warn(`false-color.test: ${kodak} missing, skipping the natural-image check`);
  it.skipIf(!existsSync(kodak))('improves Malvar demosaicing of natural photographs (Kodak, linear light)', () => {
    for (const file of ['0000.jpg', '0012.jpg']) {
      const jpeg = decodeJpeg(readFileSync(`${kodak}/${file}`), { useTArray: true });
      const [width, height] = [256, 256];
      const truth = new Float32Array(width * height * 3);
      const mosaic = new Float32Array(width * height);
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          for (let c = 0; c < 3; c++) truth[(y * width + x) * 3 + c] = (jpeg.data[((y + 100) * jpeg.width + x + 100) * 4 + c]! / 255) ** 2.2;
          mosaic[y * width + x] = truth[(y * width + x) * 3 + [0, 1, 1, 2][(y & 1) * 2 + (x & 1)]!]!;
        }
      }
      const rgb = demosaic({ width, height, channels: 1, cfaPattern: [0, 1, 1, 2], data: mosaic });
      const error = (image: Float32Array) => image.reduce((sum, v, i) => sum + (v - truth[i]!) ** 2, 0);
      const before = error(rgb);
      suppressFalseColor(rgb, width, height, 1);
      const gain = 10 * Math.log10(before / error(rgb));
      console.log(`false colour suppression on kodak/${file}: +${gain.toFixed(2)} dB`);
      expect(gain).toBeGreaterThan(0.3);
    }
  });
});
