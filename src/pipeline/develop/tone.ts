/** Rendering: camera RGB through the colour matrix, then the sRGB curve, to 16-bit or 8-bit codes. */
import type { Matrix3, Rect } from '../dng/types.ts';
import { CODE8_OF_CODE16, type RgbaImage8, type RgbImage } from '../image/rgb-image.ts';
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

/** Buckets of linear values in the 8-bit table (a power of two: linear x CODE8_BUCKETS is exact). */
const CODE8_BUCKETS = 65536;

/**
 * For each bucket [k, k + 1) / CODE8_BUCKETS of linear values, the 8-bit code of srgbCode16 when
 * it is the same at both ends (srgbCode16 is monotonic, so then across the bucket), else -1: the
 * 255 buckets that hold a step between two 8-bit codes take the exact path.
 */
const CODE8_OF_BUCKET = (() => {
  const table = new Int16Array(CODE8_BUCKETS);
  for (let k = 0; k < CODE8_BUCKETS; k++) {
    const low = CODE8_OF_CODE16[srgbCode16(k / CODE8_BUCKETS)]!;
    table[k] = low === CODE8_OF_CODE16[srgbCode16((k + 1) / CODE8_BUCKETS)] ? low : -1;
  }
  return table;
})();

/** srgbCode16 rounded to 8 bits, as an 8-bit export rounds it, mostly from one table lookup. */
export function srgbCode8(linear: number): number {
  if (!(linear > 0)) return 0;
  if (linear >= 1) return 255;
  const code = CODE8_OF_BUCKET[(linear * CODE8_BUCKETS) | 0]!;
  return code >= 0 ? code : CODE8_OF_CODE16[srgbCode16(linear)]!;
}

/**
 * What rendering produces: 16-bit sRGB codes, 3 channels (export, the CLI), or the same codes
 * rounded to 8 bits in opaque RGBA (display: the screen shows what an 8-bit PNG would hold).
 */
export type RenderTarget = 'rgb16' | 'rgba8';

/**
 * One row of `count` camera RGB pixels from `rgb[i]` through `m`, encoded into `out` from
 * pixel `o`. One loop per target, each with one array type and one encoder: a shared loop
 * picking both at run time turned polymorphic in V8 once both targets had run (the display
 * after an export). 12 MP to RGBA in Node: shared loop 300-400 ms before that, 630-970 ms
 * after; these loops 250-450 ms either way, within this VM's noise.
 */
function rowToRgb16(rgb: Float32Array, i: number, count: number, m: Matrix3, out: Uint16Array, o: number): void {
  const [m0, m1, m2, m3, m4, m5, m6, m7, m8] = m;
  for (let j = o * 3, end = i + count * 3; i < end; i += 3, j += 3) {
    const r = rgb[i]!;
    const g = rgb[i + 1]!;
    const b = rgb[i + 2]!;
    out[j] = srgbCode16(m0 * r + m1 * g + m2 * b);
    out[j + 1] = srgbCode16(m3 * r + m4 * g + m5 * b);
    out[j + 2] = srgbCode16(m6 * r + m7 * g + m8 * b);
  }
}

function rowToRgba8(rgb: Float32Array, i: number, count: number, m: Matrix3, out: Uint8Array, o: number): void {
  const [m0, m1, m2, m3, m4, m5, m6, m7, m8] = m;
  for (let j = o * 4, end = i + count * 3; i < end; i += 3, j += 4) {
    const r = rgb[i]!;
    const g = rgb[i + 1]!;
    const b = rgb[i + 2]!;
    out[j] = srgbCode8(m0 * r + m1 * g + m2 * b);
    out[j + 1] = srgbCode8(m3 * r + m4 * g + m5 * b);
    out[j + 2] = srgbCode8(m6 * r + m7 * g + m8 * b);
    out[j + 3] = 255;
  }
}

/**
 * Applies `cameraToSrgb` to the pixels of `rect` of interleaved camera RGB `width` pixels wide,
 * then the sRGB curve, encoded for `target`.
 */
export function renderSrgb(rgb: Float32Array, width: number, rect: Rect, cameraToSrgb: Matrix3, target: 'rgb16'): RgbImage;
export function renderSrgb(rgb: Float32Array, width: number, rect: Rect, cameraToSrgb: Matrix3, target: 'rgba8'): RgbaImage8;
export function renderSrgb(rgb: Float32Array, width: number, rect: Rect, cameraToSrgb: Matrix3, target: RenderTarget): RgbImage | RgbaImage8;
export function renderSrgb(rgb: Float32Array, width: number, rect: Rect, cameraToSrgb: Matrix3, target: RenderTarget): RgbImage | RgbaImage8 {
  const pixels = rect.width * rect.height;
  const forEachRow = (row: (i: number, o: number) => void) => {
    for (let y = 0; y < rect.height; y++) row(((rect.y + y) * width + rect.x) * 3, y * rect.width);
  };
  if (target === 'rgb16') {
    const data = new Uint16Array(pixels * 3);
    forEachRow((i, o) => rowToRgb16(rgb, i, rect.width, cameraToSrgb, data, o));
    return { width: rect.width, height: rect.height, data };
  }
  // Written as plain bytes (the codes are in range already; clamped stores cost more), handed out clamped for ImageData.
  const bytes = new Uint8Array(pixels * 4);
  forEachRow((i, o) => rowToRgba8(rgb, i, rect.width, cameraToSrgb, bytes, o));
  return { width: rect.width, height: rect.height, data: new Uint8ClampedArray(bytes.buffer) };
}
