/** TensorFlow.js backends for Node (the CLI and tests): WASM from the package's own binaries, or plain JS. */
import { createRequire } from 'node:module';
import { dirname } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { setWasmPaths } from '@tensorflow/tfjs-backend-wasm';

export const NODE_BACKENDS = ['wasm', 'cpu'] as const;
export type NodeBackend = (typeof NODE_BACKENDS)[number];

let wasmPathsSet = false;

/** Makes `name` the active tf backend (idempotent). */
export async function useNodeBackend(name: NodeBackend): Promise<void> {
  // Production mode: no "install tfjs-node" banner or debug warnings on the CLI's stderr.
  tf.env().set('PROD', true);
  if (name === 'wasm' && !wasmPathsSet) {
    const entry = createRequire(import.meta.url).resolve('@tensorflow/tfjs-backend-wasm');
    setWasmPaths(`${dirname(entry)}/`);
    wasmPathsSet = true;
  }
  if (tf.getBackend() === name) return;
  if (!(await tf.setBackend(name))) throw new Error(`the TensorFlow.js ${name} backend failed to start`);
  await tf.ready();
}
