/** Profile connection to sRGB: Bradford adaptation, XYZ(D50) -> linear sRGB, the sRGB curve. */
import type { Matrix3 } from '../dng/types.ts';
import { D50_XY, D65_XY, xyToXyz, type Xy } from './chromaticity.ts';
import { apply, chain, diagonal, invert, multiply, type Vec3 } from './matrix.ts';

/** Bradford cone response matrix (Lam 1985). */
const BRADFORD_CONE: Matrix3 = [0.8951, 0.2664, -0.1614, -0.7502, 1.7135, 0.0367, 0.0389, -0.0685, 1.0296];

/** Linear Bradford chromatic adaptation taking colours seen under `from` to `to` (XYZ -> XYZ). */
export function bradford(from: Vec3, to: Vec3): Matrix3 {
  const coneFrom = apply(BRADFORD_CONE, from);
  const coneTo = apply(BRADFORD_CONE, to);
  const gains: Vec3 = [coneTo[0] / coneFrom[0], coneTo[1] / coneFrom[1], coneTo[2] / coneFrom[2]];
  return chain(invert(BRADFORD_CONE), diagonal(gains), BRADFORD_CONE);
}

/** RGB -> XYZ of an RGB space given by its primaries and white, white mapping to Y = 1. */
export function rgbToXyzMatrix(red: Xy, green: Xy, blue: Xy, white: Xy): Matrix3 {
  const [r, g, b] = [xyToXyz(red), xyToXyz(green), xyToXyz(blue)];
  const primaries: Matrix3 = [r[0], g[0], b[0], r[1], g[1], b[1], r[2], g[2], b[2]];
  const weights = apply(invert(primaries), xyToXyz(white));
  return multiply(primaries, diagonal(weights));
}

/** Linear sRGB -> XYZ(D65), from the IEC 61966-2-1 primaries. */
export const SRGB_TO_XYZ_D65 = rgbToXyzMatrix([0.64, 0.33], [0.3, 0.6], [0.15, 0.06], D65_XY);

/** XYZ(D50), the DNG profile connection space, -> linear sRGB (Bradford D50 -> D65). */
export const XYZ_D50_TO_SRGB = multiply(invert(SRGB_TO_XYZ_D65), bradford(xyToXyz(D50_XY), xyToXyz(D65_XY)));

/** IEC 61966-2-1 sRGB encoding of a linear value; outside [0, 1] is clamped. */
export function srgbEncode(linear: number): number {
  if (!(linear > 0)) return 0;
  if (linear >= 1) return 1;
  return linear <= 0.0031308 ? 12.92 * linear : 1.055 * Math.pow(linear, 1 / 2.4) - 0.055;
}
