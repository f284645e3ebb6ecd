/**
 * Runs the U-Net over a packed image of any size, window by window (see tiles.ts), and blends
 * the windows into one full-resolution output. The image is extended to the network's size
 * multiple by reflection at its right and bottom edges (as training/validate.py does), and the
 * extension is cut off the output. Only one window's tensors are alive at a time. With 4
 * passes each window runs once per self-ensemble member (self-ensemble.ts), blended in one by one.
 */
import * as tf from '@tensorflow/tfjs-core';
import { TapetumError } from '../errors.ts';
import { zeroedFloat32 } from '../image/float-pool.ts';
import type { Passes } from '../model/manifest.ts';
import type { UNet } from '../model/unet.ts';
import { ensembleBorder, ensembleMembers, lineShare, memberInput, sourceLine, type EnsembleMember } from './self-ensemble.ts';
import { planTiles, type AxisTiles, type TileOptions, type TilePlan } from './tiles.ts';

/** Interleaved channel-last pixels. */
export interface PixelGrid {
  width: number;
  height: number;
  channels: number;
  data: Float32Array;
}

/** Packed height x width of a window the network runs on. */
export interface WindowShape {
  height: number;
  width: number;
}

/** The blended output, and the one shape all its windows had. */
export interface TiledOutput extends PixelGrid {
  window: WindowShape;
}

export interface TiledRunOptions {
  tiling: Pick<TileOptions, 'tileSize' | 'margin' | 'blend'>;
  signal?: AbortSignal;
  /** Called after each network run with runs done and the total (windows x passes). */
  onTile?: (done: number, total: number) => void;
  /** Factor applied to the output (multiplied on the backend, window by window; default 1). */
  outputScale?: number;
  /** Network runs per window, averaged (self-ensemble.ts; default 1). */
  passes?: Passes;
}

/** Output pixels per packed pixel: the network ends with a depth-to-space by 2. */
const UPSCALE = 2;

/** Index into [0, n) mirrored at the edges without repeating the edge sample (numpy 'reflect'). */
function reflect(i: number, n: number): number {
  if (n === 1) return 0;
  const period = 2 * (n - 1);
  const m = i % period;
  return m < n ? m : period - m;
}

/**
 * An input read on demand, row part by row part: the network input packs straight from the
 * raw this way, with no packed copy of the whole image (48 MB at 12 MP, fresh memory that was
 * slow to fault in).
 */
export interface RowSource {
  width: number;
  height: number;
  channels: number;
  /** Writes pixels [x0, x0 + count) of row y into `into` from float `offset`. */
  readRow(y: number, x0: number, count: number, into: Float32Array, offset: number): void;
}

function rowSourceOf(input: PixelGrid | RowSource): RowSource {
  if ('readRow' in input) return input;
  const { width, height, channels: c, data } = input;
  return {
    width,
    height,
    channels: c,
    readRow: (y, x0, count, into, offset) => into.set(data.subarray((y * width + x0) * c, (y * width + x0 + count) * c), offset),
  };
}

/** Writes the window (y0, x0, h x w) of the input extended by reflection into `into` (h * w * channels floats). */
function fillWindow(input: RowSource, y0: number, x0: number, h: number, w: number, into: Float32Array): void {
  const c = input.channels;
  // The part inside the image is read row by row; only reflected columns go pixel by pixel.
  const inside = Math.max(0, Math.min(w, input.width - x0));
  for (let y = 0; y < h; y++) {
    const row = reflect(y0 + y, input.height);
    const to = y * w * c;
    if (inside > 0) input.readRow(row, x0, inside, into, to);
    for (let x = inside; x < w; x++) input.readRow(row, reflect(x0 + x, input.width), 1, into, to + x * c);
  }
}

/**
 * Window `index`'s weights along one axis divided by the total weight at each output pixel, so
 * the blend needs no normalizing pass: the weights of all windows at a pixel multiply to 1 across
 * the two axes. Also the range of non-zero weights, cut at the image's extent `length` (the
 * reflected extension gets no weight), and within it the run where this window is alone
 * (weight exactly 1: w / w).
 */
function normalizedAxisWeights(axis: AxisTiles, index: number, length: number) {
  const weights = axis.weights[index]!;
  const offset = axis.starts[index]! * UPSCALE;
  const normalized = new Float32Array(weights.length);
  let first = weights.length;
  let end = 0;
  for (let p = 0; p < Math.min(weights.length, length - offset); p++) {
    if (weights[p] === 0) continue;
    normalized[p] = weights[p]! / axis.totals[offset + p]!;
    first = Math.min(first, p);
    end = p + 1;
  }
  let aloneFirst = first;
  while (aloneFirst < end && normalized[aloneFirst] !== 1) aloneFirst++;
  let aloneEnd = aloneFirst;
  while (aloneEnd < end && normalized[aloneEnd] === 1) aloneEnd++;
  return { normalized, offset, first, end, aloneFirst, aloneEnd };
}

/** Where a window's output goes: the rows of the output to read, and how to add them. */
interface WindowBlender {
  firstRow: number;
  endRow: number;
  /** Adds `band`, whole rows of the network's output starting at row `bandFirstRow`, into the image. */
  add(band: Float32Array, bandFirstRow: number): void;
}

/**
 * Blends window (row, col) of `plan` into `sum`. Where the window is alone (most of it) its
 * output is copied: nothing else lands there, and a copy is several times faster than a
 * multiply-add loop.
 */
function windowBlender(sum: PixelGrid, plan: TilePlan, row: number, col: number): WindowBlender {
  const c = sum.channels;
  const rows = normalizedAxisWeights(plan.rows, row, sum.height);
  const cols = normalizedAxisWeights(plan.cols, col, sum.width);
  const rowFloats = cols.normalized.length * c;
  // Column weights repeated per channel, so a row is one flat multiply-add over contiguous floats.
  const colWeights = new Float32Array(rowFloats);
  for (let i = cols.first * c; i < cols.end * c; i++) colWeights[i] = cols.normalized[Math.floor(i / c)]!;
  return {
    firstRow: rows.first,
    endRow: rows.end,
    add(band, bandFirstRow) {
      const blend = (bandRow: number, sumRow: number, wy: number, from: number, to: number) => {
        for (let i = from * c; i < to * c; i++) sum.data[sumRow + i] += wy * colWeights[i]! * band[bandRow + i]!;
      };
      const bandEnd = Math.min(rows.end, bandFirstRow + band.length / rowFloats);
      for (let y = Math.max(rows.first, bandFirstRow); y < bandEnd; y++) {
        const wy = rows.normalized[y]!;
        const bandRow = (y - bandFirstRow) * rowFloats;
        const sumRow = ((rows.offset + y) * sum.width + cols.offset) * c;
        if (wy !== 1) {
          blend(bandRow, sumRow, wy, cols.first, cols.end);
          continue;
        }
        blend(bandRow, sumRow, 1, cols.first, cols.aloneFirst);
        sum.data.set(band.subarray(bandRow + cols.aloneFirst * c, bandRow + cols.aloneEnd * c), sumRow + cols.aloneFirst * c);
        blend(bandRow, sumRow, 1, cols.aloneEnd, cols.end);
      }
    },
  };
}

/**
 * Blends one ensemble member's output for window (row, col) into `sum`, mirrored back onto the
 * window (self-ensemble.ts), weighted by the window's blend weight times the member's share of
 * the mean at each pixel. Always a multiply-add: the other members land on the same pixels.
 */
function memberBlender(sum: PixelGrid, plan: TilePlan, row: number, col: number, member: EnsembleMember): WindowBlender {
  const c = sum.channels;
  const rows = normalizedAxisWeights(plan.rows, row, sum.height);
  const cols = normalizedAxisWeights(plan.cols, col, sum.width);
  const height = rows.normalized.length;
  const width = cols.normalized.length;
  const rowFloats = width * c;
  // Per window column: weight (repeated per channel) and the member's column it comes from.
  const colWeights = new Float32Array(rowFloats);
  const sourceCols = new Int32Array(width).fill(-1);
  for (let x = cols.first; x < cols.end; x++) {
    sourceCols[x] = sourceLine(x, width, member.cols);
    const weight = sourceCols[x]! < 0 ? 0 : cols.normalized[x]! * lineShare(x, member.cols);
    colWeights.fill(weight, x * c, (x + 1) * c);
  }
  // The member's rows that land on the window's weighted rows [rows.first, rows.end).
  const landing = (memberRow: number) => (member.rows.mirrored ? height - memberRow : memberRow);
  const firstRow = member.rows.mirrored ? height - rows.end + 1 : rows.first;
  const endRow = member.rows.mirrored ? Math.min(height, height - rows.first + 1) : rows.end;
  return {
    firstRow,
    endRow,
    add(band, bandFirstRow) {
      const bandEnd = Math.min(endRow, bandFirstRow + band.length / rowFloats);
      for (let memberRow = Math.max(firstRow, bandFirstRow); memberRow < bandEnd; memberRow++) {
        const y = landing(memberRow);
        const wy = rows.normalized[y]! * lineShare(y, member.rows);
        const bandRow = (memberRow - bandFirstRow) * rowFloats;
        const sumRow = ((rows.offset + y) * sum.width + cols.offset) * c;
        for (let x = cols.first; x < cols.end; x++) {
          if (sourceCols[x]! < 0) continue;
          const from = bandRow + sourceCols[x]! * c;
          for (let k = x * c; k < (x + 1) * c; k++) sum.data[sumRow + k] += wy * colWeights[k]! * band[from + k - x * c]!;
        }
      }
    },
  };
}

/**
 * Lets queued events run before the next window: a WASM backend's read-back resolves at once, so
 * without a macrotask break a worker would only see a cancel message after the whole run.
 */
async function yieldThenCheck(signal: AbortSignal | undefined): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, 0));
  if (signal?.aborted) throw new TapetumError('cancelled', 'The enhancement was cancelled.');
}

/**
 * Bytes of network output read back at a time on tfjs-wasm. Small buffers are recycled by the
 * allocator, where a window-sized one (tens of MB) would be fresh memory for every window: slow
 * to fault in, and more peak memory. With a stub network in Node, the work around the network
 * for a 12 MP photo took 320-355 ms this way, 410-430 ms with one read per window.
 */
const WASM_READ_BACK_BYTES = 256 * 1024;

/** tfjs-wasm's readSync, which copies just a range of elements out of its heap. */
interface RangeReader {
  readSync(dataId: object, start: number, end: number): Float32Array;
}

/**
 * Hands rows [firstRow, endRow) of a (1, H, W, C) output to `blender`: on tfjs-wasm in bands of
 * WASM_READ_BACK_BYTES (its tf.slice would copy the whole tensor out for each band), elsewhere
 * in one read (on a GPU each read is a round trip to the device).
 */
async function readBack(output: tf.Tensor4D, blender: WindowBlender): Promise<void> {
  const [, , width, channels] = output.shape;
  const rowFloats = width * channels;
  const { firstRow, endRow } = blender;
  if (tf.getBackend() !== 'wasm') {
    const all = (await output.data()) as Float32Array;
    blender.add(all.subarray(firstRow * rowFloats, endRow * rowFloats), firstRow);
    return;
  }
  const backend = tf.backend() as unknown as RangeReader;
  const bandRows = Math.max(1, Math.floor(WASM_READ_BACK_BYTES / (rowFloats * 4)));
  for (let y = firstRow; y < endRow; y += bandRows) {
    blender.add(backend.readSync(output.dataId, y * rowFloats, Math.min(y + bandRows, endRow) * rowFloats), y);
  }
}

/**
 * One network run on a window's input (h x w), times `scale` (a multiply on the backend,
 * cheaper than one over the read-back floats), blended in by `blender`; its tensors are
 * released before returning.
 */
async function inferWindow(unet: UNet, data: Float32Array, h: number, w: number, scale: number, blender: WindowBlender): Promise<void> {
  const tensors: tf.Tensor[] = [tf.tensor4d(data, [1, h, w, unet.architecture.inChannels])];
  try {
    tensors.push(unet.run(tensors[0] as tf.Tensor4D));
    if (scale !== 1) tensors.push(tf.mul(tensors[1]!, scale));
    await readBack(tensors[tensors.length - 1] as tf.Tensor4D, blender);
  } finally {
    tf.dispose(tensors);
  }
}

/**
 * Packed (height x width x inChannels) -> network output x outputScale (2 height x 2 width x
 * outChannels). Every window has the same shape, so one input buffer serves them all (each
 * backend has its own copy of a window's input once the tensor is made or has run).
 */
export async function inferTiled(unet: UNet, packed: PixelGrid | RowSource, options: TiledRunOptions): Promise<TiledOutput> {
  const { sizeMultiple: multiple, inChannels, outChannels } = unet.architecture;
  if (packed.channels !== inChannels || packed.width < 1 || packed.height < 1) {
    throw new TapetumError('internal', `The network needs ${inChannels} input channels, got ${packed.channels} (${packed.width}x${packed.height}).`);
  }
  const input = rowSourceOf(packed);
  const roundUp = (n: number) => Math.ceil(n / multiple) * multiple;
  const plan = planTiles(roundUp(input.height), roundUp(input.width), { ...options.tiling, multiple, scale: UPSCALE });
  const width = input.width * UPSCALE;
  const height = input.height * UPSCALE;
  const { size: h } = plan.rows;
  const { size: w } = plan.cols;
  const scale = options.outputScale ?? 1;
  const passes = options.passes ?? 1;
  const border = ensembleBorder(passes);
  const sum: PixelGrid = { width, height, channels: outChannels, data: zeroedFloat32(width * height * outChannels) };
  const windowInput = new Float32Array((h + border) * (w + border) * inChannels);
  const memberWindow = passes === 1 ? undefined : new Float32Array(h * w * inChannels);
  const members = ensembleMembers(passes);
  const runs = plan.count * members.length;
  let done = 0;
  for (const [row, y0] of plan.rows.starts.entries()) {
    for (const [col, x0] of plan.cols.starts.entries()) {
      fillWindow(input, y0, x0, h + border, w + border, windowInput);
      for (const member of members) {
        await yieldThenCheck(options.signal);
        if (passes === 1) {
          await inferWindow(unet, windowInput, h, w, scale, windowBlender(sum, plan, row, col));
        } else {
          memberInput(windowInput, h, w, border, member, memberWindow!);
          await inferWindow(unet, memberWindow!, h, w, scale, memberBlender(sum, plan, row, col, member));
        }
        options.onTile?.(++done, runs);
      }
    }
  }
  return { ...sum, window: { height: h, width: w } };
}
