import { describe, expect, it } from 'vitest';
import { CODE8_OF_CODE16 } from '../image/rgb-image.ts';
import { exposureGain, renderSrgb, srgbCode16, srgbCode8 } from './tone.ts';
import { srgbEncode } from './srgb.ts';

describe('sRGB rendering', () => {
  it('srgbCode16 is within half a code of the exact curve everywhere', () => {
    let worst = 0;
    for (let k = 0; k <= 200000; k++) {
      const linear = (k / 200000) ** 3; // dense near black, where the curve is steepest
      worst = Math.max(worst, Math.abs(srgbCode16(linear) - srgbEncode(linear) * 65535));
    }
    expect(worst).toBeLessThanOrEqual(0.51);
    expect([srgbCode16(-1), srgbCode16(0), srgbCode16(1), srgbCode16(3)]).toEqual([0, 0, 65535, 65535]);
  });
  it('srgbCode8 is srgbCode16 rounded to 8 bits, at and around every step of its table', () => {
    const mismatches: number[] = [];
    const check = (linear: number) => {
      if (srgbCode8(linear) !== CODE8_OF_CODE16[srgbCode16(linear)]) mismatches.push(linear);
    };
    for (let k = 0; k <= 65536; k++) {
      const edge = k / 65536;
      check(edge);
      check(edge - 2 ** -40);
      check(edge + 0.37 / 65536);
    }
    for (let k = 0; k <= 200000; k++) check((k / 200000) ** 3);
    expect(mismatches).toEqual([]);
    expect([srgbCode8(-1), srgbCode8(0), srgbCode8(1), srgbCode8(3), srgbCode8(Number.NaN)]).toEqual([0, 0, 255, 255, 0]);
  });
  it('applies the matrix before the curve', () => {
    const image = renderSrgb(Float32Array.from([0.5, 0.25, 0.1]), 1, { x: 0, y: 0, width: 1, height: 1 }, [0, 1, 0, 1, 0, 0, 0, 0, 2], 'rgb16');
    expect(Array.from(image.data)).toEqual([srgbCode16(0.25), srgbCode16(0.5), srgbCode16(0.2)]);
  });
  it('renders only the given rectangle, as 16-bit RGB or as the same codes in 8-bit RGBA', () => {
    // 3 x 2 pixels, each with its own grey level.
    const rgb = Float32Array.from([0.01, 0.05, 0.1, 0.2, 0.4, 0.8].flatMap((v) => [v, v, v]));
    const rect = { x: 1, y: 0, width: 2, height: 2 };
    const identity: [number, number, number, number, number, number, number, number, number] = [1, 0, 0, 0, 1, 0, 0, 0, 1];
    const rgb16 = renderSrgb(rgb, 3, rect, identity, 'rgb16');
    const rgba8 = renderSrgb(rgb, 3, rect, identity, 'rgba8');
    const levels = [0.05, 0.1, 0.4, 0.8];
    expect([rgb16.width, rgb16.height, rgba8.width, rgba8.height]).toEqual([2, 2, 2, 2]);
    expect(Array.from(rgb16.data)).toEqual(levels.flatMap((v) => [srgbCode16(v), srgbCode16(v), srgbCode16(v)]));
    expect(Array.from(rgba8.data)).toEqual(levels.flatMap((v) => {
      const code = CODE8_OF_CODE16[srgbCode16(v)]!;
      return [code, code, code, 255];
    }));
  });
  it('turns BaselineExposure stops into a gain', () => {
    expect(exposureGain(undefined)).toBe(1);
    expect(exposureGain(-1)).toBe(0.5);
    expect(exposureGain(0.5)).toBeCloseTo(Math.SQRT2, 12);
  });
});
