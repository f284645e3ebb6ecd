/**
 * `npm run bench`: enhancement speed on every backend this machine has, for a 12 MP DNG made
 * with the DNG writer (4000 x 3000, 14-bit RGGB, lossless JPEG tiles, a dark scene):
 *   Node: tfjs WASM (no threads in Node) and plain-JS CPU, each in its own process;
 *   headless Chromium, production build (vite build + preview), through the real worker:
 *   WASM with SIMD and threads (cross-origin isolated), WASM without threads (isolation
 *   headers stripped), WebGPU (SwiftShader here: a correctness check, not a speed).
 * Slow backends get a smaller image, named in the table; per-megapixel figures compare.
 * LibRaw's `dcraw_emu -T -4` develops the 12 MP file in the same run, for scale.
 *
 * Every run uses the fast model at ratio 'auto', after loading and warming up the model (in
 * Node on a small image; in the browser through `prepare`, as the app does when it loads; and
 * there each photo gets the app's untimed quick render before the full one). On WASM in the
 * browser, after the first photo, five later ones of the same size, then the app opened again
 * in the same browser (a returning user: `prepare` sets up for the last full render's window
 * shape and arrays) and its first photo; and the first photo again in two more fresh browsers
 * (new profiles, nothing remembered), since a single first photo swings by a second here.
 * decode: DNG decoding. inference: the network over all tiles. total: file bytes
 * -> enhanced 16-bit sRGB (decode, linearize, auto ratio, packing, inference, colour and
 * tone); in the browser, what a user waits for: the worker's `open` (decode, linearize, auto
 * ratio, the classic preview) plus `enhance` up to the enhanced display image. The classic
 * "before" image comes after it, from a separate call; its time is in the JSON, not in total. GMAC/s counts the model's cost
 * for the image (cost.gmacPerMegapixel x megapixels) over the inference time; tiles recompute
 * their overlaps on top of that (the JSON has the factor). Peak memory: the Node process, or
 * Chromium's renderer process (page + worker + WASM heap).
 * Writes bench/results/enhance.json and prints a markdown table.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { machineFacts } from './machine.ts';
import { QUICK_RENDER_MAX_SIDE, type Capabilities, type EnhanceOptions } from '../src/worker/api.ts';
import type { Page } from 'playwright-core';
import type { EnhanceRun, RunHooks } from './browser/page.ts';
import { chromiumVersion, closeChromium, launchChromium, peakMemoryByProcessType, serveFiles, servePreview, stopServer, withoutIsolation, type LaunchedBrowser } from './chromium.ts';
import type { NodeRun } from './node-enhance.ts';
import { syntheticDng, syntheticMosaic } from './synthetic-dng.ts';
import { planTiles, contextMargin } from '../src/pipeline/enhance/tiles.ts';
import { parseManifest } from '../src/pipeline/model/manifest.ts';
import { defaultTileSize } from '../src/worker/backend-choice.ts';

const PORT = 4181;
const TIER = 'fast' as const;
const EXPOSURE = 0.03; // a very dark scene: auto ratio lands around 20-30
const DCRAW_RUNS = 3;
/** Photos enhanced after the first in each WASM browser session. */
const LATER_PHOTOS = 5;
/** Wait after reopening the app before timing its new session (see newSession). */
const SESSION_END_MS = 5000;
/** Fresh browser sessions whose first photo is timed on WASM, the main session included. */
const FRESH_SESSIONS = 3;

/** Images by name: the 12 MP subject, smaller ones for slow backends. */
const IMAGES = {
  '12mp': { width: 4000, height: 3000 },
  '1mp': { width: 1152, height: 864 },
  '0.2mp': { width: 512, height: 384 },
} as const;
type ImageName = keyof typeof IMAGES;

const manifest = parseManifest(new Uint8Array(readFileSync(join(import.meta.dirname, '..', 'public', 'model', TIER, 'model.json'))));
const architecture = manifest.architecture;
const gmacPerMegapixel = manifest.gmacPerMegapixel ?? NaN;

interface Row {
  runtime: 'node' | 'chromium' | 'libraw';
  backend: string;
  detail: string;
  image: ImageName;
  megapixels: number;
  decodeMs?: number;
  inferMs?: number;
  totalMs: number;
  tiles?: number;
  tileSize?: number;
  /** Pixels the tiles compute over the image's pixels (context margins and blending). */
  tileOverhead?: number;
  megapixelsPerSecond: number;
  gmacPerSecond?: number;
  peakMemoryBytes?: number;
  extra?: Record<string, unknown>;
}

function writeImages(dir: string): Record<ImageName, string> {
  const paths = {} as Record<ImageName, string>;
  for (const [name, { width, height }] of Object.entries(IMAGES) as [ImageName, { width: number; height: number }][]) {
    const mosaic = syntheticMosaic({ width, height, exposure: EXPOSURE });
    paths[name] = join(dir, `${name}.dng`);
    writeFileSync(paths[name], syntheticDng(mosaic, width, height, { compression: 7, layout: { kind: 'tiles', tileWidth: 256, tileHeight: 256 } }));
  }
  return paths;
}

function megapixels(image: ImageName): number {
  return (IMAGES[image].width * IMAGES[image].height) / 1e6;
}

/** Pixels all windows compute, over the packed image's pixels (same plan as enhance's). */
function tileOverhead(image: ImageName, tileSize: number): number {
  const { sizeMultiple: multiple, widths } = architecture;
  const roundUp = (n: number) => Math.ceil(n / multiple) * multiple;
  const height = roundUp(IMAGES[image].height / 2);
  const width = roundUp(IMAGES[image].width / 2);
  const plan = planTiles(height, width, { tileSize, margin: contextMargin(widths.length), blend: multiple, multiple, scale: 2 });
  return (plan.count * plan.rows.size * plan.cols.size) / (height * width);
}

function rates(image: ImageName, inferMs: number, totalMs: number): Pick<Row, 'megapixels' | 'megapixelsPerSecond' | 'gmacPerSecond'> {
  const mp = megapixels(image);
  return { megapixels: mp, megapixelsPerSecond: mp / (totalMs / 1000), gmacPerSecond: (gmacPerMegapixel * mp) / (inferMs / 1000) };
}

function runNode(backend: 'wasm' | 'cpu', image: ImageName, path: string): Row {
  const child = spawnSync('npx', ['tsx', join(import.meta.dirname, 'node-enhance.ts'), backend, TIER, path], { encoding: 'utf8' });
  if (child.status !== 0) throw new Error(`node ${backend} failed: ${child.stderr}`);
  const run = JSON.parse(child.stdout.trim().split('\n').pop()!) as NodeRun;
  return {
    runtime: 'node',
    backend,
    detail: backend === 'wasm' ? 'SIMD, 1 thread (tfjs has no threads in Node)' : 'plain JavaScript',
    image,
    decodeMs: run.decodeMs,
    inferMs: run.inferMs,
    totalMs: run.totalMs,
    tiles: run.tiles,
    tileSize: run.tileSize,
    tileOverhead: tileOverhead(image, run.tileSize),
    ...rates(image, run.inferMs, run.totalMs),
    peakMemoryBytes: run.peakRssBytes,
    extra: { ratio: run.ratio },
  };
}

interface BrowserCase {
  backend: 'wasm' | 'webgpu';
  isolated: boolean;
  image: ImageName;
}

/** Time from the start of `enhance` to the enhanced image (the display conversion done). */
function enhancedAtMs(run: EnhanceRun): number {
  const done = run.progress.find((p) => p.phase === 'finish' && p.done === 1);
  if (!done) throw new Error('the worker reported no finished enhanced image');
  return done.elapsedMs;
}

/** What a user waits for: the worker's `open` plus `enhance` up to the enhanced image. */
const userWaitMs = (run: EnhanceRun) => run.openMs + enhancedAtMs(run);

/** The worker's window budget for WASM (it depends on the model and the device's memory) and what it costs. */
function windowBudget(image: ImageName, capabilities: Capabilities): Pick<Row, 'tileSize' | 'tileOverhead'> {
  const tileSize = defaultTileSize('wasm', architecture, { deviceMemoryGiB: capabilities.deviceMemoryGiB });
  return { tileSize, tileOverhead: tileOverhead(image, tileSize) };
}

const summary = (values: number[]) => ({ median: median(values), min: Math.min(...values), max: Math.max(...values) });

/** Median and range of the later photos' open, network and total times. */
function laterPhotos(runs: EnhanceRun[]) {
  return {
    runs: runs.length,
    openMs: summary(runs.map((r) => r.openMs)),
    inferMs: summary(runs.map((r) => r.timingsMs.infer)),
    totalMs: summary(runs.map(userWaitMs)),
  };
}

/**
 * The app opened again in the same browser (Cache Storage kept), as a returning user with the
 * same camera: `prepare` sets the network up for the last full render's window shape and faults
 * its large arrays in, and the session's first photo is timed.
 */
async function newSession(page: Page, prepare: () => Promise<{ warmedWindow?: object; ms: number }>, enhance: () => Promise<EnhanceRun>) {
  await page.reload();
  await page.waitForFunction(() => window.tapetumBench !== undefined);
  // The previous session's worker and its 1 GB heap go away in the background; here that slowed
  // the new session by up to a second. A returning user's previous session ended long ago.
  await new Promise((resolve) => setTimeout(resolve, SESSION_END_MS));
  const prepared = await prepare();
  if (!prepared.warmedWindow) throw new Error('the new session did not set up for the last window shape');
  const run = await enhance();
  return { prepareMs: prepared.ms, warmedWindow: prepared.warmedWindow, openMs: run.openMs, inferMs: run.timingsMs.infer, totalMs: userWaitMs(run) };
}

/** The bench page of a launched browser, with the app's steps on it. */
async function openBenchPage({ browser }: LaunchedBrowser, spec: BrowserCase, dir: string) {
  const page = await browser.newPage();
  await serveFiles(page, dir);
  if (!spec.isolated) await withoutIsolation(page);
  await page.goto(`http://localhost:${PORT}/bench/browser/index.html`);
  await page.waitForFunction(() => window.tapetumBench !== undefined);
  const options: EnhanceOptions = { ratio: 'auto', backend: spec.backend, model: TIER };
  // As in the app: the engine starts before any photo, and each photo gets a quick render
  // (untimed) before the timed full one. Not on SwiftShader's WebGPU, where a quick render
  // of the 0.2 MP image would take as long as the full one.
  const prepare = async () => {
    const start = Date.now();
    const prepared = await page.evaluate((o) => window.tapetumBench.prepare(o), { backend: spec.backend, model: TIER });
    return { ...prepared, ms: Date.now() - start };
  };
  const hooks: RunHooks = spec.backend === 'wasm' ? { quickRenderFirst: QUICK_RENDER_MAX_SIDE } : {};
  const enhanceUrl = async (name: ImageName) => {
    const run = await page.evaluate(([url, o, h]) => window.tapetumBench.enhanceUrl(url, o, h), [`/__bench/${name}.dng`, options, hooks] as const);
    if (run.backendUsed !== spec.backend) throw new Error(`asked for ${spec.backend}, ran on ${run.backendUsed}: ${run.fallback}`);
    return run;
  };
  return { page, prepare, enhanceUrl };
}

/** A fresh browser's first photo, after `prepare`: total ms, as for the main session's. */
async function firstPhotoOfFreshSession(spec: BrowserCase, dir: string): Promise<number> {
  const launched = await launchChromium();
  try {
    const { prepare, enhanceUrl } = await openBenchPage(launched, spec, dir);
    await prepare();
    const run = await enhanceUrl(spec.image);
    return userWaitMs(run);
  } finally {
    await closeChromium(launched);
  }
}

async function runChromium(spec: BrowserCase, dir: string): Promise<Row> {
  const launched = await launchChromium();
  try {
    const { page, prepare, enhanceUrl } = await openBenchPage(launched, spec, dir);
    const capabilities: Capabilities = await page.evaluate(() => window.tapetumBench.capabilities());
    const firstPrepare = await prepare();
    const run = await enhanceUrl(spec.image);
    // Later photos of the same size: XNNPACK sets each convolution up for a new window shape,
    // so the first full render in a session pays that and later ones do not. Several, since this VM's
    // timings swing by a second from run to run.
    const later: EnhanceRun[] = [];
    for (let i = 0; spec.backend === 'wasm' && i < LATER_PHOTOS; i++) later.push(await enhanceUrl(spec.image));
    const returning = spec.backend === 'wasm' ? await newSession(page, prepare, () => enhanceUrl(spec.image)) : undefined;
    const peaks = peakMemoryByProcessType(launched.server.process().pid!);
    const totalMs = userWaitMs(run);
    const status = capabilities.backends.find((b) => b.name === spec.backend)!;
    // The first 'infer' report (0 of 1) comes before the tiles are planned: take the last.
    const tiles = run.progress.filter((p) => p.phase === 'infer').pop()?.total;
    return {
      runtime: 'chromium',
      backend: spec.backend,
      detail: spec.backend === 'webgpu' ? `${capabilities.webgpuAdapter?.architecture ?? 'GPU'} (correctness only)` : status.detail,
      image: spec.image,
      decodeMs: run.timingsMs.decode,
      inferMs: run.timingsMs.infer,
      totalMs,
      ...(tiles !== undefined && { tiles }),
      // The worker sizes WASM windows from the model and the device's memory; WebGPU's also from its buffer limits.
      ...(spec.backend === 'wasm' && windowBudget(spec.image, capabilities)),
      ...rates(spec.image, run.timingsMs.infer, totalMs),
      ...(peaks?.renderer !== undefined && { peakMemoryBytes: peaks.renderer }),
      extra: {
        ratio: run.ratioUsed,
        openMs: run.openMs,
        enhanceCallMs: run.enhanceMs,
        classicBeforeMs: run.classicMs,
        prepareMs: firstPrepare.ms,
        ...(later.length > 0 && { laterPhotos: laterPhotos(later) }),
        ...(returning && { newSession: returning }),
        crossOriginIsolated: capabilities.crossOriginIsolated,
        peakMemoryByProcessType: peaks,
      },
    };
  } finally {
    await closeChromium(launched);
  }
}

/** The main session's row; on WASM, with the first photo of more fresh browsers beside its own. */
async function runChromiumCase(spec: BrowserCase, dir: string): Promise<Row> {
  const row = await runChromium(spec, dir);
  if (spec.backend !== 'wasm') return row;
  const firstPhotos = [row.totalMs];
  while (firstPhotos.length < FRESH_SESSIONS) firstPhotos.push(await firstPhotoOfFreshSession(spec, dir));
  return { ...row, extra: { ...row.extra, firstPhotos: { runs: firstPhotos.length, totalMs: summary(firstPhotos) } } };
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)]!;
}

function runDcrawEmu(path: string): Row | undefined {
  if (spawnSync('sh', ['-c', 'command -v dcraw_emu']).status !== 0) {
    console.warn('dcraw_emu not found (Debian package libraw-bin): no LibRaw row');
    return undefined;
  }
  const times: number[] = [];
  for (let i = 0; i <= DCRAW_RUNS; i++) {
    const start = performance.now();
    const result = spawnSync('dcraw_emu', ['-T', '-4', path]);
    if (result.status !== 0) throw new Error(`dcraw_emu failed: ${result.stderr}`);
    if (i > 0) times.push(performance.now() - start); // the first run warms the file cache
  }
  const totalMs = median(times);
  return { runtime: 'libraw', backend: 'dcraw_emu -T -4', detail: 'LibRaw full development (AHD, 16-bit TIFF), one process', image: '12mp', totalMs, megapixels: megapixels('12mp'), megapixelsPerSecond: megapixels('12mp') / (totalMs / 1000) };
}

const fmt = (value: number | undefined, digits = 0) => (value === undefined ? '' : value.toFixed(digits));

function markdownTable(rows: Row[], libraw: Row | undefined): string {
  const header = ['runtime', 'backend', 'image', 'decode ms', 'inference ms', 'total ms', `first photo, ${FRESH_SESSIONS} fresh sessions: total ms, median (range)`, 'later photos: total ms, median (range)', 'new session, same size: total ms', 'MP/s', 'GMAC/s', 'peak MB', 'x dcraw_emu'];
  const lines = [`| ${header.join(' | ')} |`, `|${header.map(() => '---').join('|')}|`];
  for (const row of rows) {
    const versusLibraw = libraw && row.image === '12mp' && row !== libraw ? fmt(row.totalMs / libraw.totalMs, 2) : '';
    const later = row.extra?.laterPhotos as ReturnType<typeof laterPhotos> | undefined;
    const spread = (s?: ReturnType<typeof summary>) => (s ? `${fmt(s.median)} (${fmt(s.min)}–${fmt(s.max)})` : '');
    const firstPhotos = row.extra?.firstPhotos as { totalMs: ReturnType<typeof summary> } | undefined;
    const returning = row.extra?.newSession as Awaited<ReturnType<typeof newSession>> | undefined;
    lines.push(
      `| ${row.runtime} | ${row.backend}: ${row.detail} | ${row.megapixels.toFixed(1)} MP | ${fmt(row.decodeMs)} | ${fmt(row.inferMs)} | ${fmt(row.totalMs)} | ${spread(firstPhotos?.totalMs)} | ${spread(later?.totalMs)} | ${fmt(returning?.totalMs)} | ${fmt(row.megapixelsPerSecond, 2)} | ${fmt(row.gmacPerSecond, 2)} | ${row.peakMemoryBytes ? fmt(row.peakMemoryBytes / 2 ** 20) : ''} | ${versusLibraw} |`,
    );
  }
  return lines.join('\n');
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'tapetum-bench-'));
  const server = await servePreview(PORT);
  try {
    const paths = writeImages(dir);
    const rows: Row[] = [];
    const step = (label: string) => console.error(`bench: ${label}`);
    for (const spec of [
      { backend: 'wasm', isolated: true, image: '12mp' },
      { backend: 'wasm', isolated: false, image: '12mp' },
      { backend: 'webgpu', isolated: true, image: '0.2mp' },
    ] as BrowserCase[]) {
      step(`chromium ${spec.backend}${spec.isolated ? '' : ' (not isolated)'} on ${spec.image}`);
      rows.push(await runChromiumCase(spec, dir));
    }
    step('node wasm on 12mp');
    rows.push(runNode('wasm', '12mp', paths['12mp']));
    step('node cpu on 1mp');
    rows.push(runNode('cpu', '1mp', paths['1mp']));
    step('dcraw_emu on 12mp');
    const libraw = runDcrawEmu(paths['12mp']);
    if (libraw) rows.push(libraw);

    const table = markdownTable(rows, libraw);
    const machine = { ...machineFacts(), chromium: chromiumVersion() };
    console.log(`Fast model (${gmacPerMegapixel} GMAC/MP), ratio auto, ${machine.cores} cores (${machine.cpu}), Chromium ${machine.chromium}, 1-min load ${machine.loadAverage1m.toFixed(2)}\n`);
    console.log(table);
    const report = {
      ...machine,
      model: { tier: TIER, gmacPerMegapixel },
      images: IMAGES,
      rows,
      markdown: table,
    };
    const out = join(import.meta.dirname, 'results', 'enhance.json');
    writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`\nwrote ${out}`);
  } finally {
    stopServer(server);
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
