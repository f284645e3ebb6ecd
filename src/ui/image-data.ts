/** DisplayImage (the worker's RGBA pixels) as ImageData for a canvas. */
import type { DisplayImage } from '../worker/api.ts';

export function toImageData({ pixels, width, height }: Pick<DisplayImage, 'pixels' | 'width' | 'height'>): ImageData {
  // Worker results arrive in plain (transferred) ArrayBuffers, never shared ones.
  return new ImageData(pixels as Uint8ClampedArray<ArrayBuffer>, width, height);
}
