/**
 * Learned enhancement of a decoded DNG at full resolution, with the conventions of
 * training/tapetum_train/validate.py (enhance_dng): network input from `networkInputRows`, output =
 * white-balanced linear camera RGB, then the classic pipeline's colour matrix, sRGB curve,
 * DefaultCrop and Orientation (`finishRender`), so the result lines up with `develop`.
 * Runs on whatever tf backend is active.
 */
import { balancedCameraToSrgb, finishRender } from '../develop/develop.ts';
import { checkRatio } from '../develop/normalize.ts';
import type { RenderTarget } from '../develop/tone.ts';
import { cameraNeutral } from '../develop/white-balance.ts';
import { linearize } from '../dng/linearize.ts';
import type { DecodedDng, DngMetadata, LinearRaw, Rect } from '../dng/types.ts';
import { TapetumError } from '../errors.ts';
import { float32ToOverwrite, recycleFloat32 } from '../image/float-pool.ts';
import type { RgbaImage8, RgbImage } from '../image/rgb-image.ts';
import type { UNet } from '../model/unet.ts';
import { autoRatio } from './auto-ratio.ts';
import { networkInputRows } from './network-input.ts';
import { inferTiled, type PixelGrid, type WindowShape } from './tiled-inference.ts';
import { contextMargin } from './tiles.ts';

/** Window budget (at most DEFAULT_TILE_SIZE² packed pixels) when none is given: about 0.2-0.4 GB of activations. */
export const DEFAULT_TILE_SIZE = 1024;

export type EnhancePhase = 'prepare' | 'infer' | 'finish';

export interface EnhanceProgress {
  phase: EnhancePhase;
  /** Network runs done / total during 'infer' (windows x passes); 0/1 or 1/1 otherwise. */
  done: number;
  total: number;
  elapsedMs: number;
  etaMs?: number;
}

export interface EnhanceOptions {
  /** Amplification of the normalized raw, or 'auto' (see auto-ratio.ts). */
  ratio: number | 'auto';
  /** Window budget: at most tileSize² packed pixels per window, any shape (default DEFAULT_TILE_SIZE). */
  tileSize?: number;
  signal?: AbortSignal;
  onProgress?: (progress: EnhanceProgress) => void;
  /** `linearize(decoded)`, when the caller already made it (the worker keeps it from `open`). */
  linear?: LinearRaw;
}

export interface EnhanceTimings {
  prepareMs: number;
  inferMs: number;
  finishMs: number;
  totalMs: number;
}

export interface EnhancedLinear {
  /** Active-area sized, 3 channels: white-balanced linear camera RGB (the neutral at 1, 1, 1). */
  image: LinearRaw;
  ratioUsed: number;
  timings: EnhanceTimings;
  /** The shape of the windows the network ran on (see UNet warm-up: a backend may set up per shape). */
  window: WindowShape;
}

export interface EnhanceResult {
  /** sRGB 16-bit, DefaultCrop and Orientation applied (the same geometry as `develop`). */
  rgb16: RgbImage;
  ratioUsed: number;
  timings: EnhanceTimings;
}

function throwIfAborted(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new TapetumError('cancelled', 'The enhancement was cancelled.');
}

/**
 * The network output placed on the active area: packing skips a first row or column that
 * shifts the Bayer phase and a last odd one, so those take the nearest covered pixel. The
 * output itself is returned when it covers the whole area.
 */
function onActiveArea(output: PixelGrid, region: Rect, width: number, height: number): LinearRaw {
  if (region.x === 0 && region.y === 0 && output.width === width && output.height === height) {
    return { width, height, channels: 3, data: output.data };
  }
  const data = float32ToOverwrite(width * height * 3);
  for (let y = 0; y < height; y++) {
    const sy = Math.min(Math.max(y - region.y, 0), output.height - 1);
    for (let x = 0; x < width; x++) {
      const sx = Math.min(Math.max(x - region.x, 0), output.width - 1);
      const from = (sy * output.width + sx) * 3;
      const to = (y * width + x) * 3;
      // Element copies: a subarray view per pixel would allocate 12 million objects at 12 MP.
      for (let c = 0; c < 3; c++) data[to + c] = output.data[from + c]!;
    }
  }
  recycleFloat32(output.data);
  return { width, height, channels: 3, data };
}

/** The network's white-balanced linear camera RGB for the whole active area. */
export async function enhanceLinear(decoded: DecodedDng, unet: UNet, options: EnhanceOptions): Promise<EnhancedLinear> {
  const start = performance.now();
  const elapsed = () => performance.now() - start;
  const report = (phase: EnhancePhase, done: number, total: number, etaMs?: number) =>
    options.onProgress?.({ phase, done, total, elapsedMs: elapsed(), ...(etaMs === undefined ? {} : { etaMs }) });
  const { metadata } = decoded;

  report('prepare', 0, 1);
  const linear = options.linear ?? linearize(decoded);
  const ratio = options.ratio === 'auto' ? autoRatio(linear, metadata) : options.ratio;
  checkRatio(ratio);
  const packed = networkInputRows(linear, metadata, ratio, unet.codeCentreShift);
  throwIfAborted(options.signal);
  const prepareMs = elapsed();
  report('infer', 0, 1);

  const levels = unet.architecture.widths.length;
  const tiling = { tileSize: options.tileSize ?? DEFAULT_TILE_SIZE, margin: contextMargin(levels), blend: unet.architecture.sizeMultiple };
  const output = await inferTiled(unet, packed, {
    tiling,
    signal: options.signal,
    // The network's neutral is at neutral[green]; scaled so that it is (1, 1, 1).
    outputScale: 1 / cameraNeutral(metadata)[1],
    passes: unet.passes,
    onTile: (done, total) => report('infer', done, total, ((elapsed() - prepareMs) / done) * (total - done)),
  });
  const image = onActiveArea(output, packed.region, linear.width, linear.height);
  const inferMs = elapsed() - prepareMs;
  return { image, ratioUsed: ratio, timings: { prepareMs, inferMs, finishMs: 0, totalMs: elapsed() }, window: output.window };
}

/** Enhanced linear camera RGB -> sRGB (16-bit, or 8-bit RGBA for display) with the file's colour, crop and orientation. */
export function renderEnhanced(image: LinearRaw, metadata: DngMetadata, target?: 'rgb16'): RgbImage;
export function renderEnhanced(image: LinearRaw, metadata: DngMetadata, target: 'rgba8'): RgbaImage8;
export function renderEnhanced(image: LinearRaw, metadata: DngMetadata, target: RenderTarget = 'rgb16'): RgbImage | RgbaImage8 {
  return finishRender(image, metadata, balancedCameraToSrgb(metadata), target);
}

/** Decoded DNG -> enhanced sRGB 16-bit image (see the module comment). */
export async function enhance(decoded: DecodedDng, unet: UNet, options: EnhanceOptions): Promise<EnhanceResult> {
  const enhanced = await enhanceLinear(decoded, unet, options);
  const finishStart = performance.now();
  options.onProgress?.({ phase: 'finish', done: 0, total: 1, elapsedMs: enhanced.timings.totalMs });
  const rgb16 = renderEnhanced(enhanced.image, decoded.metadata);
  const finishMs = performance.now() - finishStart;
  const totalMs = enhanced.timings.totalMs + finishMs;
  options.onProgress?.({ phase: 'finish', done: 1, total: 1, elapsedMs: totalMs });
  return { rgb16, ratioUsed: enhanced.ratioUsed, timings: { ...enhanced.timings, finishMs, totalMs } };
}
