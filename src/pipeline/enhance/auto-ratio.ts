/**
 * Automatic amplification: the ratio that brings the bright end of the scene to a fixed level.
 *
 * Statistic: the 99th percentile of luminance over blocks of 4x4 packed pixels (8x8 sensor
 * pixels) of the white-balanced packed raw at ratio 1 (`networkInput(linear, metadata, 1, 0)`),
 * luminance being the mean of the four packed channels. Block means average the shot noise of
 * a dark frame away (which would otherwise inflate a high percentile), and the 99th percentile
 * ignores small specular highlights and lamps while following the well-lit part of the scene.
 * Target: that percentile lands at 0.18 of the clipping level (linear). The sid-dev references
 * (LibRaw, no auto-brightness) put it between 0.065 and 0.243 at their ratios, geometric mean
 * 0.17, so the auto ratio reproduces their brightness; the user can brighten further.
 * The result is clamped to [1, 300]: below 1 the photo is not dark, above 300 noise dominates.
 *
 * The blocks are read straight from the mosaic, with packBayer's geometry, clipping and
 * float32 rounding, rather than from a packed copy: the same numbers without building a
 * 48 MB array at 12 MP.
 */
import type { DngMetadata, LinearRaw } from '../dng/types.ts';
import { bayerOrigin, mosaicOf } from '../develop/pack.ts';
import type { Vec3 } from '../develop/matrix.ts';
import { networkGains } from './network-input.ts';

export const AUTO_RATIO_MIN = 1;
export const AUTO_RATIO_MAX = 300;
const TARGET_LEVEL = 0.18;
const PERCENTILE = 0.99;
const BLOCK = 4;

/** The automatic ratio of a linearized CFA raw. */
export function autoRatio(linear: LinearRaw, metadata: DngMetadata): number {
  const luminance = blockLuminance(linear, networkGains(metadata));
  if (luminance.length === 0) return AUTO_RATIO_MIN;
  const level = nthSmallest(luminance, Math.min(luminance.length - 1, Math.floor(PERCENTILE * luminance.length)));
  if (!(level > 0)) return AUTO_RATIO_MAX;
  return Math.min(Math.max(TARGET_LEVEL / level, AUTO_RATIO_MIN), AUTO_RATIO_MAX);
}

/**
 * Mean of the four packed channels (R, G1, B, G2 of `packBayer(linear, { gains })`) over each
 * BLOCK x BLOCK block of packed pixels, partial blocks dropped. Summed in packBayer's channel
 * order, row by row, with each packed value and each running sum rounded to float32, so the
 * result equals the block means of the packed array itself (auto-ratio.test.ts checks it).
 */
function blockLuminance(linear: LinearRaw, [gainR, gainG, gainB]: Vec3): Float32Array {
  const origin = bayerOrigin(mosaicOf(linear));
  const stride = linear.width;
  const source = linear.data;
  const blocksX = Math.floor(Math.floor((linear.width - origin.x) / 2) / BLOCK);
  const blocksY = Math.floor(Math.floor((linear.height - origin.y) / 2) / BLOCK);
  const sums = new Float32Array(blocksX * blocksY);
  const packed = (v: number, gain: number) => Math.fround(Math.min(Math.max(v, 0), 1) * gain);
  for (let y = 0; y < blocksY * BLOCK; y++) {
    const blockRow = Math.floor(y / BLOCK) * blocksX;
    let top = (origin.y + 2 * y) * stride + origin.x;
    for (let bx = 0; bx < blocksX; bx++) {
      let sum = sums[blockRow + bx]!;
      for (let x = 0; x < BLOCK; x++, top += 2) {
        const quad = packed(source[top]!, gainR) + packed(source[top + 1]!, gainG) + packed(source[top + stride + 1]!, gainB) + packed(source[top + stride]!, gainG);
        sum = Math.fround(sum + quad);
      }
      sums[blockRow + bx] = sum;
    }
  }
  const scale = 1 / (4 * BLOCK * BLOCK);
  for (let i = 0; i < sums.length; i++) sums[i] = sums[i]! * scale;
  return sums;
}

/**
 * The value at index k of `values` sorted ascending, NaN last as Float32Array.sort puts it;
 * reorders `values`. Quickselect with a median-of-three pivot and Hoare partitioning, which
 * stays balanced on runs of equal values (a flat frame).
 */
function nthSmallest(values: Float32Array, k: number): number {
  let count = 0;
  for (let i = 0; i < values.length; i++) if (!Number.isNaN(values[i])) values[count++] = values[i]!;
  if (k >= count) return NaN;
  let lo = 0;
  let hi = count - 1;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const a = values[lo]!;
    const b = values[mid]!;
    const c = values[hi]!;
    const pivot = a < b ? (b < c ? b : a < c ? c : a) : a < c ? a : b < c ? c : b;
    let i = lo;
    let j = hi;
    while (i <= j) {
      while (values[i]! < pivot) i++;
      while (values[j]! > pivot) j--;
      if (i <= j) {
        const swap = values[i]!;
        values[i++] = values[j]!;
        values[j--] = swap;
      }
    }
    // Now values[lo..j] <= pivot <= values[i..hi], and anything between equals the pivot.
    if (k <= j) hi = j;
    else if (k >= i) lo = i;
    else return values[k]!;
  }
  return values[k]!;
}
