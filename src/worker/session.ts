/**
 * The worker's one TensorFlow.js engine: which backend is active and which model is loaded on
 * it, runs serialized one at a time, and the fallback to the next backend when one fails.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { WindowShape } from '../pipeline/enhance/tiled-inference.ts';
import { isTapetumError, TapetumError } from '../pipeline/errors.ts';
import { reserveFloat32 } from '../pipeline/image/float-pool.ts';
import { loadModel, type LoadedModel } from '../pipeline/model/load.ts';
import { wasmHeapBytesPerPixel } from '../pipeline/model/memory.ts';
import { reserveWasmHeap } from '../pipeline/model/wasm-heap.ts';
import { warmUp, type UNet } from '../pipeline/model/unet.ts';
import type { BackendName, ModelTier } from './api.ts';
import { backendOrder, defaultModelTier, defaultTileSize, type BackendProbe } from './backend-choice.ts';
import { deviceMemoryGiB, markFailed, probeEnvironment, startBackend, type ActiveBackend } from './backends.ts';
import { recallLastRender } from './last-render.ts';
import { modelFetcher, storeTierForLater } from './model-source.ts';

export interface Engine {
  backend: ActiveBackend;
  tier: ModelTier;
  /** Runs full-resolution windows. */
  model: LoadedModel;
  /**
   * `model.unet` replicated, for everything small: quick renders, the diagnostics benchmark,
   * feature maps. A full render after a quick one then finds its convolutions still set up
   * for its window size (see UNet.replicate).
   */
  quick: UNet;
}

export interface EngineRequest {
  backend?: BackendName | 'auto';
  model?: ModelTier | 'auto';
}

export interface RunContext {
  engine: Engine;
  /** Aborts when the user cancels or the backend's device is lost. */
  signal: AbortSignal;
}

export interface RunOutcome<T> {
  value: T;
  backend: BackendName;
  tier: ModelTier;
  /** What failed on the way, when the run did not finish where it was asked to. */
  fallback?: string;
}

let loaded: { key: string; engine: Promise<Engine> } | undefined;
let queue: Promise<unknown> = Promise.resolve();

/** Runs tasks one after another: the tf engine, its memory and its backend are shared. */
export function exclusive<T>(task: () => Promise<T>): Promise<T> {
  const result = queue.then(task);
  queue = result.catch(() => undefined);
  return result;
}

async function releaseEngine(): Promise<void> {
  const previous = loaded;
  loaded = undefined;
  // A model whose device was lost cannot be disposed cleanly; it is dropped either way.
  await previous?.engine
    .then((engine) => {
      engine.model.unet.dispose();
      engine.quick.dispose();
    })
    .catch(() => undefined);
}

function otherTier(tier: ModelTier): ModelTier {
  return tier === 'fast' ? 'quality' : 'fast';
}

async function createEngine(name: BackendName, tier: ModelTier, probe: BackendProbe, onLoad?: (done: number, total: number) => void): Promise<Engine> {
  const backend = await startBackend(name, probe);
  const model = await loadModel(modelFetcher(tier), { onProgress: onLoad });
  // The full-size instance is set up by its first window anyway; a warm-up of the quick one
  // makes the kernels' code hot for both.
  const quick = model.unet.replicate();
  await warmUp(quick);
  void storeTierForLater(otherTier(tier));
  return { backend, tier, model, quick };
}

/**
 * A session with no earlier render guesses its first photo at 12.6 MP (4080 x 3072, the largest
 * common 12 MP phone sensor) for its large arrays: its linear data (one sample per pixel) and the
 * network output (three). Arrays of that size also serve photos down to 8.4 MP (float-pool.ts).
 */
const FIRST_PHOTO_PIXELS = 4080 * 3072;

/** Below this much device memory the 200 MB of arrays are not reserved on a guess. */
const GUESS_RESERVATION_MIN_MEMORY_GIB = 4;

/**
 * Sets the engine up for the user's next full render, on WASM (no such cost was measured on the
 * other backends). The first window of a new shape costs 0.1-1 s more at 12 MP (XNNPACK sets each
 * convolution up for its input size), and in a fresh session more again while tfjs-wasm's heap
 * grows into fresh memory. So:
 * - after an earlier full render, the next photo most likely has its size: the full-size network
 *   runs once at its window shape, and its large arrays are faulted in ahead (float-pool.ts);
 * - otherwise tfjs-wasm's heap is grown to this device's window budget (wasm-heap.ts), and the
 *   arrays of a 12 MP-class photo are faulted in. Chromium here, first 12 MP photo of a fresh
 *   session, six sessions each: the heap alone took the median from 4.85 to 4.28 s, the set-up
 *   costing 1.2 s more at start; the guessed arrays then took it from 4.54 to 4.41 s (nine and
 *   five sessions). A network run at the budget's largest square window instead gained 0.26 s
 *   (five each) for 2.5 s more at start: the photo's own shape still has to be set up.
 * A remembered shape beyond the budget (a tile size forced once) is not warmed up; a failure
 * only costs the set-up. Returns the shape warmed up at, if any.
 */
export async function setUpForNextPhoto({ backend, tier, model }: Engine): Promise<WindowShape | undefined> {
  if (backend.name !== 'wasm') return undefined;
  const { architecture } = model.manifest;
  const budget = defaultTileSize(backend.name, architecture, { deviceMemoryGiB: deviceMemoryGiB() }) ** 2;
  const last = await recallLastRender(backend.name, tier);
  if (!last) {
    reserveWasmHeap(budget * wasmHeapBytesPerPixel(architecture));
    if ((deviceMemoryGiB() ?? 0) >= GUESS_RESERVATION_MIN_MEMORY_GIB) reserveFloat32([FIRST_PHOTO_PIXELS, 3 * FIRST_PHOTO_PIXELS]);
    return undefined;
  }
  reserveFloat32(last.arrayLengths);
  const { window } = last;
  const isMultiple = (side: number) => side % architecture.sizeMultiple === 0;
  if (!isMultiple(window.height) || !isMultiple(window.width) || window.height * window.width > budget) return undefined;
  try {
    await warmUp(model.unet, window);
    return window;
  } catch {
    return undefined;
  }
}

/** The engine for (backend, tier), reusing the loaded one when it matches. */
export async function engineFor(name: BackendName, tier: ModelTier, probe: BackendProbe, onLoad?: (done: number, total: number) => void): Promise<Engine> {
  const key = `${name}/${tier}`;
  if (loaded?.key === key && tf.getBackend() === name) return loaded.engine;
  await releaseEngine();
  const engine = createEngine(name, tier, probe, onLoad);
  loaded = { key, engine };
  engine.catch(() => {
    if (loaded?.engine === engine) loaded = undefined;
  });
  return engine;
}

/** How long a failed WebGPU run waits for its device to report a loss (it comes after the failed calls). */
const LOSS_REPORT_MS = 250;

/** Why the engine's device was lost, when that is why the run failed. */
async function deviceLoss(engine: Engine | undefined): Promise<unknown> {
  const lost = engine?.backend.lost;
  if (!lost || engine.backend.name !== 'webgpu') return undefined;
  if (!lost.aborted) {
    await new Promise<void>((resolve) => {
      const timer = setTimeout(resolve, LOSS_REPORT_MS);
      lost.addEventListener('abort', () => (clearTimeout(timer), resolve()), { once: true });
    });
  }
  return lost.aborted ? lost.reason : undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Failures that would repeat on any backend: bad input, missing or damaged model files.
 * Anything else (a kernel error, a lost device, an out-of-memory) is the backend's.
 */
function isBackendIndependent(error: unknown): boolean {
  return isTapetumError(error) && error.code !== 'cancelled' && error.code !== 'internal';
}

/**
 * Runs `task` on the preferred backend; when that backend fails (or its device is lost
 * mid-run) the task starts again on the next one, and the outcome says what happened.
 * Cancelling through `signal` rejects with TapetumError('cancelled').
 */
export async function runWithFallback<T>(
  request: EngineRequest,
  signal: AbortSignal | undefined,
  task: (context: RunContext) => Promise<T>,
  onLoad?: (done: number, total: number) => void,
): Promise<RunOutcome<T>> {
  const { probe } = await probeEnvironment();
  const wanted = request.backend ?? 'auto';
  const order = backendOrder(probe, wanted);
  const notes: string[] = wanted !== 'auto' && order[0] !== wanted ? [`${wanted} is not available here`] : [];
  let lastError: unknown = new TapetumError('internal', 'No backend could run the model.');
  for (const name of order) {
    const tier = !request.model || request.model === 'auto' ? defaultModelTier(name) : request.model;
    let engine: Engine | undefined;
    try {
      engine = await engineFor(name, tier, probe, onLoad);
      const runSignal = signal ? AbortSignal.any([signal, engine.backend.lost]) : engine.backend.lost;
      const value = await task({ engine, signal: runSignal });
      const fallback = notes.length > 0 ? `${notes.join('; ')}; finished on ${name}` : undefined;
      return { value, backend: name, tier, ...(fallback && { fallback }) };
    } catch (error) {
      if (signal?.aborted) throw new TapetumError('cancelled', 'The enhancement was cancelled.');
      if (isBackendIndependent(error)) throw error;
      lastError = error;
      // A lost device makes the run fail with whatever call it interrupted; name the cause.
      const reason = describe((await deviceLoss(engine)) ?? error);
      notes.push(`${name} failed (${reason})`);
      // A GPU that failed once (lost device, driver error) is not trusted again in this worker.
      if (name === 'webgpu') markFailed(name, `failed in this session: ${reason}`);
      await releaseEngine();
    }
  }
  throw lastError;
}
