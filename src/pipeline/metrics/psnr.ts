import { assertSameShape, type UnitImage } from './unit-image.ts';

/** Peak signal-to-noise ratio in dB over all samples, for data in [0, 1] (peak 1). */
export function psnr(a: UnitImage, b: UnitImage): number {
  assertSameShape(a, b);
  let sumSquares = 0;
  for (let i = 0; i < a.data.length; i++) {
    const d = a.data[i] - b.data[i];
    sumSquares += d * d;
  }
  const mse = sumSquares / a.data.length;
  return -10 * Math.log10(mse);
}
