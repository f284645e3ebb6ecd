/** Rendered 8-bit RGBA images as the worker hands them to the page (for ImageData / a canvas). */
import type { RgbaImage8 } from '../pipeline/image/rgb-image.ts';
import type { DisplayImage } from './api.ts';

export function toDisplay(image: RgbaImage8): DisplayImage {
  return { width: image.width, height: image.height, pixels: image.data };
}
