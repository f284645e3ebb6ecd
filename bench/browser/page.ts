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
  enhanceMs: number;
  totalMs: number;
  autoRatio: number;
  ratioUsed: number;
  backendUsed: BackendName;
  modelUsed: ModelTier;
  fallback?: string;
  timingsMs: { decode: number; infer: number; total: number };
  after: ImageSummary;
  before: ImageSummary;
  progress: Progress[];
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

const worker = startTapetumWorker();
let loseDeviceAfterTile: number | undefined;

async function openUrl(url: string): Promise<{ id: string; autoRatio: number; ms: number }> {
  const start = performance.now();
  const bytes = await (await fetch(url)).arrayBuffer();
  const opened = await worker.api.open(url.split('/').pop() ?? 'input.dng', Comlink.transfer(bytes, [bytes]));
  return { id: opened.id, autoRatio: opened.autoRatio, ms: performance.now() - start };
}

const tapetumBench = {
  capabilities: () => worker.api.capabilities(),
  benchmark: (backend: BackendName, model: ModelTier) => worker.api.benchmark(backend, model),

  /** Makes the next enhancement lose its WebGPU device after `tiles` tiles (fallback test). */
  loseDeviceAfter(tiles: number): void {
    loseDeviceAfterTile = tiles;
  },

  /** Fetches a file from the server, opens and enhances it, and reports timings and a summary. */
  async enhanceUrl(url: string, options: EnhanceOptions): Promise<EnhanceRun> {
    const opened = await openUrl(url);
    const progress: Progress[] = [];
    const loseAfter = loseDeviceAfterTile;
    loseDeviceAfterTile = undefined;
    const onProgress = (p: Progress) => {
      progress.push(p);
      if (loseAfter !== undefined && p.phase === 'infer' && p.done === loseAfter) void worker.api.loseGpuDevice();
    };
    const start = performance.now();
    const result = await worker.api.enhance(opened.id, options, Comlink.proxy(onProgress));
    const enhanceMs = performance.now() - start;
    await worker.api.close(opened.id);
    return {
      openMs: opened.ms,
      enhanceMs,
      totalMs: opened.ms + enhanceMs,
      autoRatio: opened.autoRatio,
      ratioUsed: result.ratioUsed,
      backendUsed: result.backendUsed,
      modelUsed: result.modelUsed,
      ...(result.fallback !== undefined && { fallback: result.fallback }),
      timingsMs: result.timingsMs,
      after: summarize(result.after),
      before: summarize(result.before),
      progress,
    };
  },

  /** Opens, enhances and exports; returns the export's name, type and size. */
  async exportUrl(url: string, options: EnhanceOptions, format: ExportFormat): Promise<{ name: string; mime: string; size: number }> {
    const opened = await openUrl(url);
    await worker.api.enhance(opened.id, options);
    const file = await worker.api.exportImage(opened.id, format);
    await worker.api.close(opened.id);
    return { name: file.name, mime: file.mime, size: file.bytes.length };
  },
};

declare global {
  interface Window {
    tapetumBench: typeof tapetumBench;
  }
}

window.tapetumBench = tapetumBench;
