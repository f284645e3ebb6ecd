import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { folderReader, modelFolder, MODEL_TIERS } from '../../cli/model-files.ts';
import { NODE_BACKENDS, useNodeBackend } from '../../cli/tf-backend.ts';
import { TapetumError } from '../errors.ts';
import { loadModel, type FetchBytes } from './load.ts';

/** Parity tolerance: float32 math in a different library and op order; relative to the largest output. */
const PARITY_TOLERANCE = 1e-4;

function float32Array(base64: string): Float32Array {
  const bytes = Buffer.from(base64, 'base64');
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.length);
  return Float32Array.from({ length: bytes.length / 4 }, (_, i) => view.getFloat32(4 * i, true));
}

async function modelError(fetchBytes: FetchBytes): Promise<TapetumError> {
  const error = await loadModel(fetchBytes).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(error).toBeInstanceOf(TapetumError);
  return error as TapetumError;
}

for (const tier of MODEL_TIERS) {
  const folder = modelFolder(tier);
  const present = existsSync(join(folder, 'model.json'));
  if (!present) console.warn(`model tests for '${tier}' skipped: ${folder} has no model.json`);

  describe.skipIf(!present)(`model '${tier}'`, () => {
    const read = folderReader(folder);
    const manifest = present ? JSON.parse(readFileSync(join(folder, 'model.json'), 'utf8')) : undefined;
    const firstShard: string = manifest?.shards[0].path;

    describe.each(NODE_BACKENDS)('on the %s backend', (backend) => {
      beforeAll(() => useNodeBackend(backend));

      it('reproduces the PyTorch parity vectors exported with the weights, a replica too, and frees every tensor', async () => {
        const start = tf.memory().numTensors;
        const { unet } = await loadModel(read);
        const loadedBytes = tf.memory().numBytes;
        const replica = unet.replicate();
        // Weights of its own (tf.clone would share the data, and add no bytes): 4 bytes per decoded weight.
        const weightBytes = manifest.weightsManifest
          .flatMap((group: { weights: { shape: number[] }[] }) => group.weights)
          .reduce((sum: number, w: { shape: number[] }) => sum + 4 * w.shape.reduce((a, b) => a * b, 1), 0);
        expect(tf.memory().numBytes).toBeGreaterThanOrEqual(loadedBytes + weightBytes);
        const parity = JSON.parse(readFileSync(join(folder, 'parity.json'), 'utf8'));
        const reference = float32Array(parity.output);
        const outputs: Float32Array[] = [];
        for (const network of [unet, replica]) {
          const input = tf.tensor4d(float32Array(parity.input), parity.inputShape);
          const output = network.run(input);
          expect(output.shape).toEqual(parity.outputShape);
          outputs.push((await output.data()) as Float32Array);
          tf.dispose([input, output]);
        }
        let maxError = 0;
        let maxValue = 0;
        for (let i = 0; i < reference.length; i++) {
          maxError = Math.max(maxError, Math.abs(outputs[0]![i]! - reference[i]!));
          maxValue = Math.max(maxValue, Math.abs(reference[i]!));
        }
        console.log(`parity ${tier}/${backend}: max |error| ${maxError.toExponential(2)}, largest output ${maxValue.toFixed(3)}`);
        expect(maxError).toBeLessThanOrEqual(PARITY_TOLERANCE * maxValue);
        expect(outputs[1]).toEqual(outputs[0]);
        unet.dispose();
        replica.dispose();
        expect(tf.memory().numTensors).toBe(start);
      });
    });

    describe('damaged or missing files', () => {
      beforeAll(() => useNodeBackend('cpu'));

      it('refuses a shard with one flipped byte (checksum) and names it', async () => {
        const start = tf.memory().numTensors;
        const error = await modelError(async (path) => {
          const bytes = await read(path);
          if (path === firstShard) bytes[bytes.length >> 1]! ^= 0x10;
          return bytes;
        });
        expect(error.code).toBe('model');
        expect(error.message).toContain(firstShard);
        expect(error.message).toMatch(/damaged \(checksum mismatch\)/);
        expect(tf.memory().numTensors).toBe(start);
      });

      it('refuses a truncated shard by its size', async () => {
        const error = await modelError(async (path) => {
          const bytes = await read(path);
          return path === firstShard ? bytes.subarray(0, bytes.length - 1) : bytes;
        });
        expect(error.code).toBe('model');
        expect(error.message).toMatch(/damaged \(\d+ bytes instead of \d+\)/);
      });

      it('reports a missing shard as a model error naming the file', async () => {
        const error = await modelError(async (path) => (path === firstShard ? read('no-such-shard.bin') : read(path)));
        expect(error.code).toBe('model');
        expect(error.message).toContain(firstShard);
        expect(error.message).toMatch(/could not be read/);
      });

      it('reports a damaged model.json as a model error', async () => {
        const bytes = await read('model.json');
        const cut = async (path: string) => (path === 'model.json' ? bytes.subarray(0, 100) : read(path));
        expect((await modelError(cut)).code).toBe('model');
        const wrongShape = JSON.parse(new TextDecoder().decode(bytes));
        wrongShape.weightsManifest[0].weights[0].shape[3] += 1;
        const reshaped = async (path: string) => (path === 'model.json' ? new TextEncoder().encode(JSON.stringify(wrongShape)) : read(path));
        expect((await modelError(reshaped)).message).toMatch(/the weights need \d+ bytes, the shards hold \d+/);
      });

      it('reads the input convention, and refuses an impossible code centre shift', async () => {
        const { unet } = await loadModel(read);
        expect(unet.codeCentreShift).toBe(manifest.conventions.codeCentreShift ?? 0);
        unet.dispose();
        const bad = JSON.parse(new TextDecoder().decode(await read('model.json')));
        bad.conventions.codeCentreShift = 'half';
        const edited = async (path: string) => (path === 'model.json' ? new TextEncoder().encode(JSON.stringify(bad)) : read(path));
        expect((await modelError(edited)).message).toMatch(/bad code centre shift half/);
      });

      it('reads how many mirrored passes the model is run in, and refuses a count the ensemble has no mirrors for', async () => {
        const { unet } = await loadModel(read);
        expect(unet.passes).toBe(manifest.inference?.passes ?? 1);
        unet.dispose();
        const bad = JSON.parse(new TextDecoder().decode(await read('model.json')));
        bad.inference = { passes: 3 };
        const edited = async (path: string) => (path === 'model.json' ? new TextEncoder().encode(JSON.stringify(bad)) : read(path));
        expect((await modelError(edited)).message).toMatch(/bad pass count 3/);
      });

      it('reports a cancelled load as cancelled', async () => {
        const controller = new AbortController();
        controller.abort();
        const error = await loadModel(async (path, signal) => {
          signal?.throwIfAborted();
          return read(path);
        }, { signal: controller.signal }).catch((e: unknown) => e);
        expect((error as TapetumError).code).toBe('cancelled');
      });
    });
  });
}
