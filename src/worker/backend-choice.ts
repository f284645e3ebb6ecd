/**
 * Which TensorFlow.js backend runs the network, decided from what the environment offers.
 * Pure functions of a probe, so the policy is testable without a browser.
 */
import type { UNetArchitecture } from '../pipeline/model/manifest.ts';
import type { BackendName, ModelTier } from './api.ts';

/** What the worker found out about its environment (see backends.ts). */
export interface BackendProbe {
  webgpuAdapter: boolean;
  wasm: boolean;
  wasmSimd: boolean;
  /** Threaded WASM: SharedArrayBuffer (cross-origin isolation) and atomics both work. */
  wasmThreads: boolean;
  crossOriginIsolated: boolean;
  /** Logical cores (navigator.hardwareConcurrency). */
  cores: number;
}

/** Every backend in order of preference: fastest first, CPU (plain JavaScript) last. */
const PREFERENCE: readonly BackendName[] = ['webgpu', 'wasm', 'cpu'];

/**
 * Emscripten pre-starts this many pthread workers in tfjs-wasm 4.22; asking XNNPACK for more
 * threads than exist in the pool would start workers while the calling thread waits for them.
 */
const WASM_THREAD_POOL = 8;

export function isAvailable(probe: BackendProbe, backend: BackendName): boolean {
  if (backend === 'webgpu') return probe.webgpuAdapter;
  if (backend === 'wasm') return probe.wasm;
  return true;
}

/**
 * Backends to try, in order: a forced backend first (when it is available), then the
 * remaining available ones by preference, so a failure can finish the run on the next one.
 */
export function backendOrder(probe: BackendProbe, requested: BackendName | 'auto' = 'auto'): BackendName[] {
  const available = PREFERENCE.filter((backend) => isAvailable(probe, backend));
  if (requested === 'auto' || !available.includes(requested)) return available;
  return [requested, ...available.filter((backend) => backend !== requested)];
}

/**
 * Threads for XNNPACK. tfjs-wasm defaults to half the logical cores, one thread on a 2-core
 * machine; every core is faster there (1.3-1.4x measured), and the worker doing the work is
 * not the page's main thread, so using all of them does not freeze the UI.
 */
export function wasmThreadCount(probe: BackendProbe): number {
  // tfjs ships threads only in its SIMD build.
  if (!probe.wasmThreads || !probe.wasmSimd) return 1;
  return Math.min(WASM_THREAD_POOL, Math.max(1, Math.floor(probe.cores)));
}

/** The quality tier where a GPU runs it; the fast one (4x fewer operations) on CPUs. */
export function defaultModelTier(backend: BackendName): ModelTier {
  return backend === 'webgpu' ? 'quality' : 'fast';
}

/**
 * Human-readable flavour of a backend, e.g. "SIMD + 2 threads": the threads tfjs reports
 * once the wasm backend runs, else the number it will be asked for.
 */
export function backendDetail(probe: BackendProbe, backend: BackendName, wasmThreadsRunning?: number): string {
  if (!isAvailable(probe, backend)) {
    return backend === 'webgpu' ? 'no WebGPU adapter in this browser' : 'WebAssembly is not available';
  }
  if (backend === 'wasm') {
    const threads = wasmThreadsRunning ?? wasmThreadCount(probe);
    const threadText = `${threads} thread${threads === 1 ? '' : 's'}${probe.crossOriginIsolated ? '' : ' (page not cross-origin isolated)'}`;
    return probe.wasmSimd ? `SIMD + ${threadText}` : `no SIMD, ${threadText}`;
  }
  return backend === 'webgpu' ? 'GPU' : 'plain JavaScript';
}

/**
 * Floats per packed input pixel alive at the peak of one network run, besides the caller's
 * input: model/unet.ts releases each layer output once consumed, so what stays is the skip
 * connections of the finer levels plus the tensors of the step running. Level i has 1/4^i of
 * the pixels. The peak is the up step at level 0 (skip, upsampled, the two half-convolutions
 * and their sum: 5 x widths[0]), 40 for the fast model, 80 for the quality one.
 */
export function activationFloatsPerPixel({ widths, outChannels }: Pick<UNetArchitecture, 'widths' | 'outChannels'>): number {
  const area = (level: number) => 4 ** -level;
  const skipsThrough = (level: number) => widths.slice(0, level + 1).reduce((sum, width, i) => sum + width * area(i), 0);
  let peak = 0;
  widths.forEach((width, level) => {
    const pooledInput = level > 0 ? widths[level - 1]! * area(level) : 0;
    peak = Math.max(peak, (level > 0 ? skipsThrough(level - 1) : 0) + pooledInput + 2 * width * area(level));
  });
  for (let level = widths.length - 2; level >= 0; level--) {
    const coarse = widths[level + 1]! * area(level + 1);
    const upStep = skipsThrough(level) + Math.max(coarse + widths[level]! * area(level), 4 * widths[level]! * area(level));
    peak = Math.max(peak, upStep);
  }
  // Head: the last features, the head's 4 x outChannels and the full-resolution output.
  return Math.max(peak, widths[0]! + 2 * 4 * outChannels);
}

/** Memory the network's activations may take on each backend. */
const ACTIVATION_BUDGET_BYTES: Record<BackendName, number> = {
  webgpu: 512 * 2 ** 20,
  // The WASM heap can grow to 4 GiB; a quarter keeps the whole tab around 1.5 GB.
  wasm: 1024 * 2 ** 20,
  cpu: 1024 * 2 ** 20,
};

/** Windows beyond this side gain little: a 12 MP raw (2000 x 1500 packed) needs 2 of them. */
const LARGEST_TILE = 2048;

/**
 * Window side (packed pixels) for a backend: as large as its memory allows, since every
 * window pays the context margin again (on a 12 MP raw, 512-pixel windows compute 2x the
 * image, 1024 1.33x). On WebGPU, the largest tensor (the level-0 concatenation or the
 * head's output) must also fit one storage buffer binding.
 */
export function defaultTileSize(backend: BackendName, architecture: Pick<UNetArchitecture, 'widths' | 'inChannels' | 'outChannels' | 'sizeMultiple'>, maxBufferBytes = Infinity): number {
  const bytesPerPixel = 4 * activationFloatsPerPixel(architecture);
  const largestTensorBytesPerPixel = 4 * Math.max(2 * architecture.widths[0]!, 4 * architecture.outChannels);
  const pixels = Math.min(ACTIVATION_BUDGET_BYTES[backend] / bytesPerPixel, maxBufferBytes / largestTensorBytesPerPixel);
  const side = Math.min(LARGEST_TILE, Math.sqrt(pixels));
  return Math.max(architecture.sizeMultiple, Math.floor(side / architecture.sizeMultiple) * architecture.sizeMultiple);
}
