/**
 * Diagnostics page: starts the real worker and exposes `window.tapetumBench` for Playwright
 * (npm run bench, e2e/worker.spec.ts). Built with the app, so it exercises the production
 * bundle: worker chunks, WASM binaries, threads.
 */
import * as Comlink from 'comlink';
import type { BackendName, DisplayImage, EnhanceOptions, ExportFormat, ModelTier, Progress } from '../../src/worker/api.ts';
import { startTapetumWorker } from '../../src/worker/client.ts';

export interface ImageSummary {
  width: number;
  height: number;
  /** Mean of the R, G and B codes (0-255), to tell a real image from a black or white one. */
  meanRgb: [number, number, number];
}

export interface EnhanceRun {
  openMs: number;
  /** The enhance call alone: up to the enhanced image. */
  enhanceMs: number;
  /** openMs + enhanceMs. */
  totalMs: number;
  /** The classic call after it: the "before" image to compare with. */
  classicMs: number;
  autoRatio: number;
  ratioUsed: number;
  backendUsed: BackendName;
  modelUsed: ModelTier;
  fallback?: string;
  timingsMs: { decode: number; infer: number; total: number };
  after: ImageSummary;
  /** The worker's classic development at ratioUsed, from the same source as `after`. */
  before: ImageSummary;
  progress: Progress[];
  exported?: { name: string; mime: string; base64: string };
}

function summarize(image: DisplayImage): ImageSummary {
  const sums = [0, 0, 0];
  for (let i = 0; i < image.pixels.length; i += 4) {
    sums[0] += image.pixels[i]!;
    sums[1] += image.pixels[i + 1]!;
    sums[2] += image.pixels[i + 2]!;
  }
  const n = image.width * image.height;
  return { width: image.width, height: image.height, meanRgb: [sums[0]! / n, sums[1]! / n, sums[2]! / n] };
}

/** A point in an enhancement's progress: the first report of `phase` with `done` steps or tiles. */
export interface ProgressMark {
  phase: Progress['phase'];
  done: number;
}

/** Things to do while an enhancement runs (tests of cancelling and of the WebGPU fallback). */
export interface RunHooks {
  loseGpuDeviceAt?: ProgressMark;
  cancelAt?: ProgressMark;
  /**
   * Longest side of a quick render to run (untimed) between opening and the timed enhancement,
   * as the app shows one before the full render.
   */
  quickRenderFirst?: number;
}

const worker = startTapetumWorker();

const reached = (p: Progress, mark: ProgressMark | undefined) => mark !== undefined && p.phase === mark.phase && p.done === mark.done;

/** Fetches and opens a file; `ms` times the worker's open (decode, preview, auto ratio) only. */
async function openUrl(url: string): Promise<{ id: string; autoRatio: number; ms: number }> {
  const bytes = await (await fetch(url)).arrayBuffer();
  const start = performance.now();
  const opened = await worker.api.open(url.split('/').pop() ?? 'input.dng', Comlink.transfer(bytes, [bytes]));
  return { id: opened.id, autoRatio: opened.autoRatio, ms: performance.now() - start };
}

function base64(bytes: Uint8Array): string {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary);
}

const tapetumBench = {
  capabilities: () => worker.api.capabilities(),
  prepare: (options: Pick<EnhanceOptions, 'backend' | 'model'>) => worker.api.prepare(options),
  stopDecodeHelpers: () => worker.api.stopDecodeHelpers(),
  /** Opens a file and leaves it open (until `close`), as the app's photo queue does. */
  open: async (url: string) => (await openUrl(url)).id,
  close: (id: string) => worker.api.close(id),
  benchmark: (backend: BackendName, model: ModelTier) => worker.api.benchmark(backend, model),

  /** Opens a file; a rejection comes back as its plain error data. */
  async tryOpen(url: string): Promise<{ ok: true; autoRatio: number } | { ok: false; error: unknown }> {
    try {
      const opened = await openUrl(url);
      await worker.api.close(opened.id);
      return { ok: true, autoRatio: opened.autoRatio };
    } catch (error) {
      return { ok: false, error };
    }
  },

  /**
   * Fetches a file from the server, opens and enhances it, develops the classic image to compare
   * with, and reports timings and summaries; with `exportAs`, also the exported file (base64).
   * Rejections come back as plain error data.
   */
  async enhanceUrl(url: string, options: EnhanceOptions, hooks: RunHooks = {}, exportAs?: ExportFormat): Promise<EnhanceRun> {
    const opened = await openUrl(url);
    const progress: Progress[] = [];
    const onProgress = (p: Progress) => {
      progress.push(p);
      if (reached(p, hooks.loseGpuDeviceAt)) void worker.api.loseGpuDevice();
      if (reached(p, hooks.cancelAt)) void worker.api.cancel(opened.id);
    };
    try {
      if (hooks.quickRenderFirst !== undefined) await worker.api.enhance(opened.id, { ...options, previewMaxSide: hooks.quickRenderFirst });
      const start = performance.now();
      const result = await worker.api.enhance(opened.id, options, Comlink.proxy(onProgress));
      const enhanceMs = performance.now() - start;
      const classicStart = performance.now();
      const before = await worker.api.classic(opened.id, { ratio: result.ratioUsed, ...(options.previewMaxSide !== undefined && { previewMaxSide: options.previewMaxSide }) });
      const classicMs = performance.now() - classicStart;
      const exported = exportAs && (await worker.api.exportImage(opened.id, exportAs));
      return {
        openMs: opened.ms,
        enhanceMs,
        totalMs: opened.ms + enhanceMs,
        classicMs,
        autoRatio: opened.autoRatio,
        ratioUsed: result.ratioUsed,
        backendUsed: result.backendUsed,
        modelUsed: result.modelUsed,
        ...(result.fallback !== undefined && { fallback: result.fallback }),
        timingsMs: result.timingsMs,
        after: summarize(result.after),
        before: summarize(before),
        progress,
        ...(exported && { exported: { name: exported.name, mime: exported.mime, base64: base64(exported.bytes) } }),
      };
    } finally {
      await worker.api.close(opened.id);
    }
  },
};

declare global {
  interface Window {
    tapetumBench: typeof tapetumBench;
  }
}

window.tapetumBench = tapetumBench;
