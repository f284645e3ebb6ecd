import { describe, expect, it } from 'vitest';
import { exposureGain, renderSrgb16, srgbCode16 } from './tone.ts';
import { srgbEncode } from './srgb.ts';

describe('16-bit sRGB rendering', () => {
  it('srgbCode16 is within half a code of the exact curve everywhere', () => {
    let worst = 0;
    for (let k = 0; k <= 200000; k++) {
      const linear = (k / 200000) ** 3; // dense near black, where the curve is steepest
      worst = Math.max(worst, Math.abs(srgbCode16(linear) - srgbEncode(linear) * 65535));
    }
    expect(worst).toBeLessThanOrEqual(0.51);
    expect([srgbCode16(-1), srgbCode16(0), srgbCode16(1), srgbCode16(3)]).toEqual([0, 0, 65535, 65535]);
  });
  it('applies the matrix before the curve', () => {
    const image = renderSrgb16(Float32Array.from([0.5, 0.25, 0.1]), 1, 1, [0, 1, 0, 1, 0, 0, 0, 0, 2]);
    expect(Array.from(image.data)).toEqual([srgbCode16(0.25), srgbCode16(0.5), srgbCode16(0.2)]);
  });
  it('turns BaselineExposure stops into a gain', () => {
    expect(exposureGain(undefined)).toBe(1);
    expect(exposureGain(-1)).toBe(0.5);
    expect(exposureGain(0.5)).toBeCloseTo(Math.SQRT2, 12);
  });
});
