/**
 * The processing worker in the production build, in headless Chromium, driven through the
 * diagnostics page (bench/browser/): threaded WASM, the same pixels as the Node pipeline, the
 * classic "before" image of the same source, WebGPU (SwiftShader here) and its fallback to
 * WASM, cancelling, errors as data.
 */
import { expect, test, type Page } from '@playwright/test';
import { decode as decodePng } from 'fast-png';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { EnhanceRun, ImageSummary, RunHooks } from '../bench/browser/page.ts';
import { serveFiles } from '../bench/chromium.ts';
import { syntheticDng, syntheticMosaic } from '../bench/synthetic-dng.ts';
import { folderReader, modelFolder } from '../src/cli/model-files.ts';
import { useNodeBackend } from '../src/cli/tf-backend.ts';
import { decodeDng } from '../src/pipeline/dng/index.ts';
import { parseDng } from '../src/pipeline/dng/metadata.ts';
import { Tag } from '../src/pipeline/dng/tags.ts';
import type { DngWriteOptions } from '../src/pipeline/dng/writer.ts';
import { enhance } from '../src/pipeline/enhance/enhance.ts';
import { loadModel } from '../src/pipeline/model/load.ts';
import type { EnhanceOptions, ExportFormat } from '../src/worker/api.ts';

/**
 * Small dark synthetic raws: sizes keep SwiftShader's WebGPU (well under 1 GFLOP/s) to seconds.
 * The small one is in lossless JPEG tiles, which the worker's decoding helpers share out.
 */
const FILES = {
  small: { width: 512, height: 384, options: { compression: 7, layout: { kind: 'tiles', tileWidth: 128, tileHeight: 128 } } },
  tiny: { width: 256, height: 256, options: {} },
  // Large enough for the worker to recycle its linear data and network output (float-pool.ts).
  medium: { width: 1280, height: 960, options: {} },
} as const satisfies Record<string, { width: number; height: number; options: DngWriteOptions }>;
type FileName = keyof typeof FILES;

function fileBytes(name: FileName): Uint8Array {
  const { width, height, options } = FILES[name];
  return syntheticDng(syntheticMosaic({ width, height, exposure: 0.03 }), width, height, options);
}

/** The small file with garbage over the second half of its last tile (a decoding helper's share). */
function damagedBytes(): Uint8Array {
  const bytes = fileBytes('small');
  const file = parseDng(bytes);
  const last = (tag: number) => file.reader.numbers(file.raw.entries.get(tag)!).at(-1)!;
  const [start, length] = [last(Tag.TileOffsets), last(Tag.TileByteCounts)];
  bytes.fill(0xff, start + Math.floor(length / 2), start + length - 2);
  return bytes;
}

let dir: string;

test.beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'tapetum-e2e-'));
  for (const name of Object.keys(FILES) as FileName[]) writeFileSync(join(dir, `${name}.dng`), fileBytes(name));
  writeFileSync(join(dir, 'damaged.dng'), damagedBytes());
  writeFileSync(join(dir, 'not-a-raw.dng'), new TextEncoder().encode('these bytes are no photo at all'));
});

test.afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function openDiagnostics(page: Page): Promise<void> {
  await serveFiles(page, dir);
  await page.goto('/bench/browser/index.html');
  await page.waitForFunction(() => window.tapetumBench !== undefined);
}

type Outcome = { run: EnhanceRun } | { rejected: unknown };

function enhanceFile(page: Page, file: FileName, options: EnhanceOptions, hooks: RunHooks = {}, exportAs?: ExportFormat): Promise<Outcome> {
  return page.evaluate(
    ([url, o, h, e]) =>
      window.tapetumBench.enhanceUrl(url, o, h, e).then(
        (run) => ({ run }),
        (rejected: unknown) => ({ rejected }),
      ),
    [`/__bench/${file}.dng`, options, hooks, exportAs] as const,
  );
}

async function enhanced(page: Page, file: FileName, options: EnhanceOptions, hooks: RunHooks = {}, exportAs?: ExportFormat): Promise<EnhanceRun> {
  const outcome = await enhanceFile(page, file, options, hooks, exportAs);
  if (!('run' in outcome)) throw new Error(`enhancement rejected: ${JSON.stringify(outcome.rejected)}`);
  return outcome.run;
}

/** A one-core machine's worker has no decoding helper to test. */
async function skipWithoutHelpers(page: Page): Promise<void> {
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  test.skip(cores < 2, `skipped: ${cores} core, so the worker starts no decoding helper`);
}

function png16(run: EnhanceRun): Uint16Array {
  if (!run.exported) throw new Error('nothing was exported');
  const image = decodePng(Buffer.from(run.exported.base64, 'base64'));
  expect(image.depth).toBe(16);
  return image.data as Uint16Array;
}

function maxDifference(a: Uint16Array, b: Uint16Array): number {
  expect(a.length).toBe(b.length);
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}

/**
 * The classic development and the network's output of one source at one ratio: two different
 * pipelines that should land at about the same overall brightness (neither black, nor white,
 * nor at another ratio). Within 15 % of each other.
 */
function expectSameBrightness(before: ImageSummary, after: ImageSummary): void {
  const mean = ({ meanRgb }: ImageSummary) => (meanRgb[0] + meanRgb[1] + meanRgb[2]) / 3;
  expect(mean(after)).toBeGreaterThan(10);
  expect(mean(before) / mean(after)).toBeGreaterThan(0.85);
  expect(mean(before) / mean(after)).toBeLessThan(1.15);
}

/** The same file through the Node pipeline (tfjs WASM in Node, fast model): the reference. */
async function nodeReference(file: FileName): Promise<Uint16Array> {
  await useNodeBackend('wasm');
  const model = await loadModel(folderReader(modelFolder('fast')));
  try {
    const decoded = await decodeDng(fileBytes(file));
    return (await enhance(decoded, model.unet, { ratio: 'auto' })).rgb16.data;
  } finally {
    model.unet.dispose();
  }
}

test('the production build is cross-origin isolated and runs WASM with SIMD on every core', async ({ page }) => {
  await openDiagnostics(page);
  const parity = await page.evaluate(() => window.tapetumBench.benchmark('wasm', 'fast'));
  expect(parity.ok).toBe(true);
  const capabilities = await page.evaluate(() => window.tapetumBench.capabilities());
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  expect(capabilities.crossOriginIsolated).toBe(true);
  expect(capabilities.wasmSimd).toBe(true);
  expect(capabilities.wasmThreads).toBe(true);
  // The detail reports tfjs's own count of XNNPACK threads once the backend runs.
  expect(capabilities.backends.find((b) => b.name === 'wasm')?.detail).toBe(`SIMD + ${Math.min(cores, 8)} threads`);
});

test('enhances a DNG in the worker exactly like the Node pipeline', async ({ page }) => {
  await openDiagnostics(page);
  const run = await enhanced(page, 'small', { ratio: 'auto', backend: 'wasm' }, {}, 'png16');
  expect(run.backendUsed).toBe('wasm');
  expect(run.modelUsed).toBe('fast');
  expect(run.fallback).toBeUndefined();
  expect(run.ratioUsed).toBe(run.autoRatio);
  expect(run.after).toMatchObject({ width: 512, height: 384 });
  expect(run.before).toMatchObject({ width: 512, height: 384 });
  expectSameBrightness(run.before, run.after);
  const phases = [...new Set(run.progress.map((p) => p.phase))];
  expect(phases).toEqual(['decode', 'load-model', 'prepare', 'infer', 'finish']);
  const lastInfer = run.progress.filter((p) => p.phase === 'infer').pop()!;
  expect(lastInfer.done).toBe(lastInfer.total);
  expect(run.exported).toMatchObject({ name: 'small-tapetum.png', mime: 'image/png' });
  // Threaded XNNPACK splits work by output pixels, not sums, so the arithmetic is the same.
  expect(maxDifference(png16(run), await nodeReference('small'))).toBe(0);
});

test("a photo of the same size as a closed one, enhanced in that photo's recycled arrays, still matches the Node pipeline", async ({ page }) => {
  await openDiagnostics(page);
  const first = await enhanced(page, 'medium', { ratio: 'auto', backend: 'wasm' }, {}, 'png16');
  const second = await enhanced(page, 'medium', { ratio: 'auto', backend: 'wasm' }, {}, 'png16');
  expect(maxDifference(png16(second), await nodeReference('medium'))).toBe(0);
  expect(maxDifference(png16(second), png16(first))).toBe(0);
});

test('prepare starts the engine before a photo: the enhancement then loads no model', async ({ page }) => {
  await openDiagnostics(page);
  expect(await page.evaluate(() => window.tapetumBench.prepare({ backend: 'wasm', model: 'auto' }))).toEqual({ backend: 'wasm', model: 'fast' });
  const run = await enhanced(page, 'tiny', { ratio: 'auto', backend: 'wasm' });
  expect(run.modelUsed).toBe('fast');
  expect([...new Set(run.progress.map((p) => p.phase))]).toEqual(['decode', 'prepare', 'infer', 'finish']);
});

test('the next session sets the network up for the window shape of the last full render, unless a photo is open', async ({ page }) => {
  await openDiagnostics(page);
  const prepare = () => page.evaluate(() => window.tapetumBench.prepare({ backend: 'wasm', model: 'fast' }));
  expect(await prepare()).toEqual({ backend: 'wasm', model: 'fast' });
  // A quick render is no full render: nothing to remember yet.
  await enhanced(page, 'small', { ratio: 4, backend: 'wasm', previewMaxSide: 200 });
  await enhanced(page, 'small', { ratio: 4, backend: 'wasm' });
  // The worker stores the shape after answering.
  await page.waitForFunction(async () => (await (await caches.open('tapetum-engine-v1')).keys()).length > 0);
  await page.reload();
  await page.waitForFunction(() => window.tapetumBench !== undefined);
  // 512 x 384 packs to 256 x 192 (multiples of 16 already): one window of the whole image.
  expect(await prepare()).toEqual({ backend: 'wasm', model: 'fast', warmedWindow: { height: 192, width: 256 } });
  // A photo already open when the app starts (the system launched it with one) goes first.
  await page.reload();
  await page.waitForFunction(() => window.tapetumBench !== undefined);
  const id = await page.evaluate(() => window.tapetumBench.open('/__bench/small.dng'));
  expect(await prepare()).toEqual({ backend: 'wasm', model: 'fast' });
  await page.evaluate((fileId) => window.tapetumBench.close(fileId), id);
});

test('a quick render fits previewMaxSide and keeps the full render for export', async ({ page }) => {
  await openDiagnostics(page);
  const quick = await enhanced(page, 'small', { ratio: 4, backend: 'wasm', previewMaxSide: 200 }, {}, 'png16');
  // 512 x 384 binned by 3 (the smallest factor that fits 200): 170 x 128, even for the mosaic.
  expect(quick.after).toMatchObject({ width: 170, height: 128 });
  expect(quick.before).toMatchObject({ width: 170, height: 128 });
  expectSameBrightness(quick.before, quick.after);
  expect(quick.ratioUsed).toBe(4);
  // No full-resolution enhancement yet: the export is the classic development, full size.
  expect(quick.exported?.name).toBe('small.png');
  expect(decodePng(Buffer.from(quick.exported!.base64, 'base64'))).toMatchObject({ width: 512, height: 384 });
});

test('WebGPU gives the WASM result, and a device lost mid-run finishes on WASM', async ({ page }) => {
  await openDiagnostics(page);
  const capabilities = await page.evaluate(() => window.tapetumBench.capabilities());
  test.skip(!capabilities.backends.find((b) => b.name === 'webgpu')?.available, 'no WebGPU adapter in this browser');
  const options: EnhanceOptions = { ratio: 'auto', backend: 'webgpu', model: 'fast' };
  const gpu = await enhanced(page, 'tiny', options, {}, 'png16');
  expect(gpu.backendUsed).toBe('webgpu');
  const cpu = await enhanced(page, 'tiny', { ...options, backend: 'wasm' }, {}, 'png16');
  // Different summation order on the GPU: within one 8-bit level (257 16-bit codes).
  expect(maxDifference(png16(gpu), png16(cpu))).toBeLessThanOrEqual(257);

  const lost = await enhanced(page, 'tiny', options, { loseGpuDeviceAt: { phase: 'infer', done: 0 } });
  expect(lost.backendUsed).toBe('wasm');
  expect(lost.fallback).toBe('webgpu failed (GPU device lost (destroyed)); finished on wasm');
  expect(lost.after).toEqual(cpu.after);
  const after = await page.evaluate(() => window.tapetumBench.capabilities());
  expect(after.backends.find((b) => b.name === 'webgpu')).toMatchObject({ available: false });
});

test('cancelling an enhancement rejects with a cancelled error', async ({ page }) => {
  await openDiagnostics(page);
  // Windows of 192 packed pixels: several, so the cancel sent when inference starts lands
  // between two of them.
  const outcome = await enhanceFile(page, 'small', { ratio: 'auto', backend: 'wasm', tileSize: 192 }, { cancelAt: { phase: 'infer', done: 0 } });
  expect(outcome).toMatchObject({ rejected: { code: 'cancelled' } });
});

test('a file that is not a photo is refused with a clear error', async ({ page }) => {
  await openDiagnostics(page);
  const bad = await page.evaluate(() => window.tapetumBench.tryOpen('/__bench/not-a-raw.dng'));
  expect(bad).toMatchObject({ ok: false, error: { code: 'not-dng' } });
  expect((bad as { error: { message: string } }).error.message.length).toBeGreaterThan(20);
});

test('a damaged tile in a decoding helper\'s share is refused as the Node decoder refuses it, and the worker goes on', async ({ page }) => {
  await openDiagnostics(page);
  await skipWithoutHelpers(page);
  // The worker's one helper (two cores) decodes the later half of the tiles, the damaged one among them.
  const expected = await decodeDng(damagedBytes()).then(() => 'decoded', (error: { code: string }) => error.code);
  expect(expected).not.toBe('decoded');
  const bad = await page.evaluate(() => window.tapetumBench.tryOpen('/__bench/damaged.dng'));
  expect(bad).toMatchObject({ ok: false, error: { code: expected } });
  expect(await page.evaluate(() => window.tapetumBench.tryOpen('/__bench/small.dng'))).toMatchObject({ ok: true });
});

test('a decoding helper that stops answering costs time, not the photo', async ({ page }) => {
  await openDiagnostics(page);
  await skipWithoutHelpers(page);
  expect(await page.evaluate(() => window.tapetumBench.stopDecodeHelpers())).toBeGreaterThan(0);
  const run = await enhanced(page, 'small', { ratio: 'auto', backend: 'wasm' }, {}, 'png16');
  expect(maxDifference(png16(run), await nodeReference('small'))).toBe(0);
});
