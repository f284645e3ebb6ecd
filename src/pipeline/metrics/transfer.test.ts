import { describe, expect, it } from 'vitest';
import { bt709ToLinear, linearToBt709, srgbToLinear } from './transfer.ts';

describe('transfer curves', () => {
  it('decodes sRGB at published points', () => {
    // IEC 61966-2-1: code 0.5 is 21.404% linear; the linear toe ends at 0.04045 -> 0.0031308.
    expect(srgbToLinear(0.5)).toBeCloseTo(0.214041, 6);
    expect(srgbToLinear(0.04045)).toBeCloseTo(0.0031308, 7);
    expect(srgbToLinear(1)).toBe(1);
    expect(srgbToLinear(0)).toBe(0);
  });

  it('encodes BT.709 at published points', () => {
    // ITU-R BT.709: V = 4.5 L below L = 0.018, V = 1.099 L^0.45 - 0.099 above.
    expect(linearToBt709(0.01)).toBeCloseTo(0.045, 12);
    expect(linearToBt709(0.5)).toBeCloseTo(1.099 * 0.5 ** 0.45 - 0.099, 12);
    expect(linearToBt709(1)).toBeCloseTo(1, 12);
    // The standard's rounded constants leave a step of about 2.5e-4 where the segments meet.
    expect(Math.abs(linearToBt709(0.018) - linearToBt709(0.01799999))).toBeLessThan(3e-4);
  });

  it('inverts BT.709', () => {
    for (const l of [0, 0.001, 0.017, 0.019, 0.1, 0.3, 0.77, 1]) {
      expect(bt709ToLinear(linearToBt709(l))).toBeCloseTo(l, 4);
    }
  });

  it('clamps out-of-range values instead of producing NaN', () => {
    expect(srgbToLinear(-0.2)).toBe(0);
    expect(bt709ToLinear(1.3)).toBe(1);
    expect(linearToBt709(-0.01)).toBe(0);
  });
});
