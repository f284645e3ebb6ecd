import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { folderReader, modelFolder } from '../../cli/model-files.ts';
import { useNodeBackend } from '../../cli/tf-backend.ts';
import { loadModel } from './load.ts';
import { activationFloatsPerPixel, wasmHeapBytesPerPixel } from './memory.ts';
import { warmUp } from './unet.ts';
import { wasmHeapBytes } from './wasm-heap.ts';

describe('run memory', () => {
  it('bounds the memory tfjs really holds during a run of the shipped models', async () => {
    await useNodeBackend('cpu');
    for (const tier of ['fast', 'quality'] as const) {
      const { unet, manifest } = await loadModel(folderReader(modelFolder(tier)));
      const peaks: number[] = [];
      for (const side of [64, 128]) {
        const input = tf.zeros([1, side, side, 4]) as tf.Tensor4D;
        const before = tf.memory().numBytes;
        const info = await tf.profile(() => unet.run(input));
        tf.dispose([input, info.result as tf.Tensor]);
        peaks.push(info.peakBytes - before);
      }
      unet.dispose();
      // Bytes per pixel from the growth between the two sizes (weights and fixed costs cancel).
      const measuredFloats = (peaks[1]! - peaks[0]!) / (128 * 128 - 64 * 64) / 4;
      const estimate = activationFloatsPerPixel(manifest.architecture);
      expect(measuredFloats).toBeLessThanOrEqual(estimate * 1.01);
      expect(measuredFloats).toBeGreaterThan(estimate * 0.9);
    }
  });

  it('bounds the tfjs-wasm heap a run of the shipped models takes', async () => {
    await useNodeBackend('wasm');
    // The heap never shrinks, so each size must need more than any run before it.
    const sizes = { fast: [256, 512], quality: [640, 896] } as const;
    for (const tier of ['fast', 'quality'] as const) {
      const { unet, manifest } = await loadModel(folderReader(modelFolder(tier)));
      const peaks: number[] = [];
      const [small, large] = sizes[tier];
      for (const side of [small, large]) {
        const input = tf.zeros([1, side, side, 4]) as tf.Tensor4D;
        const output = unet.run(input);
        await output.data();
        tf.dispose([input, output]);
        peaks.push(wasmHeapBytes());
      }
      unet.dispose();
      // Per pixel between the two sizes (the heap grows in steps of ~20 %: a coarse measure).
      const measured = (peaks[1]! - peaks[0]!) / (large * large - small * small);
      const estimate = wasmHeapBytesPerPixel(manifest.architecture);
      console.log(`${tier}: tfjs-wasm heap ${measured.toFixed(0)} bytes per packed pixel, estimate ${estimate.toFixed(0)}`);
      expect(measured).toBeLessThanOrEqual(estimate);
      expect(measured).toBeGreaterThan(estimate * 0.8);
    }
  });

  it('warms up on a 256² window on WASM, leaving no tensor behind', async () => {
    await useNodeBackend('wasm');
    const { unet } = await loadModel(folderReader(modelFolder('fast')));
    const tensors = tf.memory().numTensors;
    const profile = await tf.profile(() => warmUp(unet));
    expect(tf.memory().numTensors).toBe(tensors);
    // The network's first convolution saw the full warm-up window.
    const firstConvolution = profile.kernels.find((kernel) => kernel.name === 'FusedConv2D');
    expect(firstConvolution?.inputShapes[0]).toEqual([1, 256, 256, 4]);
    unet.dispose();
  });
});
