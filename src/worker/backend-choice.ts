/**
 * Which TensorFlow.js backend runs the network, decided from what the environment offers.
 * Pure functions of a probe, so the policy is testable without a browser.
 */
import type { UNetArchitecture } from '../pipeline/model/manifest.ts';
import { activationFloatsPerPixel, wasmHeapBytesPerPixel } from '../pipeline/model/memory.ts';
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
 * Memory one window of the network may take on each backend (on WASM: heap, see memory.ts).
 * The WASM heap can grow to 4 GiB; 1.25 GiB takes a 12 MP raw in two windows of the fast model
 * and keeps the whole tab around 1.65 GB. Chromium A/B on this project's 2-core VM, fast model,
 * 12 MP, medians of six later photos: network 3.1 s in two windows, 3.6 s in three (1 GiB). A
 * single window (2.1 GB of heap) made a session's first photo more than twice as slow, its
 * fresh heap being slow to fault in.
 */
const ACTIVATION_BUDGET_BYTES: Record<BackendName, number> = {
  webgpu: 512 * 2 ** 20,
  wasm: 1280 * 2 ** 20,
  cpu: 1024 * 2 ** 20,
};

/** Share of navigator.deviceMemory the CPU backends' windows may take, on small devices. */
const DEVICE_MEMORY_SHARE = 1 / 4;

/**
 * The CPU backends' budget where the browser does not say how much memory the device has
 * (Safari, Firefox): 1 GiB at most, since the tab may be on a phone.
 */
const UNKNOWN_DEVICE_BUDGET_BYTES = 1024 * 2 ** 20;

/** Windows beyond this many pixels gain little: a 12 MP raw (2000 x 1500 packed) fits in one. */
const LARGEST_WINDOW_PIXELS = 2048 * 2048;

export interface DeviceLimits {
  /** The WebGPU device's largest storage buffer binding. */
  maxBufferBytes?: number;
  /** navigator.deviceMemory. */
  deviceMemoryGiB?: number;
}

function activationBudgetBytes(backend: BackendName, deviceMemoryGiB: number | undefined): number {
  const budget = ACTIVATION_BUDGET_BYTES[backend];
  if (backend === 'webgpu') return budget;
  if (deviceMemoryGiB === undefined) return Math.min(budget, UNKNOWN_DEVICE_BUDGET_BYTES);
  // A 2 GB phone gets 0.5 GiB: a larger heap and the image buffers would not fit beside the OS.
  return Math.min(budget, deviceMemoryGiB * 2 ** 30 * DEVICE_MEMORY_SHARE);
}

/**
 * Window budget for a backend, as the side of a square of as many packed pixels (see
 * TileOptions.tileSize): as large as its memory allows, since every window pays the context
 * margin again (on a 12 MP raw, 512² windows compute 2x the image, 1216² 1.23x). On WebGPU,
 * the largest tensor must also fit one storage buffer binding: counted as 2 x widths[0]
 * channels (the level-0 skip concatenation, which the split convolution of unet.ts no longer
 * builds: a margin) or the head's output.
 */
export function defaultTileSize(backend: BackendName, architecture: Pick<UNetArchitecture, 'widths' | 'inChannels' | 'outChannels' | 'sizeMultiple'>, limits: DeviceLimits = {}): number {
  const bytesPerPixel = backend === 'wasm' ? wasmHeapBytesPerPixel(architecture) : 4 * activationFloatsPerPixel(architecture);
  const largestTensorBytesPerPixel = 4 * Math.max(2 * architecture.widths[0]!, 4 * architecture.outChannels);
  const pixels = Math.min(
    LARGEST_WINDOW_PIXELS,
    activationBudgetBytes(backend, limits.deviceMemoryGiB) / bytesPerPixel,
    (limits.maxBufferBytes ?? Infinity) / largestTensorBytesPerPixel,
  );
  return Math.max(architecture.sizeMultiple, Math.floor(Math.sqrt(pixels)));
}
