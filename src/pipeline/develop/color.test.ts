import { describe, expect, it } from 'vitest';
import type { Matrix3 } from '../dng/types.ts';
import { srgbToLinear } from '../metrics/transfer.ts';
import { calibrationWeight, cameraToXyzMatrix, forwardFromColorMatrix, neutralToXy, xyToNeutral, type ColorMetadata } from './camera-color.ts';
import { D50_XY, D65_XY, cctFromXy, xyFromCct, xyToXyz, xyzToXy, type Xy } from './chromaticity.ts';
import { illuminantTemperature } from './illuminant.ts';
import { apply, chain, diagonal, invert, multiply, type Vec3 } from './matrix.ts';
import { SRGB_TO_XYZ_D65, XYZ_D50_TO_SRGB, bradford, srgbEncode } from './srgb.ts';
import { cameraNeutral } from './white-balance.ts';

const closeTo = (actual: ArrayLike<number>, expected: ArrayLike<number>, tolerance: number) => {
  expect(actual.length).toBe(expected.length);
  for (let i = 0; i < actual.length; i++) expect(Math.abs(actual[i]! - expected[i]!)).toBeLessThanOrEqual(tolerance);
};

/** Published values (Bruce Lindbloom, "RGB/XYZ Matrices" and "Chromatic Adaptation"). */
const LINDBLOOM_SRGB_TO_XYZ: Matrix3 = [0.4124564, 0.3575761, 0.1804375, 0.2126729, 0.7151522, 0.072175, 0.0193339, 0.119192, 0.9503041];
const LINDBLOOM_BRADFORD_D65_TO_D50: Matrix3 = [1.0478112, 0.0228866, -0.050127, 0.0295424, 0.9904844, -0.0170491, -0.0092345, 0.0150436, 0.7521316];
const LINDBLOOM_XYZ_D50_TO_SRGB: Matrix3 = [3.1338561, -1.6168667, -0.4906146, -0.9787684, 1.9161415, 0.033454, 0.0719453, -0.2289914, 1.4052427];

/** Colour matrices of real cameras (DNG ColorMatrix, XYZ -> camera). */
const SONY_A7S2_D65: Matrix3 = [0.5838, -0.143, -0.0246, -0.3497, 1.1477, 0.2297, -0.0748, 0.1885, 0.5778];
/** Canon EOS 5D Mark II from Adobe DNG Converter: ColorMatrix1 under A, ColorMatrix2 under D65. */
const CANON_5D2_A: Matrix3 = [0.5309, -0.0229, -0.0336, -0.6241, 1.3265, 0.3337, -0.0817, 0.1215, 0.6664];
const CANON_5D2_D65: Matrix3 = [0.4716, 0.0603, -0.083, -0.7798, 1.5474, 0.248, -0.1496, 0.1937, 0.6651];
const DUAL: ColorMetadata = { colorMatrix1: CANON_5D2_A, colorMatrix2: CANON_5D2_D65, calibrationIlluminant1: 17, calibrationIlluminant2: 21 };

describe('sRGB and adaptation matrices', () => {
  it('sRGB -> XYZ from the primaries matches the published matrix', () => {
    closeTo(SRGB_TO_XYZ_D65, LINDBLOOM_SRGB_TO_XYZ, 3e-4);
  });
  it('Bradford D65 -> D50 matches the published matrix', () => {
    closeTo(bradford(xyToXyz(D65_XY), xyToXyz(D50_XY)), LINDBLOOM_BRADFORD_D65_TO_D50, 5e-4);
  });
  it('XYZ(D50) -> sRGB matches the published Bradford-adapted matrix', () => {
    closeTo(XYZ_D50_TO_SRGB, LINDBLOOM_XYZ_D50_TO_SRGB, 2e-3);
  });
  it('maps the D65 white to sRGB (1,1,1), and the D50 white through XYZ_D50_TO_SRGB too', () => {
    closeTo(apply(invert(SRGB_TO_XYZ_D65), xyToXyz(D65_XY)), [1, 1, 1], 1e-12);
    closeTo(apply(XYZ_D50_TO_SRGB, xyToXyz(D50_XY)), [1, 1, 1], 1e-12);
  });
  it('Bradford maps the source white onto the target white', () => {
    closeTo(apply(bradford(xyToXyz(xyFromCct(2856)), xyToXyz(D50_XY)), xyToXyz(xyFromCct(2856))), xyToXyz(D50_XY), 1e-12);
  });
});

describe('sRGB curve', () => {
  it('hits known points', () => {
    expect(srgbEncode(0)).toBe(0);
    expect(srgbEncode(1)).toBe(1);
    expect(srgbEncode(0.0031308)).toBeCloseTo(0.04045, 5);
    expect(srgbEncode(0.18)).toBeCloseTo(0.46135612, 6); // 18 % grey
    expect(srgbEncode(-0.5)).toBe(0);
    expect(srgbEncode(7)).toBe(1);
  });
  it('is undone by the metrics module decoder', () => {
    for (let v = 0; v <= 1; v += 1 / 512) expect(srgbToLinear(srgbEncode(v))).toBeCloseTo(v, 12);
  });
});

describe('correlated colour temperature', () => {
  it('gives the known temperatures of the CIE illuminants', () => {
    expect(cctFromXy([0.31271, 0.32902])).toBeGreaterThan(6500); // D65: 6504 K
    expect(cctFromXy([0.31271, 0.32902])).toBeLessThan(6508);
    expect(Math.abs(cctFromXy([0.44757, 0.40745]) - 2856)).toBeLessThan(3); // A
    expect(Math.abs(cctFromXy([0.34567, 0.3585]) - 5003)).toBeLessThan(3); // D50
    expect(Math.abs(cctFromXy([0.29902, 0.31485]) - 7504)).toBeLessThan(6); // D75
  });
  it('xyFromCct lies on the Planckian locus: illuminant A at 2856 K', () => {
    closeTo(xyFromCct(2856), [0.44757, 0.40745], 5e-4);
  });
  it('cctFromXy inverts xyFromCct', () => {
    for (const kelvin of [2000, 2856, 4000, 5500, 6504, 9000, 15000]) {
      expect(Math.abs(cctFromXy(xyFromCct(kelvin)) - kelvin) / kelvin).toBeLessThan(1e-3);
    }
  });
  it('knows the EXIF light source temperatures', () => {
    expect(illuminantTemperature(17)).toBe(2856);
    expect(illuminantTemperature(21)).toBe(6504);
    expect(illuminantTemperature(23)).toBe(5003);
    expect(illuminantTemperature(0)).toBeUndefined();
    expect(illuminantTemperature(undefined)).toBeUndefined();
  });
});

describe('DNG colour model', () => {
  const normalize = (v: Vec3): Vec3 => {
    const m = Math.max(...v);
    return [v[0] / m, v[1] / m, v[2] / m];
  };

  it('weights calibrations by inverse temperature, clamped to the illuminants', () => {
    expect(calibrationWeight(DUAL, 2856)).toBeCloseTo(1, 12);
    expect(calibrationWeight(DUAL, 6504)).toBeCloseTo(0, 12);
    expect(calibrationWeight(DUAL, 2000)).toBe(1);
    expect(calibrationWeight(DUAL, 10000)).toBe(0);
    // Halfway in mired: 1/T = (1/2856 + 1/6504) / 2.
    expect(calibrationWeight(DUAL, 2 / (1 / 2856 + 1 / 6504))).toBeCloseTo(0.5, 12);
    expect(calibrationWeight({ colorMatrix1: SONY_A7S2_D65, calibrationIlluminant1: 21 }, 3000)).toBe(1);
  });

  it('finds the white of a neutral by iteration, between two calibrations', () => {
    for (const kelvin of [2856, 3500, 4500, 6504]) {
      const white = xyFromCct(kelvin);
      const neutral = xyToNeutral(DUAL, white);
      closeTo(neutralToXy(DUAL, neutral), white, 1e-7);
    }
  });

  it('uses ColorMatrix2 alone for a white bluer than D65 and maps the neutral to the D50 white', () => {
    const white = xyToXyz(xyFromCct(8000));
    const neutral = normalize(apply(CANON_5D2_D65, white));
    const toXyz = cameraToXyzMatrix(DUAL, neutral, 'xyz');
    closeTo(apply(toXyz, neutral), xyToXyz(D50_XY), 1e-9);
    // Any camera colour: XYZ seen through the D65 matrix, adapted to D50 by Bradford.
    const patch: Vec3 = [0.2, 0.12, 0.05];
    const expected = apply(bradford(white, xyToXyz(D50_XY)), patch);
    // The neutral is scaled to max 1, so the matrix scales XYZ by 1 / Y(inverse(CM) x neutral).
    const scaleToWhite = 1 / apply(invert(CANON_5D2_D65), neutral)[1];
    closeTo(apply(toXyz, apply(CANON_5D2_D65, patch)), expected.map((v) => v * scaleToWhite), 1e-9);
  });

  it('maps the neutral to the D50 white through ForwardMatrix, CameraCalibration and AnalogBalance', () => {
    const forward: Matrix3 = [0.6, 0.25, 0.11422, 0.25, 0.8, -0.05, 0.0, -0.1, 0.92521];
    const meta: ColorMetadata = {
      ...DUAL,
      forwardMatrix1: forward,
      forwardMatrix2: forward,
      cameraCalibration1: [1.03, 0, 0, 0, 1, 0, 0, 0, 0.97],
      analogBalance: [1.1, 1, 0.95],
    };
    const neutral: Vec3 = [0.55, 1, 0.7];
    const toXyz = cameraToXyzMatrix(meta, neutral);
    closeTo(apply(toXyz, neutral), apply(forward, [1, 1, 1]), 1e-12);
    closeTo(xyzToXy(apply(toXyz, neutral)), xyzToXy(apply(forward, [1, 1, 1])), 1e-12);
  });

  it("'camera' adaptation with one D65 matrix is dcraw's: rows of CM x sRGB normalized, inverted", () => {
    // dcraw/LibRaw: rgb_cam = inverse of (ColorMatrix x sRGB->XYZ) with rows scaled to sum 1,
    // applied to white-balanced camera RGB.
    const camRgb = multiply(SONY_A7S2_D65, SRGB_TO_XYZ_D65);
    const rowSums = [0, 1, 2].map((r) => camRgb[r * 3]! + camRgb[r * 3 + 1]! + camRgb[r * 3 + 2]!);
    const dcraw = invert(camRgb.map((v, i) => v / rowSums[Math.floor(i / 3)]!) as Matrix3);
    const meta: ColorMetadata = { colorMatrix1: SONY_A7S2_D65, calibrationIlluminant1: 21 };
    for (const neutral of [[0.47209, 1, 0.41922], [0.6, 1, 0.7], [1, 0.9, 0.5]] as Vec3[]) {
      closeTo(chain(XYZ_D50_TO_SRGB, cameraToXyzMatrix(meta, neutral, 'camera'), diagonal(neutral)), dcraw, 1e-9);
    }
  });

  it('derives forward matrices from the ColorMatrices and interpolates them', () => {
    for (const [matrix, illuminant] of [[CANON_5D2_A, 17], [CANON_5D2_D65, 21]] as const) {
      closeTo(apply(forwardFromColorMatrix(matrix, illuminant), [1, 1, 1]), xyToXyz(D50_XY), 1e-12);
    }
    // A white at illuminant A uses calibration 1 alone.
    const neutral = xyToNeutral(DUAL, [0.44757, 0.40745]);
    const expected = multiply(forwardFromColorMatrix(CANON_5D2_A, 17), diagonal([1 / neutral[0], 1 / neutral[1], 1 / neutral[2]]));
    closeTo(cameraToXyzMatrix(DUAL, neutral, 'camera'), expected, 1e-6);
  });

  it('develops a colour-chart patch shot under D65 to its sRGB value', () => {
    // ColorChecker "red" (patch 15) in sRGB 8-bit, as published by BabelColor: 175, 54, 60.
    const target = [175, 54, 60].map((v) => srgbToLinear(v / 255)) as Vec3;
    const xyz = apply(SRGB_TO_XYZ_D65, target);
    const camera = apply(SONY_A7S2_D65, xyz);
    const meta: ColorMetadata = { colorMatrix1: SONY_A7S2_D65, calibrationIlluminant1: 21 };
    const neutral = cameraNeutral({ ...meta, asShotWhiteXY: D65_XY });
    // The neutral's scale sets exposure: white at Y = 1 is camera `neutral`, here Y(D65 white) = 1.
    const whiteCamera = apply(SONY_A7S2_D65, xyToXyz(D65_XY));
    const exposure = neutral[1] / whiteCamera[1];
    const srgb = apply(chain(XYZ_D50_TO_SRGB, cameraToXyzMatrix(meta, neutral)), [camera[0] * exposure, camera[1] * exposure, camera[2] * exposure]);
    closeTo(srgb.map((v) => Math.round(srgbEncode(v) * 255)), [175, 54, 60], 0);
  });

  it('takes the white balance from AsShotNeutral, else AsShotWhiteXY', () => {
    expect(cameraNeutral({ colorMatrix1: SONY_A7S2_D65, asShotNeutral: [0.5, 2, 1] })).toEqual([0.25, 1, 0.5]);
    const white: Xy = xyFromCct(4000);
    const neutral = cameraNeutral({ ...DUAL, asShotWhiteXY: white });
    expect(Math.max(...neutral)).toBeCloseTo(1, 12);
    closeTo(neutralToXy(DUAL, neutral), white, 1e-7);
  });

  it('treats a file without colour matrices as linear sRGB', () => {
    const toSrgb = multiply(XYZ_D50_TO_SRGB, cameraToXyzMatrix({}, [1, 1, 1]));
    closeTo(toSrgb, [1, 0, 0, 0, 1, 0, 0, 0, 1], 1e-9);
  });
});
