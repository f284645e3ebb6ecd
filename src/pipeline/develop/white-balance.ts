/** White balance from the file's as-shot tags, and its application with highlight clipping. */
import { TapetumError } from '../errors.ts';
import type { DngMetadata, LinearRaw } from '../dng/types.ts';
import { xyToNeutral, type ColorMetadata } from './camera-color.ts';
import { D65_XY } from './chromaticity.ts';
import type { Vec3 } from './matrix.ts';

/**
 * The camera-space colour of a neutral surface in this shot, largest component 1: from
 * AsShotNeutral, else from AsShotWhiteXY, else the neutral of D65 daylight.
 */
export function cameraNeutral(meta: ColorMetadata & Pick<DngMetadata, 'asShotNeutral' | 'asShotWhiteXY'>): Vec3 {
  const neutral = meta.asShotNeutral;
  if (neutral && neutral.every((v) => v > 0 && Number.isFinite(v))) {
    const max = Math.max(...neutral);
    return [neutral[0] / max, neutral[1] / max, neutral[2] / max];
  }
  return xyToNeutral(meta, meta.asShotWhiteXY ?? D65_XY);
}

/**
 * Multiplies each channel of normalized linear raw (sensor clipping at 1) by its gain, the
 * amplification ratio included, and clips everything at the level where the least-amplified
 * channel saturates (its gain). Beyond that point the sensor no longer records colour, so
 * clipped highlights come out neutral, never magenta. CFA data uses its pattern to find
 * each site's channel.
 */
export function whiteBalance(linear: LinearRaw, gains: Vec3): LinearRaw {
  const clip = Math.min(...gains);
  const { width, height, channels, data: source } = linear;
  const data = new Float32Array(source.length);
  if (channels === 3) {
    for (let i = 0; i < source.length; i += 3) {
      data[i] = Math.min(source[i]! * gains[0], clip);
      data[i + 1] = Math.min(source[i + 1]! * gains[1], clip);
      data[i + 2] = Math.min(source[i + 2]! * gains[2], clip);
    }
    return { width, height, channels, data };
  }
  const pattern = linear.cfaPattern;
  if (!pattern) throw new TapetumError('internal', 'A CFA image reached white balance without its colour pattern.');
  for (let y = 0; y < height; y++) {
    const gainEven = gains[pattern[(y & 1) * 2]!];
    const gainOdd = gains[pattern[(y & 1) * 2 + 1]!];
    for (let x = 0, i = y * width; x < width; x++, i++) {
      data[i] = Math.min(source[i]! * (x & 1 ? gainOdd : gainEven), clip);
    }
  }
  return { width, height, channels, cfaPattern: pattern, data };
}
