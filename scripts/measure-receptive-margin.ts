/**
 * Measures how much context a tile needs (the margin behind contextMargin in
 * src/pipeline/enhance/tiles.ts) on a real sid-dev frame.
 *
 *   tsx scripts/measure-receptive-margin.ts [--model fast|quality] [--file NAME] [--tile N] [--margins 32,48,64,80]
 *
 * 1. Influence: one packed pixel in the middle is raised by 0.5 in all channels; prints the
 *    largest output change at each Chebyshev distance (packed pixels) from it.
 * 2. Tiling: renders the frame untiled and with windows of --tile packed pixels for each margin,
 *    and prints the largest difference in 8-bit sRGB (the tiled-vs-untiled criterion is <= 1).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { folderReader, modelFolder, type ModelTierName } from '../src/cli/model-files.ts';
import { useNodeBackend } from '../src/cli/tf-backend.ts';
import { linearize } from '../src/pipeline/dng/linearize.ts';
import { decodeDng } from '../src/pipeline/dng/index.ts';
import { autoRatio } from '../src/pipeline/enhance/auto-ratio.ts';
import { renderEnhanced } from '../src/pipeline/enhance/enhance.ts';
import { networkInput } from '../src/pipeline/enhance/network-input.ts';
import { inferTiled, type PixelGrid } from '../src/pipeline/enhance/tiled-inference.ts';
import { to8bit } from '../src/pipeline/image/rgb-image.ts';
import { loadModel } from '../src/pipeline/model/load.ts';

const { values } = parseArgs({ options: { model: { type: 'string' }, file: { type: 'string' }, tile: { type: 'string' }, margins: { type: 'string' } } });
const tier = (values.model ?? 'fast') as ModelTierName;
const name = values.file ?? '00024_128';
const tileSize = Number(values.tile ?? 256);
const margins = (values.margins ?? '32,48,64,80').split(',').map(Number);

await useNodeBackend('wasm');
const { unet } = await loadModel(folderReader(modelFolder(tier)));
const decoded = await decodeDng(new Uint8Array(readFileSync(join(import.meta.dirname, '../../shared/data/sid-dev', `${name}.dng`))));
const linear = linearize(decoded);
const ratio = autoRatio(linear, decoded.metadata);
const packed = networkInput(linear, decoded.metadata, ratio, unet.codeCentreShift);
if (packed.region.x || packed.region.y || 2 * packed.width !== linear.width || 2 * packed.height !== linear.height) {
  throw new Error('pick an RGGB frame with even dimensions (sid-dev frames are)');
}
const grid: PixelGrid = { width: packed.width, height: packed.height, channels: 4, data: packed.data };
const whole = (input: PixelGrid) => inferTiled(unet, input, { tiling: { tileSize: 1 << 16, margin: 0, blend: 0 } });
console.log(`${name}: ${packed.width}x${packed.height} packed, auto ratio ${ratio.toFixed(1)}, ${tier} model`);

const base = await whole(grid);
const [cy, cx] = [packed.height >> 1, packed.width >> 1];
const raised = new Float32Array(packed.data);
for (let c = 0; c < 4; c++) raised[(cy * packed.width + cx) * 4 + c]! += 0.5;
const moved = await whole({ ...grid, data: raised });
const byDistance = new Float64Array(Math.max(packed.width, packed.height));
for (let y = 0; y < base.height; y++) {
  for (let x = 0; x < base.width; x++) {
    const d = Math.max(Math.abs((y >> 1) - cy), Math.abs((x >> 1) - cx));
    for (let c = 0; c < 3; c++) {
      const i = (y * base.width + x) * 3 + c;
      byDistance[d] = Math.max(byDistance[d]!, Math.abs(moved.data[i]! - base.data[i]!));
    }
  }
}
let reach = byDistance.length - 1;
while (reach > 0 && byDistance[reach] === 0) reach--;
console.log('influence of +0.5 at one packed pixel, by distance:', [0, 4, 8, 16, 24, 32, 48, 64, 72, 80, 88, 96].map((d) => `${d}: ${byDistance[d]!.toExponential(1)}`).join(', '), `; last non-zero at ${reach}`);

const render = (out: PixelGrid) => to8bit(renderEnhanced({ width: out.width, height: out.height, channels: 3, data: out.data }, decoded.metadata));
const reference = render(base);
for (const margin of margins) {
  let windows = 0;
  const tiled = render(await inferTiled(unet, grid, { tiling: { tileSize, margin, blend: 16 }, onTile: (_, total) => (windows = total) }));
  let max = 0;
  for (let i = 0; i < reference.data.length; i++) max = Math.max(max, Math.abs(reference.data[i]! - tiled.data[i]!));
  console.log(`margin ${margin}: ${windows} windows of at most ${tileSize}, max 8-bit difference from untiled ${max}`);
}
unet.dispose();
