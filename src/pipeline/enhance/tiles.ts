/**
 * Tile plan for running the network on an image of any size, one window at a time.
 *
 * Along each axis, windows of `tileSize` packed pixels start at multiples of `multiple` (the
 * network's size multiple), so every window sees the same pooling grid as the whole image and
 * computes the same function. A window's output is trusted except within `margin` packed
 * pixels of an edge that lies inside the image (there the network misses context it would have
 * had); at the image's own edges it is trusted to the border, since the whole image has no more
 * context there either. Neighbouring trusted parts overlap by at least `blend` packed pixels, in
 * which the windows are cross-faded with raised-cosine ramps; weights are normalised by their
 * sum, so any larger overlap (the last window is pushed back to end at the image edge) blends
 * just as smoothly. Rows and columns get their windows and weights separately; a window's weight
 * is the product of its row and column weights, and so is the total weight at a pixel.
 *
 * A window's memory grows with its area, not its side, so the budget is an area: windows may
 * be any rectangle of at most tileSize² packed pixels. Of all row and column counts within
 * it, the plan computes the fewest pixels in all (each inner edge pays its margin again).
 */
import { TapetumError } from '../errors.ts';

export interface TileOptions {
  /**
   * Window budget: at most tileSize² packed pixels, in any shape; raised to the smallest
   * window that can cover the image (see minimumTileSize).
   */
  tileSize: number;
  /** Packed pixels at an inner window edge whose output is not used. */
  margin: number;
  /** Packed pixels over which neighbouring windows cross-fade. */
  blend: number;
  /** Window sides and starts are multiples of this. */
  multiple: number;
  /** Output pixels per packed pixel along an axis (2: the network outputs full resolution). */
  scale: number;
}

export interface AxisTiles {
  /** Window starts, in packed pixels. */
  starts: number[];
  /** Window length, in packed pixels. */
  size: number;
  /** Per window: its blending weight at each of its size x scale output pixels. */
  weights: Float32Array[];
  /** Sum of all windows' weights at each output pixel of the axis (all > 0). */
  totals: Float32Array;
}

export interface TilePlan {
  rows: AxisTiles;
  cols: AxisTiles;
  count: number;
}

const roundDown = (value: number, multiple: number) => Math.floor(value / multiple) * multiple;

/**
 * Packed pixels of context a window needs at an inner edge, for a U-Net of `levels` levels.
 * Its receptive radius is 2 packed pixels per pair of 3x3 convolutions, times 2^level:
 * 2(2^levels - 1) on the way down plus 2(2^(levels-1) - 1) on the way up (92 for 5 levels).
 * The radius rounded up to the size multiple, so that nothing outside a window reaches its
 * trusted part and tiles compute the untiled image exactly (up to float rounding). Rounded
 * down (80), the margin let the last 12-14 pixels of influence through: measured on the fast
 * model of November 2026, a single-pixel change still moved outputs at 88 and 94 packed pixels
 * (2.9e-5 at 80, nothing at 96), and a tiled flat field drifted by 1.4 16-bit codes.
 */
export function contextMargin(levels: number): number {
  const radius = 2 * (2 ** levels - 1) + 2 * (2 ** (levels - 1) - 1);
  const multiple = 2 ** (levels - 1);
  return Math.ceil(radius / multiple) * multiple;
}

/** The smallest window side that still advances by one `multiple` per window. */
export function minimumTileSize(options: Pick<TileOptions, 'margin' | 'blend' | 'multiple'>): number {
  return roundDown(2 * options.margin + options.blend + 2 * options.multiple - 1, options.multiple);
}

/** Raised-cosine ramp from ~0 to ~1 over n samples, symmetric so that ramp(t) + ramp(n-1-t) = 1. */
function rampUp(t: number, n: number): number {
  return 0.5 - 0.5 * Math.cos((Math.PI * (t + 0.5)) / n);
}

function windowStarts(length: number, size: number, stride: number): number[] {
  const starts = [0];
  while (starts.at(-1)! + size < length) starts.push(Math.min(starts.at(-1)! + stride, length - size));
  return starts;
}

function windowWeights(index: number, count: number, size: number, options: TileOptions): Float32Array {
  const { margin, blend, scale } = options;
  const n = size * scale;
  const weights = new Float32Array(n);
  const first = index === 0;
  const last = index === count - 1;
  const lo = first ? 0 : margin * scale;
  const hi = last ? n : n - margin * scale;
  const ramp = blend * scale;
  for (let p = lo; p < hi; p++) {
    const up = first || ramp === 0 ? 1 : rampUp(Math.min(p - lo, ramp - 1), ramp);
    const down = last || ramp === 0 ? 1 : rampUp(Math.min(hi - 1 - p, ramp - 1), ramp);
    weights[p] = up * down;
  }
  return weights;
}

/** A way to cover one axis: `count` windows of `size` packed pixels. */
interface AxisChoice {
  count: number;
  size: number;
}

const strideOf = (size: number, options: TileOptions) => roundDown(size - 2 * options.margin - options.blend, options.multiple);

/**
 * Every useful way to cover `length`: for each window count, the smallest window needing no
 * more windows than that (fewer, larger windows waste less on margins; smaller ones fit a
 * tighter budget along the other axis). From one window of the whole length down to the
 * smallest workable size.
 */
function axisChoices(length: number, options: TileOptions): AxisChoice[] {
  const { multiple } = options;
  const minimum = minimumTileSize(options);
  const overlap = 2 * options.margin + options.blend;
  const choices: AxisChoice[] = [{ count: 1, size: length }];
  for (let count = 2; choices.at(-1)!.size > minimum; count++) {
    let size = Math.max(minimum, Math.ceil((length + (count - 1) * overlap) / count / multiple) * multiple);
    let windows = windowStarts(length, size, strideOf(size, options)).length;
    while (windows > count) {
      size += multiple;
      windows = windowStarts(length, size, strideOf(size, options)).length;
    }
    if (size < choices.at(-1)!.size) choices.push({ count: windows, size });
  }
  return choices;
}

function planAxis(length: number, size: number, options: TileOptions): AxisTiles {
  const { scale } = options;
  const starts = windowStarts(length, size, strideOf(size, options));
  const weights = starts.map((_, i) => windowWeights(i, starts.length, size, options));
  const totals = new Float32Array(length * scale);
  starts.forEach((start, i) => weights[i]!.forEach((w, p) => (totals[start * scale + p] += w)));
  return { starts, size, weights, totals };
}

function checkLength(length: number, multiple: number): void {
  if (length <= 0 || length % multiple) {
    throw new TapetumError('internal', `Tiling needs a length that is a positive multiple of ${multiple}, got ${length}.`);
  }
}

/** Plans the windows over a packed image of height x width (multiples of `options.multiple`). */
export function planTiles(height: number, width: number, options: TileOptions): TilePlan {
  checkLength(height, options.multiple);
  checkLength(width, options.multiple);
  const smallest = (length: number) => Math.min(length, minimumTileSize(options));
  // Rounded to whole pixels, so that a budget given as a square root is met exactly.
  const budget = Math.max(Math.round(options.tileSize ** 2), smallest(height) * smallest(width));
  let best: { rows: AxisChoice; cols: AxisChoice; computed: number } | undefined;
  // The last choice of each axis is its smallest, so at least that pair fits.
  const colChoices = axisChoices(width, options);
  for (const rows of axisChoices(height, options)) {
    for (const cols of colChoices) {
      if (rows.size * cols.size > budget) continue;
      const computed = rows.count * rows.size * cols.count * cols.size;
      const better = !best || computed < best.computed || (computed === best.computed && rows.count * cols.count < best.rows.count * best.cols.count);
      if (better) best = { rows, cols, computed };
    }
  }
  const rows = planAxis(height, best!.rows.size, options);
  const cols = planAxis(width, best!.cols.size, options);
  return { rows, cols, count: rows.starts.length * cols.starts.length };
}
