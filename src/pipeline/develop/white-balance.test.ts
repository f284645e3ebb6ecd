import { describe, expect, it } from 'vitest';
import type { LinearRaw } from '../dng/types.ts';
import { applyRatio } from './normalize.ts';
import { whiteBalance } from './white-balance.ts';

describe('whiteBalance', () => {
  it('multiplies each CFA site by the gain of its colour, for every Bayer phase', () => {
    const data = Float32Array.from([0.1, 0.1, 0.1, 0.1]);
    const cases: [LinearRaw['cfaPattern'], number[]][] = [
      [[0, 1, 1, 2], [0.2, 0.1, 0.1, 0.3]],
      [[1, 0, 2, 1], [0.1, 0.2, 0.3, 0.1]],
      [[1, 2, 0, 1], [0.1, 0.3, 0.2, 0.1]],
      [[2, 1, 1, 0], [0.3, 0.1, 0.1, 0.2]],
    ];
    for (const [pattern, expected] of cases) {
      const out = whiteBalance({ width: 2, height: 2, channels: 1, cfaPattern: pattern, data }, [2, 1, 3]);
      Array.from(out.data).forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, 6));
      expect(out.cfaPattern).toEqual(pattern);
    }
  });

  it('clips at the level where the least-amplified channel saturates, so clipped light is neutral', () => {
    // Neutral (0.5, 1, 0.4): gains 2, 1, 2.5. A highlight past saturation in every channel.
    const rgb: LinearRaw = { width: 2, height: 1, channels: 3, data: Float32Array.from([1, 1, 1, 0.9, 1, 0.3]) };
    const out = whiteBalance(rgb, [2, 1, 2.5]);
    expect(Array.from(out.data.subarray(0, 3))).toEqual([1, 1, 1]);
    // Green clipped, red and blue still recorded: no channel may exceed green's clip (no magenta).
    expect(Array.from(out.data.subarray(3, 6)).map((v) => Math.round(v * 1e6) / 1e6)).toEqual([1, 1, 0.75]);
  });

  it('keeps values below black (noise) unclipped', () => {
    const out = whiteBalance({ width: 1, height: 1, channels: 3, data: Float32Array.from([-0.01, 0.02, 0]) }, [2, 1, 1]);
    expect(out.data[0]).toBeCloseTo(-0.02, 7);
  });
});

describe('applyRatio', () => {
  it('scales normalized linear raw and leaves the input alone', () => {
    const linear: LinearRaw = { width: 2, height: 1, channels: 1, cfaPattern: [0, 1, 1, 2], data: Float32Array.from([0.01, -0.002]) };
    const out = applyRatio(linear, 50);
    expect(Array.from(out.data).map((v) => Math.round(v * 1e6) / 1e6)).toEqual([0.5, -0.1]);
    expect(out.cfaPattern).toEqual([0, 1, 1, 2]);
    expect(linear.data[0]).toBeCloseTo(0.01, 7);
  });
  it('refuses a ratio that is not a positive number', () => {
    const linear: LinearRaw = { width: 1, height: 1, channels: 3, data: new Float32Array(3) };
    for (const ratio of [0, -2, Number.NaN, Number.POSITIVE_INFINITY]) expect(() => applyRatio(linear, ratio)).toThrowError(/positive number/);
  });
});
