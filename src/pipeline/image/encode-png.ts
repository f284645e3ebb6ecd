import { encode } from 'fast-png';
import type { RgbImage, RgbImage8 } from './rgb-image.ts';

/** A PNG of the image, 16 bits per sample for `RgbImage`, 8 for `RgbImage8`. */
export function encodePng(image: RgbImage | RgbImage8): Uint8Array {
  const depth = image.data instanceof Uint16Array ? 16 : 8;
  return encode({ width: image.width, height: image.height, data: image.data, channels: 3, depth });
}
