import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { folderReader, modelFolder } from '../../cli/model-files.ts';
import { useNodeBackend } from '../../cli/tf-backend.ts';
import { loadModel } from './load.ts';
import { wasmHeapBytesPerPixel } from './memory.ts';
import { reserveWasmHeap, wasmHeapBytes } from './wasm-heap.ts';

describe('reserveWasmHeap', () => {
  it('grows the heap so that a run of the window it was sized for needs no more', async () => {
    await useNodeBackend('wasm');
    const { unet, manifest } = await loadModel(folderReader(modelFolder('fast')));
    const side = 512;
    const before = wasmHeapBytes();
    const tensors = tf.memory().numTensors;
    expect(reserveWasmHeap(side * side * wasmHeapBytesPerPixel(manifest.architecture))).toBe(true);
    const reserved = wasmHeapBytes();
    expect(reserved).toBeGreaterThan(before);
    expect(reserved).toBeGreaterThanOrEqual(side * side * wasmHeapBytesPerPixel(manifest.architecture));
    expect(tf.memory().numTensors).toBe(tensors);

    const input = tf.zeros([1, side, side, 4]) as tf.Tensor4D;
    const output = unet.run(input);
    await output.data();
    tf.dispose([input, output]);
    unet.dispose();
    expect(wasmHeapBytes()).toBe(reserved);
  });

  it('reports a reservation beyond what the heap can grow to, and leaves tfjs usable', async () => {
    await useNodeBackend('wasm');
    expect(reserveWasmHeap(8 * 2 ** 30)).toBe(false);
    expect(await tf.add(tf.scalar(1), tf.scalar(2)).data()).toEqual(new Float32Array([3]));
  });
});
