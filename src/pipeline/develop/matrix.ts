/** 3x3 matrix and 3-vector arithmetic for colour transforms (row-major, column vectors). */
import { TapetumError } from '../errors.ts';
import type { Matrix3 } from '../dng/types.ts';

export type Vec3 = [number, number, number];

export const IDENTITY: Matrix3 = [1, 0, 0, 0, 1, 0, 0, 0, 1];

export function multiply(a: Matrix3, b: Matrix3): Matrix3 {
  const out = new Array<number>(9);
  for (let r = 0; r < 3; r++) {
    for (let c = 0; c < 3; c++) out[r * 3 + c] = a[r * 3]! * b[c]! + a[r * 3 + 1]! * b[3 + c]! + a[r * 3 + 2]! * b[6 + c]!;
  }
  return out as Matrix3;
}

/** Product of several matrices, left to right. */
export function chain(...matrices: Matrix3[]): Matrix3 {
  return matrices.reduce(multiply);
}

export function apply(m: Matrix3, v: Vec3): Vec3 {
  return [
    m[0] * v[0] + m[1] * v[1] + m[2] * v[2],
    m[3] * v[0] + m[4] * v[1] + m[5] * v[2],
    m[6] * v[0] + m[7] * v[1] + m[8] * v[2],
  ];
}

export function diagonal(v: Vec3): Matrix3 {
  return [v[0], 0, 0, 0, v[1], 0, 0, 0, v[2]];
}

export function scale(m: Matrix3, factor: number): Matrix3 {
  return m.map((x) => x * factor) as Matrix3;
}

/** (1 - t) * a + t * b, element-wise. */
export function mix(a: Matrix3, b: Matrix3, t: number): Matrix3 {
  return a.map((x, i) => x + (b[i]! - x) * t) as Matrix3;
}

export function invert(m: Matrix3): Matrix3 {
  const [a, b, c, d, e, f, g, h, i] = m;
  const cofactors: Matrix3 = [e * i - f * h, c * h - b * i, b * f - c * e, f * g - d * i, a * i - c * g, c * d - a * f, d * h - e * g, b * g - a * h, a * e - b * d];
  const det = a * cofactors[0] + b * cofactors[3] + c * cofactors[6];
  const size = Math.max(...m.map(Math.abs));
  if (!(Math.abs(det) > 1e-12 * size ** 3)) {
    throw new TapetumError('corrupt', 'The colour matrix in this file cannot be inverted, so its colours cannot be developed. The file may be damaged.');
  }
  return scale(cofactors, 1 / det);
}
