/**
 * Classic raw development: white balance with highlight clipping, Malvar-He-Cutler
 * demosaic, false-colour suppression, the DNG colour model to linear sRGB,
 * BaselineExposure, the sRGB curve, then DefaultCrop and Orientation.
 */
import type { DecodedDng, DngMetadata, LinearRaw, Matrix3 } from '../dng/types.ts';
import { linearize } from '../dng/index.ts';
import type { RgbImage } from '../image/rgb-image.ts';
import { cameraToXyzMatrix, type ColorAdaptation } from './camera-color.ts';
import { crop } from './crop.ts';
import { demosaic } from './demosaic.ts';
import { checkRatio } from './normalize.ts';
import { suppressFalseColor } from './false-color.ts';
import { chain, diagonal, scale, type Vec3 } from './matrix.ts';
import { orient } from './orientation.ts';
import { XYZ_D50_TO_SRGB } from './srgb.ts';
import { exposureGain, renderSrgb16 } from './tone.ts';
import { cameraNeutral, whiteBalance } from './white-balance.ts';

export interface DevelopOptions {
  /** Amplification applied to the normalized raw (see normalize.ts). */
  ratio: number;
  /** Where white balance happens for files without ForwardMatrix; default 'camera'. */
  colorAdaptation?: ColorAdaptation;
  /** Median passes on the colour differences after demosaicing (dcraw -m); default 1. */
  falseColorPasses?: number;
}

export function develop(decoded: DecodedDng, options: DevelopOptions): RgbImage {
  return developLinear(linearize(decoded), decoded.metadata, options);
}

/** `develop` from already linearized data (active area, 0 black, 1 clipping). */
export function developLinear(linear: LinearRaw, metadata: DngMetadata, options: DevelopOptions): RgbImage {
  checkRatio(options.ratio);
  const neutral = cameraNeutral(metadata);
  // White-balanced camera space: the neutral becomes (1, 1, 1). Gains are >= 1 since the
  // neutral's largest component is 1.
  const gains: Vec3 = [options.ratio / neutral[0], options.ratio / neutral[1], options.ratio / neutral[2]];
  const balanced = whiteBalance(linear, gains);
  const rgb = balanced.channels === 1 ? developMosaic(balanced, options.ratio, options.falseColorPasses ?? 1) : balanced.data;
  return finishRender({ width: linear.width, height: linear.height, channels: 3, data: rgb }, metadata, balancedCameraToSrgb(metadata, options.colorAdaptation));
}

/**
 * White-balanced camera RGB (the shot's neutral at (1, 1, 1)) -> linear sRGB, BaselineExposure
 * included.
 */
export function balancedCameraToSrgb(metadata: DngMetadata, colorAdaptation?: ColorAdaptation): Matrix3 {
  const neutral = cameraNeutral(metadata);
  const balancedToSrgb = chain(XYZ_D50_TO_SRGB, cameraToXyzMatrix(metadata, neutral, colorAdaptation), diagonal(neutral));
  return scale(balancedToSrgb, exposureGain(metadata.baselineExposure));
}

/**
 * The last steps of every development path: interleaved camera RGB of the active area through
 * `cameraToSrgb`, the sRGB curve to 16 bits, then DefaultCrop and Orientation.
 */
export function finishRender(rgb: LinearRaw, metadata: DngMetadata, cameraToSrgb: Matrix3): RgbImage {
  const rendered = renderSrgb16(rgb.data, rgb.width, rgb.height, cameraToSrgb);
  return orient(crop(rendered, metadata.defaultCrop), metadata.orientation);
}

/** White-balanced mosaic -> RGB, never above the clip level where demosaicing overshoots. */
function developMosaic(mosaic: LinearRaw, clipLevel: number, falseColorPasses: number): Float32Array {
  const rgb = demosaic(mosaic);
  suppressFalseColor(rgb, mosaic.width, mosaic.height, falseColorPasses);
  for (let i = 0; i < rgb.length; i++) if (rgb[i]! > clipLevel) rgb[i] = clipLevel;
  return rgb;
}
