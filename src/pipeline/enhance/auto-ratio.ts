/**
 * Automatic amplification: the ratio that brings the bright end of the scene to a fixed level.
 *
 * Statistic: the 99th percentile of luminance over blocks of 4x4 packed pixels (8x8 sensor
 * pixels) of the white-balanced packed raw at ratio 1, luminance being the mean of the four
 * packed channels. Block means average the shot noise of a dark frame away (which would
 * otherwise inflate a high percentile), and the 99th percentile ignores small specular
 * highlights and lamps while following the well-lit part of the scene.
 * Target: that percentile lands at 0.18 of the clipping level (linear). The sid-dev references
 * (LibRaw, no auto-brightness) put it between 0.065 and 0.243 at their ratios, geometric mean
 * 0.17, so the auto ratio reproduces their brightness; the user can brighten further.
 * The result is clamped to [1, 300]: below 1 the photo is not dark, above 300 noise dominates.
 */
import type { DngMetadata, LinearRaw } from '../dng/types.ts';
import type { PackedBayer } from '../develop/pack.ts';
import { networkInput } from './network-input.ts';

export const AUTO_RATIO_MIN = 1;
export const AUTO_RATIO_MAX = 300;
const TARGET_LEVEL = 0.18;
const PERCENTILE = 0.99;
const BLOCK = 4;

/** Mean of the four channels over each BLOCK x BLOCK block of packed pixels (partial blocks dropped). */
function blockLuminance(packed: PackedBayer): Float32Array {
  const blocksX = Math.floor(packed.width / BLOCK);
  const blocksY = Math.floor(packed.height / BLOCK);
  const sums = new Float32Array(blocksX * blocksY);
  for (let y = 0; y < blocksY * BLOCK; y++) {
    const rowStart = y * packed.width * 4;
    const blockRow = Math.floor(y / BLOCK) * blocksX;
    for (let x = 0; x < blocksX * BLOCK; x++) {
      const i = rowStart + x * 4;
      sums[blockRow + Math.floor(x / BLOCK)] += packed.data[i]! + packed.data[i + 1]! + packed.data[i + 2]! + packed.data[i + 3]!;
    }
  }
  const scale = 1 / (4 * BLOCK * BLOCK);
  for (let i = 0; i < sums.length; i++) sums[i] = sums[i]! * scale;
  return sums;
}

/** The ratio for a white-balanced packed raw at ratio 1 (`networkInput(linear, metadata, 1)`). */
export function chooseRatio(packed: PackedBayer): number {
  const luminance = blockLuminance(packed).sort();
  if (luminance.length === 0) return AUTO_RATIO_MIN;
  const level = luminance[Math.min(luminance.length - 1, Math.floor(PERCENTILE * luminance.length))]!;
  if (!(level > 0)) return AUTO_RATIO_MAX;
  return Math.min(Math.max(TARGET_LEVEL / level, AUTO_RATIO_MIN), AUTO_RATIO_MAX);
}

/** The automatic ratio of a linearized CFA raw. */
export function autoRatio(linear: LinearRaw, metadata: DngMetadata): number {
  return chooseRatio(networkInput(linear, metadata, 1));
}
