/**
 * The normalization contract shared by every development path:
 *   normalized linear raw = (linearized - black) / (white - black) x ratio
 * The decoder's `linearize` returns the part before "x ratio" (0 = black, 1 = the sensor's
 * clipping point); `applyRatio` brings a dark exposure up to the intended brightness.
 */
import { TapetumError } from '../errors.ts';
import type { LinearRaw } from '../dng/types.ts';

/** Refuses a ratio that is not a finite positive number. */
export function checkRatio(ratio: number): void {
  if (!(Number.isFinite(ratio) && ratio > 0)) {
    throw new TapetumError('unsupported', `The brightening ratio must be a positive number, not ${ratio}. Try a value such as 100.`);
  }
}

export function applyRatio(linear: LinearRaw, ratio: number): LinearRaw {
  checkRatio(ratio);
  const data = new Float32Array(linear.data.length);
  for (let i = 0; i < data.length; i++) data[i] = linear.data[i]! * ratio;
  return { ...linear, data };
}
