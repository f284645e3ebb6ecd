/** 16-bit sRGB images as RGBA 8-bit pixels for ImageData / a canvas. */
import type { RgbImage } from '../pipeline/image/rgb-image.ts';
import type { DisplayImage } from './api.ts';

/** The nearest 8-bit code of every 16-bit code (65535 / 255 = 257), as `to8bit` rounds for export. */
const CODE8 = (() => {
  const table = new Uint8Array(65536);
  for (let i = 0; i < table.length; i++) table[i] = Math.round(i / 257);
  return table;
})();

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
