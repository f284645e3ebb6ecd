/** 16-bit sRGB images as RGBA 8-bit pixels for ImageData / a canvas. */
import type { RgbImage } from '../pipeline/image/rgb-image.ts';
import type { DisplayImage } from './api.ts';

export function toDisplay(image: RgbImage): DisplayImage {
  const pixelCount = image.width * image.height;
  const pixels = new Uint8ClampedArray(pixelCount * 4);
  const source = image.data;
  for (let i = 0, j = 0; i < pixelCount; i++, j += 4) {
    // The nearest 8-bit code (65535 / 255 = 257), as `to8bit` rounds for export.
    pixels[j] = Math.round(source[i * 3]! / 257);
    pixels[j + 1] = Math.round(source[i * 3 + 1]! / 257);
    pixels[j + 2] = Math.round(source[i * 3 + 2]! / 257);
    pixels[j + 3] = 255;
  }
  return { width: image.width, height: image.height, pixels };
}
