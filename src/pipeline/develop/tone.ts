/** Rendering: camera RGB through the colour matrix, then the sRGB curve, to 16-bit codes. */
import type { Matrix3 } from '../dng/types.ts';
import type { RgbImage } from '../image/rgb-image.ts';
import { srgbEncode } from './srgb.ts';

/** Exposure gain of a DNG BaselineExposure (in stops). */
export function exposureGain(baselineExposure: number | undefined): number {
  return 2 ** (baselineExposure ?? 0);
}

const TABLE_STEPS = 65536;

/**
 * srgbEncode(i / TABLE_STEPS) x 65535 for i = 0..TABLE_STEPS. Interpolated linearly, it is
 * within 0.01 of a 16-bit code of the exact curve (its curvature is small at this spacing).
 */
const SRGB_CODES = (() => {
  const table = new Float64Array(TABLE_STEPS + 1);
  for (let i = 0; i <= TABLE_STEPS; i++) table[i] = srgbEncode(i / TABLE_STEPS) * 65535;
  return table;
})();

/** 16-bit sRGB code of a linear value; outside [0, 1] clips. */
export function srgbCode16(linear: number): number {
  if (!(linear > 0)) return 0;
  if (linear >= 1) return 65535;
  const position = linear * TABLE_STEPS;
  const i = position | 0; // floor: position is positive and below 2^31
  const below = SRGB_CODES[i]!;
  // Adding 0.5 and truncating rounds, as the codes are positive; cheaper than Math.round.
  return ((below + (SRGB_CODES[i + 1]! - below) * (position - i) + 0.5) | 0);
}

/** Applies `cameraToSrgb` to every pixel of interleaved RGB and encodes it as 16-bit sRGB. */
export function renderSrgb16(rgb: Float32Array, width: number, height: number, cameraToSrgb: Matrix3): RgbImage {
  const [m0, m1, m2, m3, m4, m5, m6, m7, m8] = cameraToSrgb;
  const data = new Uint16Array(width * height * 3);
  for (let i = 0; i < data.length; i += 3) {
    const r = rgb[i]!;
    const g = rgb[i + 1]!;
    const b = rgb[i + 2]!;
    data[i] = srgbCode16(m0 * r + m1 * g + m2 * b);
    data[i + 1] = srgbCode16(m3 * r + m4 * g + m5 * b);
    data[i + 2] = srgbCode16(m6 * r + m7 * g + m8 * b);
  }
  return { width, height, data };
}
