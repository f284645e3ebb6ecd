/**
 * One enhancement in Node, in its own process so its peak memory is its own (run by
 * bench/enhance.ts): `tsx bench/node-enhance.ts <wasm|cpu> <fast|quality> FILE`.
 * Loads and warms up the model, then times decode -> enhanced 16-bit sRGB, the same pipeline
 * the worker runs, and prints one line of JSON.
 */
import { readFileSync } from 'node:fs';
import { totalmem } from 'node:os';
import { folderReader, modelFolder, MODEL_TIERS, type ModelTierName } from '../src/cli/model-files.ts';
import { NODE_BACKENDS, useNodeBackend, type NodeBackend } from '../src/cli/tf-backend.ts';
import { decodeDng } from '../src/pipeline/dng/index.ts';
import { enhanceLinear, renderEnhanced } from '../src/pipeline/enhance/enhance.ts';
import { loadModel } from '../src/pipeline/model/load.ts';
import { warmUp } from '../src/pipeline/model/unet.ts';
import { defaultTileSize } from '../src/worker/backend-choice.ts';

export interface NodeRun {
  decodeMs: number;
  inferMs: number;
  totalMs: number;
  tiles: number;
  tileSize: number;
  ratio: number;
  width: number;
  height: number;
  peakRssBytes: number;
}

const [backend, tier, file] = process.argv.slice(2) as [NodeBackend, ModelTierName, string];
if (!NODE_BACKENDS.includes(backend) || !MODEL_TIERS.includes(tier) || !file) {
  console.error('usage: tsx bench/node-enhance.ts <wasm|cpu> <fast|quality> FILE');
  process.exit(2);
}

await useNodeBackend(backend);
const model = await loadModel(folderReader(modelFolder(tier)));
await warmUp(model.unet);
const bytes = new Uint8Array(readFileSync(file));

const start = performance.now();
const decoded = await decodeDng(bytes);
const decodeMs = performance.now() - start;
const tileSize = defaultTileSize(backend, model.manifest.architecture, { deviceMemoryGiB: totalmem() / 2 ** 30 });
let tiles = 0;
const enhanced = await enhanceLinear(decoded, model.unet, {
  ratio: 'auto',
  tileSize,
  onProgress: (p) => {
    if (p.phase === 'infer') tiles = p.total;
  },
});
const rgb = renderEnhanced(enhanced.image, decoded.metadata);
const totalMs = performance.now() - start;

const run: NodeRun = {
  decodeMs,
  inferMs: enhanced.timings.inferMs,
  totalMs,
  tiles,
  tileSize,
  ratio: enhanced.ratioUsed,
  width: rgb.width,
  height: rgb.height,
  peakRssBytes: process.resourceUsage().maxRSS * 1024,
};
console.log(JSON.stringify(run));
