/// <reference types="@webgpu/types" />
/**
 * Probing and starting TensorFlow.js backends inside the worker. Each backend's code is
 * imported only when it is started; the policy (which one, how many threads) lives in
 * backend-choice.ts.
 */
import * as tf from '@tensorflow/tfjs-core';
import wasmPlainUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm?url';
import wasmSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-simd.wasm?url';
import wasmThreadedSimdUrl from '@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm-threaded-simd.wasm?url';
import type { BackendName, Capabilities } from './api.ts';
import { backendDetail, backendOrder, wasmThreadCount, type BackendProbe } from './backend-choice.ts';

export interface ProbedEnvironment {
  probe: BackendProbe;
  adapter?: GPUAdapter;
}

/** A started backend. `lost` aborts when its device disappears (GPU reset, driver crash). */
export interface ActiveBackend {
  name: BackendName;
  lost: AbortSignal;
  /** Largest GPU buffer one tensor may use (WebGPU only). */
  maxBufferBytes?: number;
}

/** Backends whose device failed in this worker; they are not offered again. */
const failed = new Map<BackendName, string>();

async function requestAdapter(): Promise<GPUAdapter | undefined> {
  if (failed.has('webgpu') || typeof navigator === 'undefined' || !navigator.gpu) return undefined;
  try {
    return (await navigator.gpu.requestAdapter({ powerPreference: 'high-performance' })) ?? undefined;
  } catch {
    return undefined;
  }
}

/** Asks tfjs-wasm's own feature flags, so the probe agrees with the binary it will pick. */
async function wasmFeatures(): Promise<{ simd: boolean; threads: boolean }> {
  if (typeof WebAssembly !== 'object') return { simd: false, threads: false };
  await import('@tensorflow/tfjs-backend-wasm');
  const [simd, threads] = await Promise.all([tf.env().getAsync('WASM_HAS_SIMD_SUPPORT'), tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')]);
  return { simd: Boolean(simd), threads: Boolean(threads) };
}

export async function probeEnvironment(): Promise<ProbedEnvironment> {
  const [adapter, features] = await Promise.all([requestAdapter(), wasmFeatures()]);
  const probe: BackendProbe = {
    webgpuAdapter: adapter !== undefined,
    wasm: typeof WebAssembly === 'object' && !failed.has('wasm'),
    wasmSimd: features.simd,
    // SharedArrayBuffer only exists in cross-origin isolated contexts.
    wasmThreads: features.threads && Boolean(globalThis.crossOriginIsolated),
    crossOriginIsolated: Boolean(globalThis.crossOriginIsolated),
    cores: navigator.hardwareConcurrency || 1,
  };
  return { probe, adapter };
}

/** navigator.deviceMemory (GiB, at most 8), where the browser reports it. */
export function deviceMemoryGiB(): number | undefined {
  return (navigator as Navigator & { deviceMemory?: number }).deviceMemory;
}

export function describeCapabilities({ probe, adapter }: ProbedEnvironment): Capabilities {
  const available = backendOrder(probe);
  const names: BackendName[] = ['webgpu', 'wasm', 'cpu'];
  const deviceMemory = deviceMemoryGiB();
  return {
    backends: names.map((name) => ({
      name,
      available: available.includes(name),
      detail: failed.get(name) ?? backendDetail(probe, name, name === 'wasm' ? wasmThreadsRunning : undefined),
    })),
    wasmSimd: probe.wasmSimd,
    wasmThreads: probe.wasmThreads,
    crossOriginIsolated: probe.crossOriginIsolated,
    cores: probe.cores,
    ...(deviceMemory !== undefined && { deviceMemoryGiB: deviceMemory }),
    ...(adapter && { webgpuAdapter: describeAdapter(adapter) }),
  };
}

function describeAdapter(adapter: GPUAdapter): NonNullable<Capabilities['webgpuAdapter']> {
  const limits: Record<string, number> = {};
  for (const key of ['maxBufferSize', 'maxStorageBufferBindingSize', 'maxComputeWorkgroupStorageSize', 'maxComputeInvocationsPerWorkgroup'] as const) {
    limits[key] = adapter.limits[key];
  }
  const { vendor, architecture, description } = adapter.info;
  return { vendor, architecture, description, limits };
}

let wasmConfigured = false;

/** The wasm backend must know its binaries and thread count before it first initializes. */
async function configureWasm(probe: BackendProbe): Promise<void> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  if (wasmConfigured) return;
  wasm.setWasmPaths({
    'tfjs-backend-wasm.wasm': wasmPlainUrl,
    'tfjs-backend-wasm-simd.wasm': wasmSimdUrl,
    'tfjs-backend-wasm-threaded-simd.wasm': wasmThreadedSimdUrl,
  });
  wasm.setThreadsCount(wasmThreadCount(probe));
  wasmConfigured = true;
}

/** Threads XNNPACK actually got, once the wasm backend has started. */
let wasmThreadsRunning: number | undefined;

/**
 * tfjs-wasm's C++ caps its thread pool at hardwareConcurrency / 2 (it assumes two
 * hyper-threads per core), reading the value once while its module starts, and
 * setThreadsCount cannot go above that cap. Reporting twice the real count during the start
 * lifts the cap to the real count; setThreadsCount (see wasmThreadCount) then decides.
 */
async function withFullCoreCount<T>(start: () => Promise<T>): Promise<T> {
  const cores = navigator.hardwareConcurrency;
  Object.defineProperty(navigator, 'hardwareConcurrency', { configurable: true, get: () => 2 * cores });
  try {
    return await start();
  } finally {
    // The own property only shadowed the prototype's getter: removing it restores the truth.
    delete (navigator as { hardwareConcurrency?: number }).hardwareConcurrency;
  }
}

async function register(name: BackendName, probe: BackendProbe): Promise<void> {
  if (name === 'wasm') await configureWasm(probe);
  else if (name === 'webgpu') await import('@tensorflow/tfjs-backend-webgpu');
  else await import('@tensorflow/tfjs-backend-cpu');
}

/**
 * Makes `name` the active tfjs backend. Rejects when it cannot start; a WebGPU device
 * lost later aborts `lost` and the backend is not offered again in this worker.
 */
export async function startBackend(name: BackendName, probe: BackendProbe): Promise<ActiveBackend> {
  const known = failed.get(name);
  if (known) throw new Error(known);
  await register(name, probe);
  const started = name === 'wasm' ? await withFullCoreCount(() => tf.setBackend(name)) : await tf.setBackend(name);
  if (!started) throw new Error(`the ${name} backend did not start`);
  await tf.ready();
  if (name === 'wasm') wasmThreadsRunning = (await import('@tensorflow/tfjs-backend-wasm')).getThreadsCount();
  const lost = new AbortController();
  if (name !== 'webgpu') return { name, lost: lost.signal };
  const device = (tf.backend() as unknown as { device: GPUDevice }).device;
  reportGpuLoss = (reason) => {
    failed.set('webgpu', `GPU device lost (${reason})`);
    lost.abort(new Error(`GPU device lost (${reason})`));
  };
  void device.lost.then((info) => reportGpuLoss?.(info.message || info.reason));
  const maxBufferBytes = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
  return { name, lost: lost.signal, maxBufferBytes };
}

/** Marks a backend unusable for the rest of this worker's life (after it failed mid-run). */
export function markFailed(name: BackendName, reason: string): void {
  failed.set(name, reason);
}

/** Reports the running WebGPU device as lost (see startBackend). */
let reportGpuLoss: ((reason: string) => void) | undefined;

/**
 * Destroys the running WebGPU device, a test of the lost-device fallback. The loss is
 * reported at once: destroyed with a tile in flight (Chromium 156, SwiftShader), the device's
 * `lost` promise had not resolved seconds after the tile's read-back failed.
 */
export function loseWebGpuDevice(): boolean {
  if (tf.getBackend() !== 'webgpu') return false;
  (tf.backend() as unknown as { device: GPUDevice }).device.destroy();
  reportGpuLoss?.('destroyed');
  return true;
}
