import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { folderReader, modelFolder } from '../../cli/model-files.ts';
import { useNodeBackend } from '../../cli/tf-backend.ts';
import { unetLayout } from '../../ui/unet-layout.ts';
import type { PixelGrid } from '../enhance/tiled-inference.ts';
import { TapetumError } from '../errors.ts';
import { centreTile, featureTileSide, layerFeatureMaps, MAX_FEATURE_TILE } from './feature-maps.ts';
import { loadModel } from './load.ts';
import { layerIds, type UNet } from './unet.ts';

const TILE = 64;

/** A reproducible tile with values in [0, 1) (a linear congruential generator). */
function noiseTile(side: number, channels: number): PixelGrid {
  let state = 12345;
  const data = Float32Array.from({ length: side * side * channels }, () => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return state / 2 ** 31;
  });
  return { width: side, height: side, channels, data };
}

function tensorOf(tile: PixelGrid): tf.Tensor4D {
  return tf.tensor4d(tile.data, [1, tile.height, tile.width, tile.channels]);
}

describe('featureTileSide and centreTile', () => {
  it('keeps a requested side that fits, shrinks to the largest multiple that fits, refuses bad requests', () => {
    expect(featureTileSide(64, 1000, 700, 16)).toBe(64);
    expect(featureTileSide(64, 40, 100, 16)).toBe(32);
    expect(() => featureTileSide(64, 15, 100, 16)).toThrow(TapetumError);
    for (const bad of [0, 8, 24, 63.5, MAX_FEATURE_TILE + 16]) expect(() => featureTileSide(bad, 1000, 1000, 16), String(bad)).toThrow(TapetumError);
  });

  it('cuts the square at the centre, every channel', () => {
    // Value = 100 y + x + channel / 10 identifies each sample.
    const grid: PixelGrid = { width: 7, height: 6, channels: 2, data: new Float32Array(7 * 6 * 2) };
    for (let y = 0; y < 6; y++) for (let x = 0; x < 7; x++) for (let c = 0; c < 2; c++) grid.data[(y * 7 + x) * 2 + c] = 100 * y + x + c / 10;
    const tile = centreTile(grid, 4);
    expect([tile.width, tile.height, tile.channels]).toEqual([4, 4, 2]);
    // x from (7 - 4) >> 1 = 1, y from (6 - 4) >> 1 = 1.
    expect(tile.data[0]).toBeCloseTo(101, 5);
    expect(tile.data[1]).toBeCloseTo(101.1, 5);
    expect(tile.data[(3 * 4 + 3) * 2]).toBeCloseTo(404, 5);
  });
});

const folder = modelFolder('fast');
const present = existsSync(join(folder, 'model.json'));
if (!present) console.warn(`feature map tests skipped: ${folder} has no model.json`);

describe.skipIf(!present)("feature maps of the 'fast' model on the cpu backend", () => {
  let unet: UNet;
  beforeAll(async () => {
    await useNodeBackend('cpu');
    unet = (await loadModel(folderReader(folder))).unet;
  });
  afterAll(() => unet?.dispose());

  it('names the same layers as the explorer, each with the shape the explorer draws', () => {
    const { widths, outChannels } = unet.architecture;
    const layout = unetLayout(unet.architecture, TILE).layers;
    expect(layerIds(unet.architecture)).toEqual(layout.map((layer) => layer.id));

    const start = tf.memory().numTensors;
    const input = tensorOf(noiseTile(TILE, unet.architecture.inChannels));
    const { output, taps } = unet.runWithTaps(input, layerIds(unet.architecture));
    for (const layer of layout) expect(taps[layer.id]!.shape, layer.id).toEqual([1, ...layer.shape]);
    expect(taps['down/0/conv1']!.shape).toEqual([1, TILE, TILE, widths[0]]);
    expect(taps[`down/${widths.length - 1}/conv2`]!.shape).toEqual([1, TILE / 16, TILE / 16, widths.at(-1)]);
    expect(output.shape).toEqual([1, 2 * TILE, 2 * TILE, outChannels]);
    tf.dispose([input, output, ...Object.values(taps)]);
    expect(tf.memory().numTensors).toBe(start);
  });

  it('taps the layers run computes: output equals run exactly, input, pool and depth-to-space agree with their definitions', async () => {
    const start = tf.memory().numTensors;
    const tile = noiseTile(TILE, unet.architecture.inChannels);
    const input = tensorOf(tile);
    const plain = unet.run(input);
    const { output, taps } = unet.runWithTaps(input, ['input', 'down/0/conv2', 'down/0/pool', 'head', 'output']);
    const expected = await plain.data();
    expect(await output.data()).toEqual(expected);
    expect(await taps.output!.data()).toEqual(expected);
    expect(await taps.input!.data()).toEqual(tile.data);

    // down/0/pool is the 2x2 maximum of down/0/conv2.
    const [, h, w, c] = taps['down/0/conv2']!.shape;
    const conv2 = await taps['down/0/conv2']!.data();
    const pool = await taps['down/0/pool']!.data();
    for (let y = 0; y < h / 2; y++) {
      for (let x = 0; x < w / 2; x++) {
        for (let k = 0; k < c; k++) {
          const at = (yy: number, xx: number) => conv2[(yy * w + xx) * c + k]!;
          expect(pool[((y * w) / 2 + x) * c + k]).toBe(Math.max(at(2 * y, 2 * x), at(2 * y, 2 * x + 1), at(2 * y + 1, 2 * x), at(2 * y + 1, 2 * x + 1)));
        }
      }
    }

    // output is head rearranged by depth-to-space 2 in DCR order: out(2y + dy, 2x + dx, k) = head(y, x, (2 dy + dx) C + k).
    const head = await taps.head!.data();
    const outC = unet.architecture.outChannels;
    for (let y = 0; y < TILE; y++) {
      for (let x = 0; x < TILE; x++) {
        for (let d = 0; d < 4; d++) {
          for (let k = 0; k < outC; k++) {
            const v = expected[((2 * y + (d >> 1)) * 2 * TILE + 2 * x + (d & 1)) * outC + k];
            if (v !== head[(y * TILE + x) * 4 * outC + d * outC + k]) throw new Error(`output differs from head at ${y},${x},${d},${k}`);
          }
        }
      }
    }
    tf.dispose([input, plain, output, ...Object.values(taps)]);
    expect(tf.memory().numTensors).toBe(start);
  });

  it('refuses an unknown layer without leaking', () => {
    const start = tf.memory().numTensors;
    const input = tensorOf(noiseTile(16, unet.architecture.inChannels));
    expect(() => unet.runWithTaps(input, ['down/9/conv1'])).toThrow(/no layer down\/9\/conv1/);
    input.dispose();
    expect(tf.memory().numTensors).toBe(start);
  });

  it('returns, for every layer, maps of the layer shape and frees every tensor', async () => {
    const start = tf.memory().numTensors;
    const tile = noiseTile(TILE, unet.architecture.inChannels);
    for (const layer of unetLayout(unet.architecture, TILE).layers) {
      const result = await layerFeatureMaps(unet, tile, layer.id, 6);
      expect(result.layer).toBe(layer.id);
      expect(result.shape, layer.id).toEqual(layer.shape);
      const [h, w, c] = layer.shape;
      expect(result.maps, layer.id).toHaveLength(Math.min(6, c));
      expect(new Set(result.maps.map((m) => m.channel)).size).toBe(result.maps.length);
      for (const map of result.maps) {
        expect([map.width, map.height, map.pixels.length]).toEqual([w, h, w * h * 4]);
        expect(map.min).toBeLessThanOrEqual(map.max);
      }
    }
    expect(tf.memory().numTensors).toBe(start);
  });

  it("returns the output layer's 3 channels with run's value range", async () => {
    const tile = noiseTile(TILE, unet.architecture.inChannels);
    const input = tensorOf(tile);
    const plain = unet.run(input);
    const values = await plain.data();
    tf.dispose([input, plain]);
    const result = await layerFeatureMaps(unet, tile, 'output', 6);
    expect(result.maps.map((m) => m.channel).sort()).toEqual([0, 1, 2]);
    for (const map of result.maps) {
      const channel = values.filter((_, i) => i % 3 === map.channel);
      expect(map.min).toBe(Math.min(...channel));
      expect(map.max).toBe(Math.max(...channel));
    }
  });

  it('orders channels by variance and maps each from its minimum (0) to its maximum (255)', async () => {
    // Packed channels with known spreads along x: ramps 0..0.5 (c0), 0..1 (c2), 0..0.25 (c3); c1 flat.
    const side = 16;
    const tile: PixelGrid = { width: side, height: side, channels: 4, data: new Float32Array(side * side * 4) };
    for (let y = 0; y < side; y++) {
      for (let x = 0; x < side; x++) tile.data.set([(0.5 * x) / 15, 0.3, x / 15, (0.25 * x) / 15], (y * side + x) * 4);
    }
    const result = await layerFeatureMaps(unet, tile, 'input', 6);
    expect(result.maps.map((m) => m.channel)).toEqual([2, 0, 3, 1]);
    const ramp = result.maps[0]!;
    expect([ramp.min, ramp.max]).toEqual([0, 1]);
    // Row 5, x = 0, 3 and 15: grey 0, 51, 255, opaque.
    expect(Array.from(ramp.pixels.subarray((5 * side) * 4, (5 * side) * 4 + 4))).toEqual([0, 0, 0, 255]);
    expect(Array.from(ramp.pixels.subarray((5 * side + 3) * 4, (5 * side + 3) * 4 + 4))).toEqual([51, 51, 51, 255]);
    expect(Array.from(ramp.pixels.subarray((5 * side + 15) * 4, (5 * side + 15) * 4 + 4))).toEqual([255, 255, 255, 255]);
    const flat = result.maps[3]!;
    expect(flat.min).toBeCloseTo(0.3, 6);
    expect(flat.max).toBe(flat.min);
    expect(flat.pixels.every((v, i) => v === (i % 4 === 3 ? 255 : 0))).toBe(true);
    expect((await layerFeatureMaps(unet, tile, 'input', 2)).maps.map((m) => m.channel)).toEqual([2, 0]);
  });
});
