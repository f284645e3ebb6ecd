import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { folderReader, modelFolder } from '../../cli/model-files.ts';
import { useNodeBackend } from '../../cli/tf-backend.ts';
import type { TapetumError } from '../errors.ts';
import { loadModel } from '../model/load.ts';
import { PASS_COUNTS } from '../model/manifest.ts';
import type { UNet } from '../model/unet.ts';
import { inferTiled, type PixelGrid } from './tiled-inference.ts';
import { contextMargin, planTiles } from './tiles.ts';

/**
 * A stand-in network that puts every raw sample back where the sensor took it: output pixel
 * (2y + a, 2x + b) = the packed channel of CFA site (a, b), in all three colours. Any member
 * mirrored or shifted wrongly would return a neighbouring sample instead.
 */
function mosaicNetwork(): UNet {
  const architecture = { type: 'unet', widths: [4, 8, 16, 32, 64], inChannels: 4, outChannels: 3, leakySlope: 0.2, sizeMultiple: 16 } as const;
  // depthToSpace(2) reads block position (a, b) from channels (2a + b) * 3 ... + 2; sites R, G1, G2, B.
  const sites = [0, 1, 3, 2].flatMap((c) => [c, c, c]);
  const run = (x: tf.Tensor4D) => tf.tidy(() => tf.depthToSpace(tf.gather(x, sites, 3) as tf.Tensor4D, 2));
  return { architecture: { ...architecture, widths: [...architecture.widths] }, run } as unknown as UNet;
}

/** The mosaic a packed grid came from, as a 3-channel image (the value in every channel). */
function mosaicOf(packed: PixelGrid): Float32Array {
  const width = 2 * packed.width;
  const out = new Float32Array(width * 2 * packed.height * 3);
  const siteChannel = [[0, 1], [3, 2]];
  for (let y = 0; y < 2 * packed.height; y++) {
    for (let x = 0; x < width; x++) {
      const c = siteChannel[y % 2]![x % 2]!;
      const v = packed.data[((y >> 1) * packed.width + (x >> 1)) * 4 + c]!;
      out.fill(v, (y * width + x) * 3, (y * width + x + 1) * 3);
    }
  }
  return out;
}

function packedGrid(width: number, height: number): PixelGrid {
  const data = Float32Array.from({ length: width * height * 4 }, (_, i) => 0.05 + 0.5 * ((i * 7919) % 101) / 101);
  return { width, height, channels: 4, data };
}

const maxDifference = (a: Float32Array, b: Float32Array) => a.reduce((m, v, i) => Math.max(m, Math.abs(v - b[i]!)), 0);

describe('self-ensemble', () => {
  beforeAll(() => useNodeBackend('wasm'));

  it('maps every member back onto the sample it came from, in one window and across several', async () => {
    // Odd sizes: the windows reach past the packed grid's right and bottom edges (reflection).
    const packed = packedGrid(151, 45);
    const network = mosaicNetwork();
    const expected = mosaicOf(packed);
    const start = tf.memory().numTensors;
    for (const passes of PASS_COUNTS) {
      for (const tileSize of [1024, 64]) {
        const tiling = { tileSize, margin: 8, blend: 16 };
        const windows = planTiles(48, 160, { ...tiling, multiple: 16, scale: 2 }).count;
        expect(windows > 1).toBe(tileSize === 64);
        const out = await inferTiled(network, packed, { tiling, passes });
        // Float rounding of the sums (3v is not exact) and of the cross-fade; a wrong neighbour is off by ~0.1.
        expect(maxDifference(out.data, expected)).toBeLessThan(1e-6);
      }
    }
    expect(tf.memory().numTensors).toBe(start);
  });

  it('reports every network run as progress and stops between the members of a window when cancelled', async () => {
    const packed = packedGrid(151, 45);
    const tiling = { tileSize: 64, margin: 8, blend: 16 };
    const windows = planTiles(48, 160, { ...tiling, multiple: 16, scale: 2 }).count;
    const seen: string[] = [];
    await inferTiled(mosaicNetwork(), packed, { tiling, passes: 4, onTile: (done, total) => seen.push(`${done}/${total}`) });
    expect(seen).toEqual(Array.from({ length: 4 * windows }, (_, i) => `${i + 1}/${4 * windows}`));

    const start = tf.memory().numTensors;
    const controller = new AbortController();
    let runs = 0;
    const onTile = (done: number) => {
      runs = done;
      if (done === 2) controller.abort();
    };
    const error = await inferTiled(mosaicNetwork(), packed, { tiling, passes: 4, signal: controller.signal, onTile }).catch((e: unknown) => e);
    expect((error as TapetumError).code).toBe('cancelled');
    // The first window's third member never ran.
    expect(runs).toBe(2);
    expect(tf.memory().numTensors).toBe(start);
  });
});

const hasModel = existsSync(join(modelFolder('fast'), 'model.json'));
if (!hasModel) console.warn('self-ensemble tests with the fast model skipped: public/model/fast missing');

describe.skipIf(!hasModel)('self-ensemble of the fast model', () => {
  let unet: UNet;
  beforeAll(async () => {
    await useNodeBackend('wasm');
    unet = (await loadModel(folderReader(modelFolder('fast')))).unet;
  });
  afterAll(() => unet?.dispose());

  it('computes the same ensemble window by window as over the whole image', async () => {
    // Windows start and end on the pooling grid, so every mirrored member sees the grid the whole
    // image's would; the margin (96) covers the receptive radius (92) plus the one-pixel shift.
    const packed = packedGrid(480, 64);
    const tiling = { tileSize: 1024, margin: contextMargin(unet.architecture.widths.length), blend: unet.architecture.sizeMultiple };
    const whole = await inferTiled(unet, packed, { tiling, passes: 4 });
    const tiled = await inferTiled(unet, packed, { tiling: { ...tiling, tileSize: Math.sqrt(64 * 256) }, passes: 4 });
    const single = await inferTiled(unet, packed, { tiling });
    expect(planTiles(64, 480, { ...tiling, tileSize: 128, multiple: 16, scale: 2 }).count).toBeGreaterThan(1);
    console.log(`fast model, 4 passes: tiled vs whole max |difference| ${maxDifference(tiled.data, whole.data).toExponential(2)}, vs 1 pass ${maxDifference(whole.data, single.data).toExponential(2)}`);
    expect(maxDifference(tiled.data, whole.data)).toBeLessThan(1e-5);
    // The members really differ: the ensemble is not the single pass.
    expect(maxDifference(whole.data, single.data)).toBeGreaterThan(1e-3);
  });
});
