/**
 * Chromaticity helpers: CIE xy <-> XYZ, and correlated colour temperature by Robertson's
 * method (isotemperature lines of Wyszecki & Stiles, table 1(3.11), in CIE 1960 uv).
 */
import type { Vec3 } from './matrix.ts';

export type Xy = [number, number];

/** CIE 1931 2-degree white points. */
export const D50_XY: Xy = [0.34567, 0.3585];
export const D65_XY: Xy = [0.3127, 0.329];

/** XYZ with Y = 1. */
export function xyToXyz([x, y]: Xy): Vec3 {
  return [x / y, 1, (1 - x - y) / y];
}

export function xyzToXy([X, Y, Z]: Vec3): Xy {
  const sum = X + Y + Z;
  return [X / sum, Y / sum];
}

/** Reciprocal megakelvin (mired), u, v, slope of the isotemperature line. */
const ISOTEMPERATURE_LINES: readonly (readonly [number, number, number, number])[] = [
  [0, 0.18006, 0.26352, -0.24341],
  [10, 0.18066, 0.26589, -0.25479],
  [20, 0.18133, 0.26846, -0.26876],
  [30, 0.18208, 0.27119, -0.28539],
  [40, 0.18293, 0.27407, -0.3047],
  [50, 0.18388, 0.27709, -0.32675],
  [60, 0.18494, 0.28021, -0.35156],
  [70, 0.18611, 0.28342, -0.37915],
  [80, 0.1874, 0.28668, -0.40955],
  [90, 0.1888, 0.28997, -0.44278],
  [100, 0.19032, 0.29326, -0.47888],
  [125, 0.19462, 0.30141, -0.58204],
  [150, 0.19962, 0.30921, -0.70471],
  [175, 0.20525, 0.31647, -0.84901],
  [200, 0.21142, 0.32312, -1.0182],
  [225, 0.21807, 0.32909, -1.2168],
  [250, 0.22511, 0.33439, -1.4512],
  [275, 0.23247, 0.33904, -1.7298],
  [300, 0.2401, 0.34308, -2.0637],
  [325, 0.24792, 0.34655, -2.4681],
  [350, 0.25591, 0.34951, -2.9641],
  [375, 0.264, 0.352, -3.5814],
  [400, 0.27218, 0.35407, -4.3633],
  [425, 0.28039, 0.35577, -5.3762],
  [450, 0.28863, 0.35714, -6.7262],
  [475, 0.29685, 0.35823, -8.5955],
  [500, 0.30505, 0.35907, -11.324],
  [525, 0.3132, 0.35968, -15.628],
  [550, 0.32129, 0.36011, -23.325],
  [575, 0.32931, 0.36038, -40.77],
  [600, 0.33724, 0.36051, -116.45],
];

/** Temperatures beyond the table (above 1e6 K, below 1667 K) are clamped to its ends. */
const MIN_MIRED = 1;
const MAX_MIRED = 600;

function xyToUv([x, y]: Xy): [number, number] {
  const d = -2 * x + 12 * y + 3;
  return [(4 * x) / d, (6 * y) / d];
}

function uvToXy([u, v]: [number, number]): Xy {
  const d = 2 * u - 8 * v + 4;
  return [(3 * u) / d, (2 * v) / d];
}

/** Signed distance of (u, v) from isotemperature line i. */
function lineDistance(i: number, u: number, v: number): number {
  const [, ui, vi, ti] = ISOTEMPERATURE_LINES[i]!;
  return (v - vi - ti * (u - ui)) / Math.sqrt(1 + ti * ti);
}

/** Correlated colour temperature in kelvin of a chromaticity (Robertson's method). */
export function cctFromXy(xy: Xy): number {
  const [u, v] = xyToUv(xy);
  let previous = lineDistance(0, u, v);
  for (let i = 1; i < ISOTEMPERATURE_LINES.length; i++) {
    const current = lineDistance(i, u, v);
    if (previous * current <= 0 && previous !== current) {
      const m0 = ISOTEMPERATURE_LINES[i - 1]![0];
      const m1 = ISOTEMPERATURE_LINES[i]![0];
      const mired = m0 + ((m1 - m0) * previous) / (previous - current);
      return 1e6 / Math.max(mired, MIN_MIRED);
    }
    previous = current;
  }
  // Outside the table: the sign never changed, so the point lies beyond one end.
  return lineDistance(0, u, v) > 0 ? 1e6 / MAX_MIRED : 1e6 / MIN_MIRED;
}

/** Chromaticity of the Planckian radiator at `kelvin` (interpolated along the table). */
export function xyFromCct(kelvin: number): Xy {
  const mired = Math.min(Math.max(1e6 / kelvin, 0), MAX_MIRED);
  let i = 1;
  while (i < ISOTEMPERATURE_LINES.length - 1 && ISOTEMPERATURE_LINES[i]![0] < mired) i++;
  const [m0, u0, v0] = ISOTEMPERATURE_LINES[i - 1]!;
  const [m1, u1, v1] = ISOTEMPERATURE_LINES[i]!;
  const t = (mired - m0) / (m1 - m0);
  return uvToXy([u0 + (u1 - u0) * t, v0 + (v1 - v0) * t]);
}
