/**
 * Classic raw development: white balance with highlight clipping, Malvar-He-Cutler
 * demosaic, false-colour suppression, the DNG colour model to linear sRGB,
 * BaselineExposure, the sRGB curve, then DefaultCrop and Orientation.
 */
import type { DecodedDng, DngMetadata, LinearRaw, Matrix3 } from '../dng/types.ts';
import { linearize } from '../dng/index.ts';
import type { RgbaImage8, RgbImage } from '../image/rgb-image.ts';
import { cameraToXyzMatrix, type ColorAdaptation } from './camera-color.ts';
import { cropRect } from './crop.ts';
import { demosaic } from './demosaic.ts';
import { checkRatio } from './normalize.ts';
import { suppressFalseColor } from './false-color.ts';
import { chain, diagonal, scale, type Vec3 } from './matrix.ts';
import { orient } from './orientation.ts';
import { XYZ_D50_TO_SRGB } from './srgb.ts';
import { exposureGain, renderSrgb, type RenderTarget } from './tone.ts';
import { cameraNeutral, whiteBalance } from './white-balance.ts';

export interface DevelopOptions {
  /** Amplification applied to the normalized raw (see normalize.ts). */
  ratio: number;
  /** Where white balance happens for files without ForwardMatrix; default 'camera'. */
  colorAdaptation?: ColorAdaptation;
  /** Median passes on the colour differences after demosaicing (dcraw -m); default 1. */
  falseColorPasses?: number;
}

export function develop(decoded: DecodedDng, options: DevelopOptions, target?: 'rgb16'): RgbImage;
export function develop(decoded: DecodedDng, options: DevelopOptions, target: 'rgba8'): RgbaImage8;
export function develop(decoded: DecodedDng, options: DevelopOptions, target?: RenderTarget): RgbImage | RgbaImage8;
export function develop(decoded: DecodedDng, options: DevelopOptions, target: RenderTarget = 'rgb16'): RgbImage | RgbaImage8 {
  return developLinear(linearize(decoded), decoded.metadata, options, target);
}

/** `develop` from already linearized data (active area, 0 black, 1 clipping). */
export function developLinear(linear: LinearRaw, metadata: DngMetadata, options: DevelopOptions, target?: 'rgb16'): RgbImage;
export function developLinear(linear: LinearRaw, metadata: DngMetadata, options: DevelopOptions, target: 'rgba8'): RgbaImage8;
export function developLinear(linear: LinearRaw, metadata: DngMetadata, options: DevelopOptions, target?: RenderTarget): RgbImage | RgbaImage8;
export function developLinear(linear: LinearRaw, metadata: DngMetadata, options: DevelopOptions, target: RenderTarget = 'rgb16'): RgbImage | RgbaImage8 {
  checkRatio(options.ratio);
  const neutral = cameraNeutral(metadata);
  // White-balanced camera space: the neutral becomes (1, 1, 1). Gains are >= 1 since the
  // neutral's largest component is 1.
  const gains: Vec3 = [options.ratio / neutral[0], options.ratio / neutral[1], options.ratio / neutral[2]];
  const balanced = whiteBalance(linear, gains);
  const rgb = balanced.channels === 1 ? developMosaic(balanced, options.ratio, options.falseColorPasses ?? 1) : balanced.data;
  return finishRender({ width: linear.width, height: linear.height, channels: 3, data: rgb }, metadata, balancedCameraToSrgb(metadata, options.colorAdaptation), target);
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
 * The last steps of every development path: the DefaultCrop of interleaved camera RGB of the
 * active area through `cameraToSrgb` and the sRGB curve, encoded for `target` (16-bit RGB, or
 * 8-bit RGBA for display without a 16-bit image in between), then Orientation.
 */
export function finishRender(rgb: LinearRaw, metadata: DngMetadata, cameraToSrgb: Matrix3, target?: 'rgb16'): RgbImage;
export function finishRender(rgb: LinearRaw, metadata: DngMetadata, cameraToSrgb: Matrix3, target: 'rgba8'): RgbaImage8;
export function finishRender(rgb: LinearRaw, metadata: DngMetadata, cameraToSrgb: Matrix3, target?: RenderTarget): RgbImage | RgbaImage8;
export function finishRender(rgb: LinearRaw, metadata: DngMetadata, cameraToSrgb: Matrix3, target: RenderTarget = 'rgb16'): RgbImage | RgbaImage8 {
  const rect = cropRect(metadata.defaultCrop, rgb.width, rgb.height);
  return orient(renderSrgb(rgb.data, rgb.width, rect, cameraToSrgb, target), metadata.orientation);
}

/** White-balanced mosaic -> RGB, never above the clip level where demosaicing overshoots. */
function developMosaic(mosaic: LinearRaw, clipLevel: number, falseColorPasses: number): Float32Array {
  const rgb = demosaic(mosaic);
  suppressFalseColor(rgb, mosaic.width, mosaic.height, falseColorPasses);
  for (let i = 0; i < rgb.length; i++) if (rgb[i]! > clipLevel) rgb[i] = clipLevel;
  return rgb;
}
