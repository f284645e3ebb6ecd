/**
 * Diagnostics: the network on its parity input (exported by training/ with the PyTorch
 * output), compared with that output, and the speed of one full-size tile in as many network
 * runs as the tier makes per window (its passes, self-ensemble.ts; the mirroring and averaging
 * around them are not timed).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { UNet } from '../pipeline/model/unet.ts';
import { maxAbsDifference, parseParity, type ParityArray } from './parity.ts';
import type { FetchBytes } from '../pipeline/model/load.ts';

/**
 * Largest difference from PyTorch's output that still counts as the same network: both run
 * the same float16-rounded weights in float32, so only summation order differs (about 1e-5
 * on CPUs; GPUs may use fused multiply-add and other reduction orders).
 */
export const PARITY_TOLERANCE = 1e-3;

export interface BenchmarkResult {
  /** Side of the timed tile in packed pixels (its output is twice as wide). */
  tileSize: number;
  msPerTile: number;
  megapixelsPerSecond: number;
  maxError: number;
  ok: boolean;
}

async function runOnce(unet: UNet, input: ParityArray): Promise<Float32Array> {
  const x = tf.tensor4d(input.data, input.shape);
  const y = unet.run(x);
  try {
    return (await y.data()) as Float32Array;
  } finally {
    tf.dispose([x, y]);
  }
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

/** Timed tiles: the largest of these whose run should take under TIME_BUDGET_MS. */
const TILE_SIDES = [32, 64, 128, 256];
const TIME_BUDGET_MS = 1000;

/**
 * Checks parity, then times `runs` inferences of a tile as large as `largestTile` that the
 * backend runs in about a second (a software GPU such as SwiftShader gets a small one).
 */
export async function benchmarkModel(unet: UNet, fetchBytes: FetchBytes, largestTile: number, runs = 3): Promise<BenchmarkResult> {
  const parity = parseParity(await fetchBytes('parity.json'));
  const parityStart = performance.now();
  const maxError = maxAbsDifference(await runOnce(unet, parity.input), parity.output.data);
  const parityMs = performance.now() - parityStart;
  const paritySide = parity.input.shape[1];
  const tileSize = TILE_SIDES.filter((side) => side <= largestTile && parityMs * unet.passes * (side / paritySide) ** 2 <= TIME_BUDGET_MS).pop() ?? TILE_SIDES[0]!;
  const channels = unet.architecture.inChannels;
  const tile: ParityArray = { shape: [1, tileSize, tileSize, channels], data: new Float32Array(tileSize * tileSize * channels).fill(0.1) };
  await runOnce(unet, tile); // compiles kernels and sizes buffers for this tile shape
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    for (let pass = 0; pass < unet.passes; pass++) await runOnce(unet, tile);
    times.push(performance.now() - start);
  }
  const msPerTile = median(times);
  const outputMegapixels = (2 * tileSize) ** 2 / 1e6;
  return { tileSize, msPerTile, megapixelsPerSecond: outputMegapixels / (msPerTile / 1000), maxError, ok: maxError <= PARITY_TOLERANCE };
}
