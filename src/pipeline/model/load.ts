/**
 * Loads a model folder (model.json + weight shards) through an injected byte reader, so the
 * same code runs with fetch in a browser or worker and with the file system in Node. Every
 * shard's size and sha256 are checked against model.json before a single weight is decoded.
 */
import * as tf from '@tensorflow/tfjs-core';
import { TapetumError } from '../errors.ts';
import { MODEL_FILE, parseManifest, type ModelManifest, type ModelShard } from './manifest.ts';
import { buildUNet, type UNet } from './unet.ts';

/** Reads one file of the model folder, by its name inside the folder (e.g. 'model.json'). */
export type FetchBytes = (path: string, signal?: AbortSignal) => Promise<Uint8Array>;

export interface LoadModelOptions {
  signal?: AbortSignal;
  /** Files read so far out of all files (model.json and the shards). */
  onProgress?: (done: number, total: number) => void;
}

export interface LoadedModel {
  manifest: ModelManifest;
  unet: UNet;
}

async function readModelFile(fetchBytes: FetchBytes, path: string, signal?: AbortSignal): Promise<Uint8Array> {
  try {
    return await fetchBytes(path, signal);
  } catch (error) {
    if (signal?.aborted) throw new TapetumError('cancelled', 'Loading the model was cancelled.');
    const reason = error instanceof Error ? error.message : String(error);
    throw new TapetumError('model', `The model file ${path} could not be read (${reason}). Check the connection and reload the page, or reinstall Tapetum.`);
  }
}

async function sha256Hex(bytes: Uint8Array): Promise<string> {
  // Browsers offer crypto.subtle only to secure contexts (https, localhost).
  if (!globalThis.crypto?.subtle) {
    throw new TapetumError('model', 'The model files cannot be verified because this page is not served securely. Open Tapetum over https or from localhost.');
  }
  const digest = new Uint8Array(await crypto.subtle.digest('SHA-256', bytes as Uint8Array<ArrayBuffer>));
  return Array.from(digest, (b) => b.toString(16).padStart(2, '0')).join('');
}

async function verifyShard(shard: ModelShard, bytes: Uint8Array): Promise<void> {
  const problem = bytes.length !== shard.bytes ? `${bytes.length} bytes instead of ${shard.bytes}` : (await sha256Hex(bytes)) !== shard.sha256 ? 'checksum mismatch' : undefined;
  if (problem) {
    throw new TapetumError('model', `The model file ${shard.path} is damaged (${problem}). Reload the page to download it again, or reinstall Tapetum.`);
  }
}

/** The shards, verified, concatenated in manifest order. */
async function readWeightBytes(fetchBytes: FetchBytes, manifest: ModelManifest, options: LoadModelOptions): Promise<ArrayBuffer> {
  const total = manifest.shards.length + 1;
  const all = new Uint8Array(manifest.shards.reduce((sum, s) => sum + s.bytes, 0));
  let offset = 0;
  for (const [i, shard] of manifest.shards.entries()) {
    const bytes = await readModelFile(fetchBytes, shard.path, options.signal);
    await verifyShard(shard, bytes);
    all.set(bytes, offset);
    offset += bytes.length;
    options.onProgress?.(i + 2, total);
  }
  return all.buffer;
}

/** Decodes (and dequantizes) the weights; a manifest asking for more bytes than the shards hold is damaged. */
function decodeWeights(buffer: ArrayBuffer, manifest: ModelManifest): tf.NamedTensorMap {
  const specs = manifest.weightsManifest.flatMap((group) => group.weights);
  try {
    return tf.io.decodeWeights(buffer, specs);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new TapetumError('model', `The model's weights could not be decoded (${reason}). Reload the page or reinstall Tapetum.`);
  }
}

/** Reads, verifies and builds the model. Errors are TapetumError 'model' (or 'cancelled'). */
export async function loadModel(fetchBytes: FetchBytes, options: LoadModelOptions = {}): Promise<LoadedModel> {
  const manifest = parseManifest(await readModelFile(fetchBytes, MODEL_FILE, options.signal));
  options.onProgress?.(1, manifest.shards.length + 1);
  const buffer = await readWeightBytes(fetchBytes, manifest, options);
  const weights = decodeWeights(buffer, manifest);
  try {
    return { manifest, unet: buildUNet(manifest.architecture, weights, manifest) };
  } catch (error) {
    tf.dispose(weights);
    throw error;
  }
}
