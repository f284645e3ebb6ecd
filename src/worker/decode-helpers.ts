/**
 * The processing worker's decoding helpers: one worker per spare core (up to MAX_HELPERS).
 * None without cross-origin isolation, which shared memory needs: decoding then stays on one
 * thread.
 */
import * as Comlink from 'comlink';
import type { BlockHelper } from '../pipeline/dng/decode.ts';
import type { DecodeHelperApi } from './decode-helper.ts';
import { fromErrorInfo } from './error-info.ts';

/** Beyond a few threads the remaining single-threaded steps of opening a photo dominate. */
const MAX_HELPERS = 3;

function startHelper(index: number): BlockHelper {
  const worker = new Worker(new URL('./decode-helper.ts', import.meta.url), { type: 'module', name: `tapetum-decode-${index + 1}` });
  const remote = Comlink.wrap<DecodeHelperApi>(worker);
  return async (job) => {
    // The file copy is the helper's own: transferred, not copied again.
    const failure = await remote.decodeBlocks(Comlink.transfer(job, [job.bytes.buffer]));
    if (failure) throw fromErrorInfo(failure);
  };
}

/** How many helpers a worker with this many logical cores gets, where shared memory works. */
export function helperCount(cores: number, sharedMemory: boolean): number {
  return sharedMemory ? Math.max(0, Math.min(MAX_HELPERS, Math.floor(cores) - 1)) : 0;
}

/** Starts the helpers this worker's cores and isolation allow. */
export function startDecodeHelpers(): BlockHelper[] {
  return Array.from({ length: helperCount(navigator.hardwareConcurrency ?? 1, self.crossOriginIsolated === true) }, (_, i) => startHelper(i));
}
