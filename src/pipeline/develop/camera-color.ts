/**
 * The DNG colour model (DNG 1.4 spec, "Mapping Camera Color Space to CIE XYZ Space"):
 * calibrations interpolated by inverse colour temperature of the white, the camera neutral
 * mapped to its white chromaticity by iteration, CameraCalibration and AnalogBalance, and
 * camera RGB mapped to XYZ(D50) in one of two ways (see `ColorAdaptation`).
 */
import type { DngMetadata, Matrix3 } from '../dng/types.ts';
import { D50_XY, cctFromXy, xyToXyz, xyzToXy, type Xy } from './chromaticity.ts';
import { illuminantTemperature, illuminantXy } from './illuminant.ts';
import { IDENTITY, apply, chain, diagonal, invert, mix, multiply, scale, type Vec3 } from './matrix.ts';
import { SRGB_TO_XYZ_D65, bradford } from './srgb.ts';

export type ColorMetadata = Pick<
  DngMetadata,
  | 'colorMatrix1'
  | 'colorMatrix2'
  | 'calibrationIlluminant1'
  | 'calibrationIlluminant2'
  | 'forwardMatrix1'
  | 'forwardMatrix2'
  | 'cameraCalibration1'
  | 'cameraCalibration2'
  | 'analogBalance'
>;

/** A file without ColorMatrix1 is taken to record linear sRGB. */
const XYZ_TO_SRGB_D65 = invert(SRGB_TO_XYZ_D65);

/**
 * How much of calibration 1 (versus 2) to use for a white of `kelvin`: linear in inverse
 * temperature between the two calibration illuminants, clamped to them. A single
 * calibration, or illuminants without a known temperature, give 1.
 */
export function calibrationWeight(meta: ColorMetadata, kelvin: number): number {
  const t1 = illuminantTemperature(meta.calibrationIlluminant1);
  const t2 = illuminantTemperature(meta.calibrationIlluminant2);
  if (!meta.colorMatrix2 || t1 === undefined || t2 === undefined || t1 === t2) return 1;
  const weight = (1 / kelvin - 1 / t2) / (1 / t1 - 1 / t2);
  return Math.min(Math.max(weight, 0), 1);
}

/**
 * Where white balance happens when the file has no ForwardMatrix.
 * - 'camera' (default): in camera space, by per-channel gains, followed by a forward matrix
 *   derived from each ColorMatrix at its own calibration illuminant. This is what
 *   ForwardMatrix DNGs do, and what dcraw/LibRaw, RawTherapee's camera profile and our
 *   training pipeline do; the sid-dev references were developed this way.
 * - 'xyz': the spec's path for such files: inverse ColorMatrix to XYZ, then Bradford
 *   adaptation from the scene white to D50 (what Adobe's DNG SDK renders).
 * Files with a ForwardMatrix always use it.
 */
export type ColorAdaptation = 'camera' | 'xyz';

interface Calibration {
  /** AnalogBalance x CameraCalibration x ColorMatrix. */
  xyzToCamera: Matrix3;
  /** AnalogBalance x CameraCalibration. */
  cameraBalance: Matrix3;
}

/** Calibration 1 and 2 blended with `calibrationWeight`; a missing second one repeats the first. */
function blendAt(meta: ColorMetadata, kelvin: number): (m1: Matrix3 | undefined, m2: Matrix3 | undefined, fallback: Matrix3) => Matrix3 {
  const w = calibrationWeight(meta, kelvin);
  return (m1, m2, fallback) => mix(m2 ?? m1 ?? fallback, m1 ?? fallback, w);
}

/** The colour calibration for a white of `kelvin`. */
function calibrationAt(meta: ColorMetadata, kelvin: number): Calibration {
  const blend = blendAt(meta, kelvin);
  const colorMatrix = blend(meta.colorMatrix1, meta.colorMatrix2, XYZ_TO_SRGB_D65);
  const cameraBalance = multiply(diagonal(meta.analogBalance ?? [1, 1, 1]), blend(meta.cameraCalibration1, meta.cameraCalibration2, IDENTITY));
  return { xyzToCamera: multiply(cameraBalance, colorMatrix), cameraBalance };
}

/**
 * The forward matrix equivalent to a ColorMatrix at its calibration illuminant: camera RGB
 * white-balanced for that illuminant -> XYZ under it -> Bradford to D50. (1, 1, 1) maps to D50.
 */
export function forwardFromColorMatrix(colorMatrix: Matrix3, illuminant: number | undefined): Matrix3 {
  const white = xyToXyz(illuminantXy(illuminant));
  return chain(bradford(white, xyToXyz(D50_XY)), invert(colorMatrix), diagonal(apply(colorMatrix, white)));
}

/** The file's ForwardMatrix for a white of `kelvin`, else one derived from its ColorMatrices. */
function forwardMatrixAt(meta: ColorMetadata, kelvin: number): Matrix3 {
  const blend = blendAt(meta, kelvin);
  if (meta.forwardMatrix1) return blend(meta.forwardMatrix1, meta.forwardMatrix2, IDENTITY);
  const derived1 = forwardFromColorMatrix(meta.colorMatrix1 ?? XYZ_TO_SRGB_D65, meta.calibrationIlluminant1);
  const derived2 = meta.colorMatrix2 && forwardFromColorMatrix(meta.colorMatrix2, meta.calibrationIlluminant2);
  return blend(derived1, derived2, IDENTITY);
}

/** White chromaticity of a camera neutral: iterate xy -> temperature -> matrices -> xy. */
export function neutralToXy(meta: ColorMetadata, neutral: Vec3): Xy {
  let xy = D50_XY;
  for (let i = 0; i < 100; i++) {
    const { xyzToCamera } = calibrationAt(meta, cctFromXy(xy));
    const next = xyzToXy(apply(invert(xyzToCamera), neutral));
    if (Math.abs(next[0] - xy[0]) + Math.abs(next[1] - xy[1]) < 1e-10) return next;
    // Plain steps converge in a few rounds; halving later steps stops a rare oscillation.
    xy = i < 10 ? next : [(xy[0] + next[0]) / 2, (xy[1] + next[1]) / 2];
  }
  return xy;
}

/** Camera neutral (largest component 1) of a white chromaticity. */
export function xyToNeutral(meta: ColorMetadata, xy: Xy): Vec3 {
  const { xyzToCamera } = calibrationAt(meta, cctFromXy(xy));
  const neutral = apply(xyzToCamera, xyToXyz(xy));
  return scale3(neutral, 1 / Math.max(...neutral));
}

/**
 * Camera RGB -> XYZ(D50) for a scene whose white is `neutral`: the neutral itself maps to
 * the D50 white with Y = 1.
 */
export function cameraToXyzMatrix(meta: ColorMetadata, neutral: Vec3, adaptation: ColorAdaptation = 'camera'): Matrix3 {
  const xy = neutralToXy(meta, neutral);
  const kelvin = cctFromXy(xy);
  const calibration = calibrationAt(meta, kelvin);
  if (meta.forwardMatrix1 || adaptation === 'camera') {
    const balanceInverse = invert(calibration.cameraBalance);
    const referenceNeutral = apply(balanceInverse, neutral);
    const toUnitWhite = diagonal([1 / referenceNeutral[0], 1 / referenceNeutral[1], 1 / referenceNeutral[2]]);
    return chain(forwardMatrixAt(meta, kelvin), toUnitWhite, balanceInverse);
  }
  const toXyz = multiply(bradford(xyToXyz(xy), xyToXyz(D50_XY)), invert(calibration.xyzToCamera));
  return scale(toXyz, 1 / apply(toXyz, neutral)[1]);
}

function scale3(v: Vec3, factor: number): Vec3 {
  return [v[0] * factor, v[1] * factor, v[2] * factor];
}
