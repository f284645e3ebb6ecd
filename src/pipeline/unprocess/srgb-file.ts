/**
 * Decoding of the sRGB files the app accepts besides DNG: JPEG (camera photos, phone
 * snapshots) and PNG (screenshots, canvas captures of camera frames). Pure TypeScript so the
 * same code runs in a worker and in Node; EXIF Orientation is read, not applied, so it can
 * travel with the raw data like a DNG's.
 */
import { convertIndexedToRgb, decode as decodePng, hasPngSignature } from 'fast-png';
import { decode as decodeJpeg } from 'jpeg-js';
import { TapetumError } from '../errors.ts';
import { TiffReader, tiffByteOrder } from '../dng/tiff.ts';
import { Tag } from '../dng/tags.ts';

/** Interleaved RGB, sRGB-encoded; 8-bit (Uint8Array) or 16-bit (Uint16Array) codes. */
export interface SrgbImage {
  width: number;
  height: number;
  data: Uint8Array | Uint16Array;
  /** EXIF/TIFF Orientation 1..8 recorded in the file (1 when none). */
  orientation: number;
}

export type SrgbFormat = 'jpeg' | 'png';

/** Largest JPEG/PNG we decode (a 100 MP phone photo is about this). */
const MAX_MEGAPIXELS = 120;

/** 'jpeg' or 'png' from the file's signature, undefined for anything else. */
export function srgbFormatOf(bytes: Uint8Array): SrgbFormat | undefined {
  if (bytes.length >= 3 && bytes[0] === 0xff && bytes[1] === 0xd8 && bytes[2] === 0xff) return 'jpeg';
  if (bytes.length >= 8 && hasPngSignature(bytes)) return 'png';
  return undefined;
}

export function decodeSrgbFile(bytes: Uint8Array): SrgbImage {
  const format = srgbFormatOf(bytes);
  if (!format) {
    throw new TapetumError('not-dng', 'This file is not a DNG, JPEG or PNG image. Open a raw DNG (best results) or a JPEG/PNG photo.');
  }
  try {
    return format === 'jpeg' ? readJpeg(bytes) : readPng(bytes);
  } catch (e) {
    if (e instanceof TapetumError) throw e;
    throw new TapetumError('corrupt', `This ${format.toUpperCase()} file is damaged and cannot be read (${(e as Error).message}). Export it again or pick another photo.`);
  }
}

function readJpeg(bytes: Uint8Array): SrgbImage {
  const image = decodeJpeg(bytes, { useTArray: true, formatAsRGBA: false, maxResolutionInMP: MAX_MEGAPIXELS, maxMemoryUsageInMB: 2048 });
  const exif = (image as { exifBuffer?: Uint8Array }).exifBuffer;
  const data = new Uint8Array(image.data.buffer, image.data.byteOffset, image.data.byteLength);
  return { width: image.width, height: image.height, data, orientation: exif ? exifOrientation(exif) : 1 };
}

/**
 * Orientation from an APP1 EXIF payload (jpeg-js hands it over after "Exif", so it may still
 * start with the NUL pad bytes). A damaged EXIF block never makes a readable image fail.
 */
export function exifOrientation(app1: Uint8Array): number {
  const start = app1.findIndex((b) => b === 0x49 || b === 0x4d);
  const tiff = start < 0 ? app1 : app1.subarray(start);
  const order = tiffByteOrder(tiff);
  if (!order || order.magic !== 42) return 1;
  try {
    const reader = new TiffReader(tiff, order.littleEndian);
    const entry = reader.readIfd(reader.u32(4)).entries.get(Tag.Orientation);
    const value = entry ? reader.numbers(entry, 1)[0]! : 1;
    return value >= 1 && value <= 8 ? value : 1;
  } catch {
    return 1;
  }
}

function readPng(bytes: Uint8Array): SrgbImage {
  const png = decodePng(bytes);
  if (png.width * png.height > MAX_MEGAPIXELS * 1e6) {
    throw new TapetumError('too-large', `This PNG has ${Math.round((png.width * png.height) / 1e6)} megapixels; the most that can be opened is ${MAX_MEGAPIXELS}.`);
  }
  if (png.palette) {
    const rgb = convertIndexedToRgb(png);
    const channels = rgb.length / (png.width * png.height);
    return { width: png.width, height: png.height, data: toRgb(rgb, channels), orientation: 1 };
  }
  const samples = png.depth < 8 ? unpackLowDepthGray(png.data as Uint8Array, png.width, png.height, png.depth) : png.data;
  const data = samples instanceof Uint16Array ? toRgb(samples, png.channels) : toRgb(Uint8Array.from(samples), png.channels);
  return { width: png.width, height: png.height, data, orientation: 1 };
}

/** Gray, gray+alpha, RGB or RGBA samples -> RGB (alpha dropped: a photo has none worth keeping). */
function toRgb<T extends Uint8Array | Uint16Array>(samples: T, channels: number): T {
  if (channels === 3) return samples;
  const pixels = samples.length / channels;
  const rgb = new (samples.constructor as { new (n: number): T })(pixels * 3);
  const gray = channels <= 2;
  for (let p = 0; p < pixels; p++) {
    const s = p * channels;
    rgb[p * 3] = samples[s]!;
    rgb[p * 3 + 1] = samples[gray ? s : s + 1]!;
    rgb[p * 3 + 2] = samples[gray ? s : s + 2]!;
  }
  return rgb;
}

/** 1, 2 or 4-bit gray rows (each padded to a byte) -> one 8-bit sample per pixel, full scale 255. */
function unpackLowDepthGray(packed: Uint8Array, width: number, height: number, depth: number): Uint8Array {
  const rowBytes = Math.ceil((width * depth) / 8);
  const max = (1 << depth) - 1;
  const out = new Uint8Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const bit = x * depth;
      const byte = packed[y * rowBytes + (bit >> 3)]!;
      const value = (byte >> (8 - depth - (bit & 7))) & max;
      out[y * width + x] = Math.round((value * 255) / max);
    }
  }
  return out;
}
