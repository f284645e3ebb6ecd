/**
 * model.json as written by training/tapetum_train/export.py: the U-Net's architecture, the
 * tf.io weights manifest (names, shapes, quantization) and each shard's size and sha256.
 */
import type * as tf from '@tensorflow/tfjs-core';
import { TapetumError } from '../errors.ts';

export interface UNetArchitecture {
  type: 'unet';
  /** Channels per level, finest first; one 2x2 max-pool between consecutive levels. */
  widths: number[];
  inChannels: number;
  outChannels: number;
  leakySlope: number;
  /** Input height and width must be multiples of this (2 ^ number of poolings). */
  sizeMultiple: number;
}

/** Network runs per window, averaged (src/pipeline/enhance/self-ensemble.ts): alone, or with its three mirrors. */
export type Passes = 1 | 4;

export const PASS_COUNTS: readonly Passes[] = [1, 4];

export interface ModelShard {
  path: string;
  bytes: number;
  sha256: string;
}

export interface ModelManifest {
  tier: string;
  architecture: UNetArchitecture;
  /** Multiply-accumulates per output megapixel, as computed by the exporter. */
  gmacPerMegapixel?: number;
  /** ADC steps the input's raw codes are moved up by (conventions.codeCentreShift; 0 when absent). */
  codeCentreShift: number;
  /** How many mirrored runs of the network are averaged (inference.passes; 1 when absent). */
  passes: Passes;
  weightsManifest: tf.io.WeightsManifestConfig;
  shards: ModelShard[];
}

export const MODEL_FILE = 'model.json';

function damaged(detail: string): TapetumError {
  return new TapetumError('model', `The model file ${MODEL_FILE} is damaged or from an incompatible version (${detail}). Reload the page or reinstall Tapetum.`);
}

const isPositiveInteger = (v: unknown): v is number => Number.isInteger(v) && (v as number) > 0;

function parseArchitecture(a: Record<string, unknown> | undefined): UNetArchitecture {
  if (!a || a.type !== 'unet') throw damaged('not a U-Net');
  if (a.layout !== 'NHWC' || a.kernelLayout !== 'HWIO') throw damaged(`layout ${String(a.layout)}/${String(a.kernelLayout)}`);
  const widths = a.widths;
  if (!Array.isArray(widths) || widths.length < 2 || !widths.every(isPositiveInteger)) throw damaged('bad widths');
  const { inChannels, outChannels, leakySlope, sizeMultiple } = a;
  if (!isPositiveInteger(inChannels) || !isPositiveInteger(outChannels)) throw damaged('bad channel counts');
  if (typeof leakySlope !== 'number' || !Number.isFinite(leakySlope)) throw damaged('bad leaky slope');
  if (sizeMultiple !== 2 ** (widths.length - 1)) throw damaged('size multiple does not match the depth');
  return { type: 'unet', widths, inChannels, outChannels, leakySlope, sizeMultiple };
}

const BYTES_PER_VALUE: Record<string, number> = { float32: 4, int32: 4, float16: 2, uint16: 2, uint8: 1, bool: 1 };

/** Bytes the weights take in the shards, quantized where the manifest says so. */
function weightBytes(weightsManifest: tf.io.WeightsManifestConfig): number {
  let total = 0;
  for (const w of weightsManifest.flatMap((group) => group.weights)) {
    const size = BYTES_PER_VALUE[w.quantization?.dtype ?? w.dtype];
    if (!size || !Array.isArray(w.shape) || !w.shape.every((n) => Number.isInteger(n) && n >= 0)) throw damaged(`bad weight entry ${String(w.name)}`);
    total += size * w.shape.reduce((a, b) => a * b, 1);
  }
  return total;
}

function parseShards(shards: unknown, weightsManifest: tf.io.WeightsManifestConfig): ModelShard[] {
  if (!Array.isArray(shards) || shards.length === 0) throw damaged('no weight shards listed');
  for (const s of shards) {
    if (typeof s?.path !== 'string' || !isPositiveInteger(s.bytes) || !/^[0-9a-f]{64}$/.test(s.sha256)) throw damaged('bad shard entry');
    // Shard names come from a file the app downloads: keep them inside the model folder.
    if (!/^[\w.-]+$/.test(s.path)) throw damaged(`bad shard name ${s.path}`);
  }
  const listed = weightsManifest.flatMap((group) => group.paths);
  if (listed.join('\n') !== shards.map((s) => s.path).join('\n')) throw damaged('shard list does not match the weights manifest');
  const stored = shards.reduce((sum: number, s: ModelShard) => sum + s.bytes, 0);
  if (stored !== weightBytes(weightsManifest)) throw damaged(`the weights need ${weightBytes(weightsManifest)} bytes, the shards hold ${stored}`);
  return shards as ModelShard[];
}

/** Parses and checks model.json; anything missing or inconsistent is a TapetumError('model'). */
export function parseManifest(bytes: Uint8Array): ModelManifest {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw damaged('not valid JSON');
  }
  if (json?.format !== 'tapetum-unet' || json.formatVersion !== 1) throw damaged(`format ${String(json?.format)} ${String(json?.formatVersion)}`);
  const weightsManifest = json.weightsManifest as tf.io.WeightsManifestConfig;
  if (!Array.isArray(weightsManifest) || !weightsManifest.every((g) => Array.isArray(g?.paths) && Array.isArray(g?.weights))) {
    throw damaged('bad weights manifest');
  }
  const cost = json.cost as { gmacPerMegapixel?: unknown } | undefined;
  const shift = (json.conventions as { codeCentreShift?: unknown } | undefined)?.codeCentreShift ?? 0;
  if (typeof shift !== 'number' || !(shift >= 0 && shift <= 1)) throw damaged(`bad code centre shift ${String(shift)}`);
  const passes = (json.inference as { passes?: unknown } | undefined)?.passes ?? 1;
  if (!PASS_COUNTS.includes(passes as Passes)) throw damaged(`bad pass count ${String(passes)}`);
  return {
    tier: String(json.tier),
    architecture: parseArchitecture(json.architecture as Record<string, unknown>),
    gmacPerMegapixel: typeof cost?.gmacPerMegapixel === 'number' ? cost.gmacPerMegapixel : undefined,
    codeCentreShift: shift,
    passes: passes as Passes,
    weightsManifest,
    shards: parseShards(json.shards, weightsManifest),
  };
}
