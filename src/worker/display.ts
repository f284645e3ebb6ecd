/** 16-bit sRGB images as RGBA 8-bit pixels for ImageData / a canvas. */
import { CODE8_OF_CODE16 as CODE8, type RgbImage } from '../pipeline/image/rgb-image.ts';
import type { DisplayImage } from './api.ts';

/** Codes rounded as `to8bit` rounds for export, so the screen shows what a PNG would hold. */
export function toDisplay(image: RgbImage): DisplayImage {
  const pixelCount = image.width * image.height;
  const pixels = new Uint8ClampedArray(pixelCount * 4);
  const source = image.data;
  for (let i = 0, j = 0; i < pixelCount * 3; i += 3, j += 4) {
    pixels[j] = CODE8[source[i]!]!;
    pixels[j + 1] = CODE8[source[i + 1]!]!;
    pixels[j + 2] = CODE8[source[i + 2]!]!;
    pixels[j + 3] = 255;
  }
  return { width: image.width, height: image.height, pixels };
}
