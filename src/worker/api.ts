/**
 * The contract between the UI and the processing worker (exposed with Comlink).
 * The UI only displays what these calls return; every pixel computation happens in the worker.
 * Large buffers come back transferred (Comlink.transfer), not copied.
 */
import type { DngMetadata } from '../pipeline/dng/types.ts';
import type { TapetumErrorCode } from '../pipeline/errors.ts';

export type BackendName = 'webgpu' | 'wasm' | 'cpu';
export type ModelTier = 'fast' | 'quality';
export type ExportFormat = 'png' | 'png16' | 'jpeg' | 'dng';

export interface BackendStatus {
  name: BackendName;
  available: boolean;
  /** Why it is unavailable, or details such as "SIMD + 2 threads". */
  detail: string;
}

export interface Capabilities {
  backends: BackendStatus[];
  wasmSimd: boolean;
  wasmThreads: boolean;
  crossOriginIsolated: boolean;
  cores: number;
  /** navigator.deviceMemory in GiB where the browser reports it. */
  deviceMemoryGiB?: number;
  webgpuAdapter?: { vendor: string; architecture: string; description: string; limits: Record<string, number> };
}

/** RGBA 8-bit pixels ready for ImageData / a canvas. */
export interface DisplayImage {
  width: number;
  height: number;
  pixels: Uint8ClampedArray;
}

export interface OpenedFile {
  id: string;
  name: string;
  /** 'dng' for raw files; 'srgb' for camera frames and JPEG/PNG (processed through the unprocessing path). */
  kind: 'dng' | 'srgb';
  metadata?: DngMetadata;
  warnings: string[];
  /** Classic development at the automatic brightness, downscaled for the screen. */
  preview: DisplayImage;
  /** The ratio 'auto' would choose (1..300). */
  autoRatio: number;
  /** Full output size after crop and orientation. */
  width: number;
  height: number;
}

export interface EnhanceOptions {
  ratio: number | 'auto';
  backend?: BackendName | 'auto';
  model?: ModelTier | 'auto';
  /** Packed pixels per tile side; default chosen per backend. */
  tileSize?: number;
  /** Longest side of a quick low-resolution render, or undefined for full resolution. */
  previewMaxSide?: number;
}

export type Phase = 'decode' | 'load-model' | 'prepare' | 'infer' | 'finish';

export interface Progress {
  phase: Phase;
  /** Tiles done / total during 'infer'; steps done / total otherwise (0/1, 1/1; 'finish' has 2: enhanced, then classic). */
  done: number;
  total: number;
  elapsedMs: number;
  /** Estimated time left, when it can be estimated. */
  etaMs?: number;
}

export interface EnhanceResult {
  /** Enhanced image for display. */
  after: DisplayImage;
  /** Classic development at the same ratio, same size, for before/after. */
  before: DisplayImage;
  ratioUsed: number;
  backendUsed: BackendName;
  modelUsed: ModelTier;
  /** Set when the requested backend failed and the run finished on another one. */
  fallback?: string;
  timingsMs: { decode: number; infer: number; total: number };
}

/** Errors cross the worker boundary as plain data. */
export interface WorkerErrorInfo {
  code: TapetumErrorCode;
  message: string;
}

export interface TapetumWorkerApi {
  capabilities(): Promise<Capabilities>;
  open(name: string, bytes: ArrayBuffer): Promise<OpenedFile>;
  /** onProgress is a Comlink.proxy callback. Rejects with a TapetumError-like {code:'cancelled'} when cancelled. */
  enhance(fileId: string, options: EnhanceOptions, onProgress?: (p: Progress) => void): Promise<EnhanceResult>;
  cancel(fileId: string): Promise<void>;
  /** Encoded file of the last full-resolution enhancement of fileId (or the classic one if none). */
  exportImage(fileId: string, format: ExportFormat): Promise<{ name: string; mime: string; bytes: Uint8Array }>;
  close(fileId: string): Promise<void>;
  /** Diagnostics: run the U-Net on the model's parity input on one backend, checked against the reference output. */
  benchmark(backend: BackendName, model: ModelTier): Promise<{ msPerTile: number; megapixelsPerSecond: number; maxError: number; ok: boolean; /** Side of the timed tile, packed pixels. */ tileSize: number }>;
}

/** Test hooks the worker exposes next to TapetumWorkerApi (diagnostics page and e2e tests only). */
export interface TapetumWorkerDiagnostics {
  /** Destroys the WebGPU device, as a driver reset would; false when WebGPU is not running. */
  loseGpuDevice(): Promise<boolean>;
}
