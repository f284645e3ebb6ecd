/**
 * decodeDng: the stored raster of a DNG's main raw image, exactly as stored (after
 * decompression, before linearization). All geometry and byte ranges are checked against
 * the file before anything large is allocated.
 */
import { isTapetumError, TapetumError } from '../errors';
import { decodeDctJpeg, jpegFrameMarker, type DctJpegImage } from './dct-jpeg';
import { decodeLosslessJpeg, type LosslessJpegImage } from './ljpeg';
import { defaultJpegDecoder, type DecodedJpeg, type LossyJpegDecoder } from './lossy-jpeg';
import { parseDng, type DngFile } from './metadata';
import { Compression, Tag } from './tags';
import type { DecodedDng, StoredRaster } from './types';
import { packedRowBytes, unpackRow } from './unpack';

export interface DecodeOptions {
  /** Largest stored raster (width x height) to decode; default 250 million pixels. */
  maxPixels?: number;
  /** Decoder for lossy JPEG tiles; default: the platform's in browsers, ours (jpeg-js as fallback) in Node. */
  decodeJpeg?: LossyJpegDecoder;
  /**
   * Other threads that each decode a share of a lossless JPEG file's tiles or strips while
   * this one decodes the first share (the raster is then allocated on shared memory).
   */
  helpers?: readonly BlockHelper[];
}

/** Blocks [start, end) of a file to decode into `raster`, a Uint16Array on a SharedArrayBuffer. */
export interface BlockJob {
  /** A copy of the whole file, the helper's to keep (or to transfer to another thread). */
  bytes: Uint8Array;
  raster: Uint16Array;
  start: number;
  end: number;
}

/** Runs `decodeBlocks(job)` on another thread; rejects with its error. */
export type BlockHelper = (job: BlockJob) => Promise<void>;

export const DEFAULT_MAX_PIXELS = 250e6;

const { UNCOMPRESSED, LOSSLESS_JPEG, LOSSY_JPEG } = Compression;
/** JPEG frame markers of sequential DCT (baseline and extended). */
const SOF0 = 0xc0;
const SOF1 = 0xc1;
/** Each sample of a lossless JPEG stream costs at least one bit. */
const MIN_LOSSLESS_BITS_PER_SAMPLE = 1;

/** One strip or tile: where its data lies and which part of the raster it covers. */
interface Block {
  offset: number;
  byteCount: number;
  x: number;
  y: number;
  /** Coded size (a tile's full size even where it overhangs the image). */
  width: number;
  height: number;
  /** The part inside the image. */
  visibleWidth: number;
  visibleHeight: number;
}

export async function decodeDng(bytes: Uint8Array, options: DecodeOptions = {}): Promise<DecodedDng> {
  const file = parseDng(bytes);
  checkDecodable(file, options.maxPixels ?? DEFAULT_MAX_PIXELS);
  const blocks = imageBlocks(file);
  checkBlockBytes(file, blocks);
  const { width, height, samplesPerPixel, compression } = file.metadata;
  const helpers = compression === LOSSLESS_JPEG && blocks.length > 1 ? (options.helpers ?? []) : [];
  const samples = width * height * samplesPerPixel;
  const data = helpers.length > 0 ? new Uint16Array(new SharedArrayBuffer(2 * samples)) : new Uint16Array(samples);
  const stored: StoredRaster = { width, height, samplesPerPixel, data };
  if (helpers.length > 0) {
    await decodeLosslessShared(file, blocks, stored, helpers);
    return { metadata: file.metadata, stored, warnings: file.warnings };
  }
  const decodeJpeg = options.decodeJpeg ?? defaultJpegDecoder();
  for (const block of blocks) {
    switch (file.metadata.compression) {
      case UNCOMPRESSED:
        unpackBlock(file, block, stored);
        break;
      case LOSSLESS_JPEG:
        placeLossless(file, block, stored);
        break;
      default:
        placeLossy(block, stored, await decodeLossyTile(decodeJpeg, tileBytes(file, block)));
    }
  }
  return { metadata: file.metadata, stored, warnings: file.warnings };
}

/** Block ranges of about equal size, one per thread. */
function shares(count: number, threads: number): { start: number; end: number }[] {
  const parts = Math.min(threads, count);
  return Array.from({ length: parts }, (_, i) => ({ start: Math.floor((i * count) / parts), end: Math.floor(((i + 1) * count) / parts) }));
}

/**
 * How long helpers may take beyond this thread's own share before their shares are decoded
 * here: a helper that crashed, was stopped or never started may not answer at all.
 */
const HELPER_PATIENCE = { factor: 2, ms: 250 };

/**
 * Lossless JPEG blocks decode independently: the helpers take the later shares while this
 * thread decodes the first. Errors come in block order, as in a serial decode. A helper that
 * failed for its own reasons (anything but a TapetumError about the file) or that has not
 * answered in time costs time, not the photo: its share is decoded here (a late helper then
 * writes the same values).
 */
async function decodeLosslessShared(file: DngFile, blocks: Block[], stored: StoredRaster, helpers: readonly BlockHelper[]): Promise<void> {
  const [own, ...others] = shares(blocks.length, helpers.length + 1);
  const bytes = file.reader.bytes;
  const running = others.map((share, i) => helpers[i]!({ bytes: bytes.slice(), raster: stored.data, ...share }));
  const decodeHere = ({ start, end }: { start: number; end: number }) => {
    for (let i = start; i < end; i++) placeLossless(file, blocks[i]!, stored);
  };
  const start = performance.now();
  let ownError: unknown;
  try {
    decodeHere(own!);
  } catch (error) {
    ownError = error;
  }
  let timer: ReturnType<typeof setTimeout> | undefined;
  const patience = new Promise<'late'>((resolve) => {
    timer = setTimeout(() => resolve('late'), HELPER_PATIENCE.factor * (performance.now() - start) + HELPER_PATIENCE.ms);
  });
  const outcomes = await Promise.all(running.map((job) => Promise.race([job.then(() => 'done' as const, (error: unknown) => ({ error })), patience])));
  clearTimeout(timer);
  if (ownError !== undefined) throw ownError;
  outcomes.forEach((outcome, i) => {
    if (outcome === 'done') return;
    if (outcome !== 'late' && isTapetumError(outcome.error)) throw outcome.error;
    decodeHere(others[i]!);
  });
}

/** A helper's side of decodeLosslessShared: the file parsed again, blocks [start, end) placed into the shared raster. */
export function decodeBlocks({ bytes, raster, start, end }: BlockJob): void {
  const file = parseDng(bytes);
  const { width, height, samplesPerPixel, compression } = file.metadata;
  const blocks = imageBlocks(file);
  if (compression !== LOSSLESS_JPEG || raster.length !== width * height * samplesPerPixel || end > blocks.length) {
    throw new TapetumError('internal', 'A decoding helper was given a job that does not match its file.');
  }
  checkBlockBytes(file, blocks);
  const stored: StoredRaster = { width, height, samplesPerPixel, data: raster };
  for (let i = start; i < end; i++) placeLossless(file, blocks[i]!, stored);
}

function unsupported(message: string): TapetumError {
  return new TapetumError('unsupported', message);
}

function corrupt(message: string): TapetumError {
  return new TapetumError('corrupt', `The file is damaged: ${message}.`);
}

function rawNumbers(file: DngFile, tag: number): number[] | undefined {
  const entry = file.raw.entries.get(tag);
  return entry ? file.reader.numbers(entry) : undefined;
}

/** Rejects what this decoder cannot do, before any image data is touched. */
function checkDecodable(file: DngFile, maxPixels: number): void {
  const { compression, photometric, bitsPerSample, width, height } = file.metadata;
  if (compression === 9) {
    throw unsupported(
      'This DNG uses VC-5 compression (GoPro GPR), which Tapetum cannot read; convert it to a standard DNG first (for example with GoPro\'s gpr tool).',
    );
  }
  if (compression === LOSSY_JPEG && photometric === 'cfa') {
    throw unsupported('This DNG stores its colour-filter mosaic as lossy JPEG, which Tapetum does not support.');
  }
  if (compression !== UNCOMPRESSED && compression !== LOSSLESS_JPEG && compression !== LOSSY_JPEG) {
    const name = compression === 8 ? 'Deflate compression (floating-point DNG)' : compression === 52546 ? 'JPEG XL compression' : `compression type ${compression}`;
    throw unsupported(`This DNG uses ${name}, which Tapetum does not support; export it as an uncompressed or lossless DNG.`);
  }
  if ((rawNumbers(file, Tag.SampleFormat)?.[0] ?? 1) !== 1 || bitsPerSample > 16) {
    throw unsupported(`This DNG stores ${bitsPerSample}-bit or floating-point samples; Tapetum reads integer samples of up to 16 bits.`);
  }
  if ((rawNumbers(file, Tag.PlanarConfiguration)?.[0] ?? 1) !== 1) {
    throw unsupported('This DNG stores its colour planes separately (PlanarConfiguration 2), which Tapetum does not support.');
  }
  if (width * height > maxPixels) {
    const mp = (n: number) => `${Math.round(n / 1e5) / 10} megapixels`;
    throw new TapetumError('too-large', `The image is ${width}x${height} (${mp(width * height)}), more than the ${mp(maxPixels)} Tapetum can process.`);
  }
}

/** Tiles or strips covering the raster, with counts checked against the geometry. */
function imageBlocks(file: DngFile): Block[] {
  return file.raw.entries.has(Tag.TileOffsets) ? tileBlocks(file) : stripBlocks(file);
}

function requiredList(file: DngFile, tag: number, what: string): number[] {
  const values = rawNumbers(file, tag);
  if (!values) throw corrupt(`the raw image has no ${what}`);
  return values;
}

function tileBlocks(file: DngFile): Block[] {
  const { width, height } = file.metadata;
  const tileWidth = rawNumbers(file, Tag.TileWidth)?.[0] ?? 0;
  const tileHeight = rawNumbers(file, Tag.TileLength)?.[0] ?? 0;
  if (!(tileWidth >= 1 && tileHeight >= 1 && tileWidth * tileHeight <= DEFAULT_MAX_PIXELS)) {
    throw corrupt(`its tiles are ${tileWidth}x${tileHeight} pixels`);
  }
  const across = Math.ceil(width / tileWidth);
  const down = Math.ceil(height / tileHeight);
  const offsets = requiredList(file, Tag.TileOffsets, 'tile offsets');
  const byteCounts = requiredList(file, Tag.TileByteCounts, 'tile sizes');
  checkCount(offsets.length, byteCounts.length, across * down, 'tiles');
  const blocks: Block[] = [];
  for (let i = 0; i < across * down; i++) {
    const x = (i % across) * tileWidth;
    const y = Math.floor(i / across) * tileHeight;
    blocks.push({
      offset: offsets[i],
      byteCount: byteCounts[i],
      x,
      y,
      width: tileWidth,
      height: tileHeight,
      visibleWidth: Math.min(tileWidth, width - x),
      visibleHeight: Math.min(tileHeight, height - y),
    });
  }
  return blocks;
}

function stripBlocks(file: DngFile): Block[] {
  const { width, height, compression } = file.metadata;
  const offsets = requiredList(file, Tag.StripOffsets, 'image data offsets');
  const byteCounts = requiredList(file, Tag.StripByteCounts, 'image data sizes');
  let rowsPerStrip = Math.min(rawNumbers(file, Tag.RowsPerStrip)?.[0] ?? height, height);
  if (!(rowsPerStrip >= 1)) throw corrupt(`RowsPerStrip is ${rowsPerStrip}`);
  // Some writers (e.g. AXIOM) store one strip for the whole image but claim fewer rows per strip.
  if (offsets.length === 1 && byteCounts.length === 1 && compression === UNCOMPRESSED) rowsPerStrip = height;
  const count = Math.ceil(height / rowsPerStrip);
  checkCount(offsets.length, byteCounts.length, count, 'strips');
  return Array.from({ length: count }, (_, i) => {
    const y = i * rowsPerStrip;
    const rows = Math.min(rowsPerStrip, height - y);
    return {
      offset: offsets[i],
      byteCount: byteCounts[i],
      x: 0,
      y,
      width,
      height: rows,
      visibleWidth: width,
      visibleHeight: rows,
    };
  });
}

function checkCount(offsets: number, byteCounts: number, needed: number, what: string): void {
  if (offsets !== byteCounts) throw corrupt(`it lists ${offsets} ${what} but ${byteCounts} ${what} sizes`);
  if (offsets < needed) throw corrupt(`it lists ${offsets} image ${what} where ${needed} are needed`);
}

/** Bytes a block occupies: its declared size, or for uncompressed data what the geometry needs. */
function blockLength(file: DngFile, block: Block): number {
  if (file.metadata.compression !== UNCOMPRESSED) return block.byteCount;
  const { bitsPerSample, samplesPerPixel } = file.metadata;
  return packedRowBytes(block.width * samplesPerPixel, bitsPerSample) * block.height;
}

/**
 * Checks that all image data lies inside the file and that compressed data is big enough
 * for the samples it claims, so damaged files fail before the raster is allocated.
 */
function checkBlockBytes(file: DngFile, blocks: Block[]): void {
  const size = file.reader.size;
  let end = 0;
  let compressedBits = 0;
  for (const block of blocks) {
    end = Math.max(end, block.offset + blockLength(file, block));
    compressedBits += block.byteCount * 8;
  }
  if (end > size) {
    throw new TapetumError(
      'truncated',
      `The file is truncated: image data ends at byte ${size} of ${end} expected. Copy the file again from the camera or card.`,
    );
  }
  const { width, height, samplesPerPixel, compression } = file.metadata;
  if (compression === LOSSLESS_JPEG && compressedBits < width * height * samplesPerPixel * MIN_LOSSLESS_BITS_PER_SAMPLE) {
    throw corrupt('its compressed image data is too small for the image size');
  }
}

function tileBytes(file: DngFile, block: Block): Uint8Array {
  return file.reader.bytes.subarray(block.offset, block.offset + block.byteCount);
}

function unpackBlock(file: DngFile, block: Block, stored: StoredRaster): void {
  const { bitsPerSample } = file.metadata;
  const spp = stored.samplesPerPixel;
  const rowBytes = packedRowBytes(block.width * spp, bitsPerSample);
  for (let r = 0; r < block.visibleHeight; r++) {
    const dstOffset = ((block.y + r) * stored.width + block.x) * spp;
    const srcOffset = block.offset + r * rowBytes;
    unpackRow(file.reader.bytes, srcOffset, block.visibleWidth * spp, bitsPerSample, file.reader.littleEndian, stored.data, dstOffset);
  }
}

/** Copies the visible part of a decoded block (rows of `rowStride` samples) into the raster. */
function placeRows(block: Block, stored: StoredRaster, samples: Uint8Array | Uint16Array, rowStride: number): void {
  const spp = stored.samplesPerPixel;
  const rowSamples = block.visibleWidth * spp;
  for (let r = 0; r < block.visibleHeight; r++) {
    const src = samples.subarray(r * rowStride, r * rowStride + rowSamples);
    stored.data.set(src, ((block.y + r) * stored.width + block.x) * spp);
  }
}

/**
 * A lossless JPEG frame holds the block's samples row by row. Its lines may be the block's
 * rows (a CFA tile is often coded as 2 components at half width) or any other split of the
 * same samples; both read as the block's rows when taken in order.
 */
function placeLossless(file: DngFile, block: Block, stored: StoredRaster): void {
  const rowSamples = block.width * stored.samplesPerPixel;
  const maxSamples = Math.min(rowSamples * block.height, block.byteCount * 8);
  const frame = decodeFrame(tileBytes(file, block), maxSamples);
  const frameLine = frame.width * frame.components;
  const sameRows = frameLine === rowSamples && frame.height >= block.visibleHeight;
  const sameSamples = frameLine * frame.height === rowSamples * block.height;
  if (!sameRows && !sameSamples) {
    throw corrupt(
      `a lossless JPEG tile is ${frame.width}x${frame.height}x${frame.components} where ${block.width}x${block.height}x${stored.samplesPerPixel} samples are needed`,
    );
  }
  placeRows(block, stored, frame.data, rowSamples);
}

/**
 * Decodes a Compression 7 tile: lossless JPEG, or the 8/12-bit DCT JPEG some cameras store
 * under the same code. A frame claiming more samples than its tile or its bytes can hold is
 * damaged, not too large.
 */
function decodeFrame(jpeg: Uint8Array, maxSamples: number): LosslessJpegImage | DctJpegImage {
  const marker = jpegFrameMarker(jpeg);
  try {
    return marker === SOF0 || marker === SOF1
      ? decodeDctJpeg(jpeg, { maxSamples, clampToPrecision: false })
      : decodeLosslessJpeg(jpeg, maxSamples);
  } catch (e) {
    throw tileError(e, 'a JPEG tile');
  }
}

async function decodeLossyTile(decode: LossyJpegDecoder, jpeg: Uint8Array): Promise<DecodedJpeg> {
  try {
    return await decode(jpeg);
  } catch (e) {
    throw tileError(e, 'a lossy JPEG tile');
  }
}

/**
 * The error for a tile that failed to decode: a frame claiming more samples than its tile or
 * its bytes can hold is damage, not a too-large image; foreign errors (from a platform or
 * injected decoder) become 'corrupt' with their message.
 */
function tileError(e: unknown, what: string): TapetumError {
  if (!(e instanceof TapetumError)) return corrupt(`${what} cannot be decoded (${e instanceof Error ? e.message : String(e)})`);
  return e.code === 'too-large' ? corrupt(`${what} claims more samples than it can hold`) : e;
}

function placeLossy(block: Block, stored: StoredRaster, tile: DecodedJpeg): void {
  if (tile.channels !== stored.samplesPerPixel || tile.width < block.visibleWidth || tile.height < block.visibleHeight) {
    throw corrupt(
      `a lossy JPEG tile is ${tile.width}x${tile.height}x${tile.channels} where ${block.visibleWidth}x${block.visibleHeight}x${stored.samplesPerPixel} are needed`,
    );
  }
  placeRows(block, stored, tile.data, tile.width * tile.channels);
}
