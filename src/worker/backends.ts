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

export function describeCapabilities({ probe, adapter }: ProbedEnvironment): Capabilities {
  const available = backendOrder(probe);
  const names: BackendName[] = ['webgpu', 'wasm', 'cpu'];
  const deviceMemory = (navigator as Navigator & { deviceMemory?: number }).deviceMemory;
  return {
    backends: names.map((name) => ({
      name,
      available: available.includes(name),
      detail: failed.get(name) ?? backendDetail(probe, name),
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
  if (!(await tf.setBackend(name))) throw new Error(`the ${name} backend did not start`);
  await tf.ready();
  const lost = new AbortController();
  if (name !== 'webgpu') return { name, lost: lost.signal };
  const device = (tf.backend() as unknown as { device: GPUDevice }).device;
  void device.lost.then((info) => {
    failed.set('webgpu', `GPU device lost: ${info.message || info.reason}`);
    lost.abort(new Error(`GPU device lost (${info.reason})`));
  });
  const maxBufferBytes = Math.min(device.limits.maxStorageBufferBindingSize, device.limits.maxBufferSize);
  return { name, lost: lost.signal, maxBufferBytes };
}

/** Marks a backend unusable for the rest of this worker's life (after it failed mid-run). */
export function markFailed(name: BackendName, reason: string): void {
  failed.set(name, reason);
}

/** Destroys the running WebGPU device (a test of the lost-device fallback). */
export function loseWebGpuDevice(): boolean {
  if (tf.getBackend() !== 'webgpu') return false;
  (tf.backend() as unknown as { device: GPUDevice }).device.destroy();
  return true;
}
