/** tfjs-wasm's heap, grown ahead of the work that needs it. */
import * as tf from '@tensorflow/tfjs-core';

/** The active tfjs-wasm backend's heap size in bytes. */
export function wasmHeapBytes(): number {
  return (tf.backend() as unknown as { wasm: { HEAPU8: Uint8Array } }).wasm.HEAPU8.length;
}

/**
 * Grows tfjs-wasm's heap to hold `bytes` more and writes every page once, then frees them: the
 * heap never shrinks, so the tensors of a later run find their memory already faulted in (fresh
 * memory faulted in at 0.8-1.9 ms per MB on this project's VM). Fill writes in place on the
 * heap, with no JavaScript copy. Returns false when the heap cannot grow that far; the run then
 * grows it itself, or fails there with its own message.
 */
export function reserveWasmHeap(bytes: number): boolean {
  try {
    tf.dispose(tf.fill([Math.floor(bytes / 4)], 0));
    return true;
  } catch {
    return false;
  }
}
