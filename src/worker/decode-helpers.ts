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

interface Helper {
  job: BlockHelper;
  worker: Worker;
}

function startHelper(index: number): Helper {
  const worker = new Worker(new URL('./decode-helper.ts', import.meta.url), { type: 'module', name: `tapetum-decode-${index + 1}` });
  const remote = Comlink.wrap<DecodeHelperApi>(worker);
  // A helper whose script could not load, or that crashed, would never answer: its jobs fail
  // at once instead (with a plain Error, so that decodeDng decodes their shares itself).
  let lost: Error | undefined;
  const stopped = new Promise<never>((_, reject) => {
    worker.addEventListener('error', (event) => {
      lost = new Error(`decoding helper ${index + 1} stopped (${event.message || 'it could not start'})`);
      reject(lost);
    });
  });
  stopped.catch(() => undefined);
  const job: BlockHelper = async (blocks) => {
    if (lost) throw lost;
    // The file copy is the helper's own: transferred, not copied again.
    const failure = await Promise.race([remote.decodeBlocks(Comlink.transfer(blocks, [blocks.bytes.buffer])), stopped]);
    if (failure) throw fromErrorInfo(failure);
  };
  return { job, worker };
}

/** How many helpers a worker with this many logical cores gets, where shared memory works. */
export function helperCount(cores: number, sharedMemory: boolean): number {
  return sharedMemory ? Math.max(0, Math.min(MAX_HELPERS, Math.floor(cores) - 1)) : 0;
}

export interface DecodeHelpers {
  /** For decodeDng's `helpers`. */
  jobs: BlockHelper[];
  /** Diagnostics: stops the helper workers as a crash would (they answer nothing more); returns how many. */
  terminate(): number;
}

/** Starts the helpers this worker's cores and isolation allow. */
export function startDecodeHelpers(): DecodeHelpers {
  const helpers = Array.from({ length: helperCount(navigator.hardwareConcurrency ?? 1, self.crossOriginIsolated === true) }, (_, i) => startHelper(i));
  return {
    jobs: helpers.map((helper) => helper.job),
    terminate: () => {
      helpers.forEach((helper) => helper.worker.terminate());
      return helpers.length;
    },
  };
}
