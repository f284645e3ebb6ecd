import { existsSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { folderReader, modelFolder } from '../../cli/model-files.ts';
import { useNodeBackend } from '../../cli/tf-backend.ts';
import { recycleFloat32 } from '../image/float-pool.ts';
import { loadModel } from '../model/load.ts';
import type { UNet } from '../model/unet.ts';
import type { DngMetadata, LinearRaw } from '../dng/types.ts';
import { networkInput, networkInputRows } from './network-input.ts';
import { inferTiled, type PixelGrid } from './tiled-inference.ts';
import { contextMargin, planTiles } from './tiles.ts';

/** What the network input reads of a DNG's metadata: the white balance. */
const METADATA = { asShotNeutral: [0.5, 1, 0.4] } as DngMetadata;

const hasModel = existsSync(join(modelFolder('fast'), 'model.json'));
if (!hasModel) console.warn('tiled inference tests skipped: public/model/fast missing');

/** Mean over rows of one channel, per output column. */
function columnMeans(image: PixelGrid, channel: number): Float64Array {
  const means = new Float64Array(image.width);
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) means[x] += image.data[(y * image.width + x) * image.channels + channel]!;
  }
  return means.map((s) => s / image.height);
}

/** Amplitude of the component of period `period` samples (a DFT bin). */
function amplitudeAtPeriod(signal: Float64Array, period: number): number {
  let re = 0;
  let im = 0;
  signal.forEach((v, n) => {
    re += v * Math.cos((2 * Math.PI * n) / period);
    im -= v * Math.sin((2 * Math.PI * n) / period);
  });
  return Math.hypot(re, im) / signal.length;
}

describe.skipIf(!hasModel)('tiled inference', () => {
  let unet: UNet;
  beforeAll(async () => {
    await useNodeBackend('wasm');
    unet = (await loadModel(folderReader(modelFolder('fast')))).unet;
  });
  afterAll(() => unet?.dispose());

  it('leaves no periodic artefact at the tile grid on a flat field', async () => {
    // The network itself is only periodic-invariant (sub-pixel patterns of period <= 32 output
    // pixels even on a flat field), so the tiled result is compared with the untiled one: any
    // tiling artefact is in their difference.
    const flat: PixelGrid = { width: 1024, height: 48, channels: 4, data: new Float32Array(1024 * 48 * 4).fill(0.3) };
    // A budget of 48 x 256 pixels: windows of the full height, 256 wide.
    const tiling = { tileSize: Math.sqrt(48 * 256), margin: contextMargin(unet.architecture.widths.length), blend: unet.architecture.sizeMultiple };
    const start = tf.memory().numTensors;
    const whole = await inferTiled(unet, flat, { tiling: { ...tiling, tileSize: 4096 } });
    const tiled = await inferTiled(unet, flat, { tiling });
    expect(tf.memory().numTensors).toBe(start);

    const plan = planTiles(flat.height, flat.width, { ...tiling, multiple: 16, scale: 2 });
    const period = 2 * (plan.cols.starts[1]! - plan.cols.starts[0]!);
    expect(plan.cols.starts.length).toBeGreaterThan(4);
    // Each run reports the one window shape it used (what a backend sets its convolutions up for).
    expect(whole.window).toEqual({ height: 48, width: 1024 });
    expect(tiled.window).toEqual({ height: 48, width: 256 });
    for (let channel = 0; channel < 3; channel++) {
      const a = columnMeans(whole, channel);
      const b = columnMeans(tiled, channel);
      const difference = a.map((v, i) => b[i]! - v);
      const largest = Math.max(...difference.map(Math.abs));
      const atTilePeriod = amplitudeAtPeriod(difference, period);
      console.log(`flat field, channel ${channel}: ${plan.cols.starts.length} windows (period ${period} px), max column-mean difference ${largest.toExponential(2)}, amplitude at the tile period ${atTilePeriod.toExponential(2)}`);
      // Below one 16-bit code (linear), far below anything visible.
      expect(largest).toBeLessThan(1 / 65535);
      expect(atTilePeriod).toBeLessThan(0.1 / 65535);
    }
  });

  it('handles images smaller than the size multiple and odd sizes (reflection padding), output 2x', async () => {
    const start = tf.memory().numTensors;
    for (const [width, height] of [[1, 1], [5, 3], [17, 33]] as const) {
      const data = Float32Array.from({ length: width * height * 4 }, (_, i) => 0.1 + 0.4 * ((i * 7919) % 97) / 97);
      const out = await inferTiled(unet, { width, height, channels: 4, data }, { tiling: { tileSize: 256, margin: 80, blend: 16 } });
      expect([out.width, out.height, out.channels, out.data.length]).toEqual([2 * width, 2 * height, 3, 4 * width * height * 3]);
      expect(out.data.every(Number.isFinite)).toBe(true);
    }
    expect(tf.memory().numTensors).toBe(start);
  });

  it('scales the output by outputScale, in one window and blended across several', async () => {
    const [width, height] = [480, 64];
    const data = Float32Array.from({ length: width * height * 4 }, (_, i) => 0.05 + 0.5 * ((i * 7919) % 101) / 101);
    const packed: PixelGrid = { width, height, channels: 4, data };
    const margin = contextMargin(unet.architecture.widths.length);
    // One window, then windows of the full height and 256 wide.
    for (const tileSize of [1024, Math.sqrt(64 * 256)]) {
      const tiling = { tileSize, margin, blend: unet.architecture.sizeMultiple };
      const plain = await inferTiled(unet, packed, { tiling });
      const scaled = await inferTiled(unet, packed, { tiling, outputScale: 0.37 });
      const windows = planTiles(height, width, { ...tiling, multiple: unet.architecture.sizeMultiple, scale: 2 }).count;
      expect(windows > 1).toBe(tileSize < 1024);
      let largest = 0;
      plain.data.forEach((v, i) => (largest = Math.max(largest, Math.abs(scaled.data[i]! - 0.37 * v))));
      expect(largest).toBeLessThan(1e-6);
    }
  });

  it('blends the same image on the CPU backend (one read back per window) as on WASM (bands)', async () => {
    const [width, height] = [480, 64];
    const data = Float32Array.from({ length: width * height * 4 }, (_, i) => 0.05 + 0.5 * ((i * 7919) % 101) / 101);
    const tiling = { tileSize: Math.sqrt(64 * 256), margin: contextMargin(unet.architecture.widths.length), blend: unet.architecture.sizeMultiple };
    const outputs: PixelGrid[] = [];
    for (const backend of ['wasm', 'cpu'] as const) {
      await useNodeBackend(backend);
      const model = (await loadModel(folderReader(modelFolder('fast')))).unet;
      outputs.push(await inferTiled(model, { width, height, channels: 4, data }, { tiling }));
      model.dispose();
    }
    await useNodeBackend('wasm');
    let largest = 0;
    outputs[0]!.data.forEach((v, i) => (largest = Math.max(largest, Math.abs(outputs[1]!.data[i]! - v))));
    expect(largest).toBeLessThan(1e-5);
  });

  it("blends into a recycled array (the last image's output, overwritten) as into a new one", async () => {
    // An output of 768 x 512 x 3 floats, large enough to be recycled, blended from 2 x 2 windows.
    const [width, height] = [384, 256];
    const data = Float32Array.from({ length: width * height * 4 }, (_, i) => 0.05 + 0.5 * ((i * 7919) % 101) / 101);
    const tiling = { tileSize: 256, margin: contextMargin(unet.architecture.widths.length), blend: unet.architecture.sizeMultiple };
    expect(planTiles(height, width, { ...tiling, multiple: 16, scale: 2 }).count).toBe(4);
    const first = await inferTiled(unet, { width, height, channels: 4, data }, { tiling });
    const expected = first.data.slice();
    first.data.fill(5);
    recycleFloat32(first.data);
    const second = await inferTiled(unet, { width, height, channels: 4, data }, { tiling });
    expect(second.data === first.data).toBe(true);
    expect(second.data.every((v, i) => v === expected[i])).toBe(true);
  });

  it('gives the same output packing window by window from the raw as from the packed image', async () => {
    // GRBG (the red site at x = 1) and odd sizes: the packing drops a column and a row, and the
    // windows reach past the packed grid's right and bottom edges, which they reflect.
    const [width, height] = [2 * 300 + 2, 2 * 50 + 1];
    const data = Float32Array.from({ length: width * height }, (_, i) => 0.002 + 0.01 * ((i * 7919) % 97) / 97);
    const linear: LinearRaw = { width, height, channels: 1, cfaPattern: [1, 0, 2, 1], data, codeStep: 4 / 15871 };
    const tiling = { tileSize: Math.sqrt(64 * 256), margin: contextMargin(unet.architecture.widths.length), blend: unet.architecture.sizeMultiple };
    const packed = networkInput(linear, METADATA, 40, unet.codeCentreShift);
    const rows = networkInputRows(linear, METADATA, 40, unet.codeCentreShift);
    expect(rows.region).toEqual(packed.region);
    const reference = await inferTiled(unet, { width: packed.width, height: packed.height, channels: 4, data: packed.data }, { tiling });
    const onDemand = await inferTiled(unet, rows, { tiling });
    expect(planTiles(64, 304, { ...tiling, multiple: 16, scale: 2 }).count).toBeGreaterThan(1);
    expect(onDemand.data).toEqual(reference.data);
  });
});
