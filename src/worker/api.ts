/**
 * The contract between the UI and the processing worker (exposed with Comlink).
 * The UI only displays what these calls return; every pixel computation happens in the worker.
 * Large buffers come back transferred (Comlink.transfer), not copied.
 */
import type { DngMetadata } from '../pipeline/dng/types.ts';
import type { WindowShape } from '../pipeline/enhance/tiled-inference.ts';
import type { TapetumErrorCode } from '../pipeline/errors.ts';
import type { FeatureMap } from '../pipeline/model/feature-maps.ts';

/**
 * Longest side of the quick render the app shows before a full one, and of the classic preview
 * `open` returns: one binned copy of the photo serves both.
 */
export const QUICK_RENDER_MAX_SIDE = 768;

export type { FeatureMap };

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
  /** Tiles done / total during 'infer'; steps done / total otherwise (0/1, then 1/1). */
  done: number;
  total: number;
  elapsedMs: number;
  /** Estimated time left, when it can be estimated. */
  etaMs?: number;
}

export interface EnhanceResult {
  /** Enhanced image for display (the classic one to compare with comes from `classic`). */
  after: DisplayImage;
  ratioUsed: number;
  backendUsed: BackendName;
  modelUsed: ModelTier;
  /** Set when the requested backend failed and the run finished on another one. */
  fallback?: string;
  timingsMs: { decode: number; infer: number; total: number };
}

export interface ClassicOptions {
  /** The enhancement's ratioUsed, so both sides of the comparison have the same brightness. */
  ratio: number;
  /** The enhancement's previewMaxSide: the same binned low-resolution copy, or full resolution when undefined. */
  previewMaxSide?: number;
}

export interface FeatureMapsRequest {
  /** The open photo to take the tile from; the model's parity input when undefined. */
  fileId?: string;
  model: ModelTier;
  /** A layer id of `layerIds` (src/pipeline/model/unet.ts), e.g. 'down/0/conv1' or 'output'. */
  layer: string;
  /** Tile side in packed pixels, a multiple of the model's sizeMultiple; default 64, less when the image is smaller. */
  tileSize?: number;
  /** Default 6. */
  maxMaps?: number;
}

export interface FeatureMapsResult {
  layer: string;
  /** Output shape of that layer for the tile actually run: [height, width, channels]. */
  shape: [number, number, number];
  /** Side of the tile actually run, packed pixels. */
  tileSize: number;
  /** The layer's most varied channels, largest variance first. */
  maps: FeatureMap[];
  ms: number;
}

/** Errors cross the worker boundary as plain data. */
export interface WorkerErrorInfo {
  code: TapetumErrorCode;
  message: string;
}

export interface TapetumWorkerApi {
  capabilities(): Promise<Capabilities>;
  /**
   * Starts the engine an `enhance` with these options would use (backend, model files,
   * warm-up) and resolves once it is ready, so that the first photo does not wait for it.
   * Resolves with what it started, and the window shape it set the network up for (the last
   * session's full render, on WASM); failures are left for that enhance to report.
   */
  prepare(options: Pick<EnhanceOptions, 'backend' | 'model'>): Promise<{ backend: BackendName; model: ModelTier; warmedWindow?: WindowShape }>;
  open(name: string, bytes: ArrayBuffer): Promise<OpenedFile>;
  /** onProgress is a Comlink.proxy callback. Rejects with a TapetumError-like {code:'cancelled'} when cancelled. */
  enhance(fileId: string, options: EnhanceOptions, onProgress?: (p: Progress) => void): Promise<EnhanceResult>;
  /**
   * Classic development (no network) of the source an `enhance` with the same previewMaxSide
   * used, at `ratio`: the same size as that enhancement's `after`, for before/after. Separate
   * from `enhance` so the enhanced image shows without waiting for it; runs one at a time with
   * enhancements, in call order. Pixels transferred.
   */
  classic(fileId: string, options: ClassicOptions): Promise<DisplayImage>;
  cancel(fileId: string): Promise<void>;
  /** Encoded file of the last full-resolution enhancement of fileId (or the classic one if none). */
  exportImage(fileId: string, format: ExportFormat): Promise<{ name: string; mime: string; bytes: Uint8Array }>;
  close(fileId: string): Promise<void>;
  /**
   * Model explorer: the U-Net on one tile cut from the centre of the photo's packed input at its
   * automatic ratio (or the parity input) and up to maxMaps channels of one layer's output. Buffers transferred.
   */
  featureMaps(request: FeatureMapsRequest): Promise<FeatureMapsResult>;
  /** Diagnostics: run the U-Net on the model's parity input on one backend, checked against the reference output. */
  benchmark(backend: BackendName, model: ModelTier): Promise<{ msPerTile: number; megapixelsPerSecond: number; maxError: number; ok: boolean; /** Side of the timed tile, packed pixels. */ tileSize: number }>;
}

/** Test hooks the worker exposes next to TapetumWorkerApi (diagnostics page and e2e tests only). */
export interface TapetumWorkerDiagnostics {
  /** Destroys the WebGPU device, as a driver reset would; false when WebGPU is not running. */
  loseGpuDevice(): Promise<boolean>;
  /** Stops the decoding helper workers as a crash would; resolves with how many there were. */
  stopDecodeHelpers(): Promise<number>;
}
