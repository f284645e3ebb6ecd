/**
 * Baseline (lossy) JPEG decoding for Compression 34892 tiles. Browsers already ship a fast,
 * well-tested JPEG decoder, so pages and workers use it. Node uses our DCT decoder for the
 * usual DNG tiles (8-bit, no chroma subsampling): it rounds like libjpeg, where jpeg-js
 * truncates its YCbCr conversion (about -0.4 levels on average, which matters in the shadows
 * of 8-bit data); jpeg-js handles the rest (subsampled or progressive tiles).
 */
import { isTapetumError } from '../errors';
import { decodeDctJpeg, ycbcrToRgb } from './dct-jpeg';

export interface DecodedJpeg {
  width: number;
  height: number;
  /** Interleaved samples per pixel in `data` (3 for the RGB these decoders return). */
  channels: number;
  data: Uint8Array;
}

export type LossyJpegDecoder = (jpeg: Uint8Array) => Promise<DecodedJpeg>;

/** The platform decoder where the page or worker has one; in Node our DCT decoder, else jpeg-js. */
export function defaultJpegDecoder(): LossyJpegDecoder {
  const hasPlatformDecoder = typeof createImageBitmap === 'function' && typeof OffscreenCanvas === 'function';
  return hasPlatformDecoder ? decodeWithPlatform : decodeInNode;
}

async function decodeWithPlatform(jpeg: Uint8Array): Promise<DecodedJpeg> {
  const blob = new Blob([jpeg.slice()], { type: 'image/jpeg' });
  // Raw data must reach us as coded: no colour management, no alpha premultiplication.
  const bitmap = await createImageBitmap(blob, { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  try {
    const { width, height } = bitmap;
    const context = new OffscreenCanvas(width, height).getContext('2d');
    if (!context) throw new Error('no 2D canvas context for JPEG decoding');
    context.drawImage(bitmap, 0, 0);
    const rgba = context.getImageData(0, 0, width, height).data;
    const rgb = new Uint8Array(width * height * 3);
    for (let i = 0, j = 0; j < rgb.length; i += 4, j += 3) {
      rgb[j] = rgba[i];
      rgb[j + 1] = rgba[i + 1];
      rgb[j + 2] = rgba[i + 2];
    }
    return { width, height, channels: 3, data: rgb };
  } finally {
    bitmap.close();
  }
}

/** DNG lossy tiles are at most a few megapixels; larger claims are damaged headers. */
const MAX_TILE_MEGAPIXELS = 64;
/**
 * A coded 8x8 block costs at least 2 bits (a DC code and an end-of-block code), so a stream
 * of n bytes holds at most 256 n samples; a header claiming more is damaged, and is refused
 * before its buffers are allocated.
 */
const MAX_SAMPLES_PER_BYTE = 256;

function maxTilePixels(jpeg: Uint8Array): number {
  return Math.min(MAX_TILE_MEGAPIXELS * 1e6, MAX_SAMPLES_PER_BYTE * jpeg.length);
}

async function decodeInNode(jpeg: Uint8Array): Promise<DecodedJpeg> {
  try {
    const image = decodeDctJpeg(jpeg, { maxSamples: maxTilePixels(jpeg), clampToPrecision: true });
    if (image.bits === 8) {
      const data = image.ycbcr ? ycbcrToRgb(image.data) : Uint8Array.from(image.data);
      return { width: image.width, height: image.height, channels: image.components, data };
    }
  } catch (e) {
    if (!isTapetumError(e) || e.code !== 'unsupported') throw e;
  }
  return decodeWithJpegJs(jpeg);
}

async function decodeWithJpegJs(jpeg: Uint8Array): Promise<DecodedJpeg> {
  const { decode } = await import('jpeg-js');
  const image = decode(jpeg, {
    useTArray: true,
    formatAsRGBA: false,
    tolerantDecoding: false,
    maxResolutionInMP: maxTilePixels(jpeg) / 1e6,
    maxMemoryUsageInMB: 512,
  });
  return { width: image.width, height: image.height, channels: 3, data: image.data };
}
