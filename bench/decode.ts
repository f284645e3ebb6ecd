/**
 * Decode benchmark: our DNG decoder against LibRaw on a 24 MP 14-bit RGGB mosaic, stored
 * uncompressed and as lossless JPEG. Prints a table and writes bench/results/decode.json.
 *
 * Timings are wall clock, median of 3 after a warm-up. Ours: read the file + decodeDng.
 * LibRaw: the whole `dcraw_emu -D -4 -T` process (read, unpack, write a 16-bit TIFF), and
 * the unpack step alone as its `-timing` option reports it. Builds without -D (LibRaw 0.20)
 * get `-disinterp -o 0` instead: no demosaic and no colour conversion either, but black
 * subtraction and scaling are still done (a few percent of the process).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeDng } from '../src/pipeline/dng/index.ts';
import { writeDng, type DngWriteOptions } from '../src/pipeline/dng/writer.ts';

const WIDTH = 6000;
const HEIGHT = 4000;
const BLACK = 512;
const WHITE = 16383;
const RUNS = 3;

/** xorshift32: fast deterministic randomness, so every run benchmarks the same bytes. */
function randomSource(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

/**
 * A dim scene (gradients, soft blobs and a few hard-edged shapes) with shot and read noise,
 * so lossless JPEG compresses it about as well as a real raw, not trivially.
 */
function syntheticMosaic(): Uint16Array {
  const random = randomSource(2024);
  const channelGain = [0.5, 1, 0.42]; // R, G, B as a daylight scene looks to a camera
  const data = new Uint16Array(WIDTH * HEIGHT);
  for (let y = 0; y < HEIGHT; y++) {
    const v = y / HEIGHT;
    for (let x = 0; x < WIDTH; x++) {
      const u = x / WIDTH;
      const color = (y & 1) + (x & 1); // RGGB: 0 red, 1 green, 2 blue
      let light = 0.15 + 0.35 * u * (1 - v) + 0.12 * Math.sin(9 * u + 4 * v) * Math.cos(7 * v);
      if ((Math.floor(u * 12) + Math.floor(v * 8)) % 5 === 0) light *= 0.4; // hard edges
      const signal = Math.max(0, light * channelGain[color]) * (WHITE - BLACK);
      // Approximately Gaussian: the sum of four uniforms, scaled to unit variance.
      const gaussian = (random() + random() + random() + random() - 2) * Math.sqrt(3);
      const sigma = Math.sqrt(2 * signal + 36);
      data[y * WIDTH + x] = Math.min(WHITE, Math.max(0, Math.round(BLACK + signal + sigma * gaussian)));
    }
  }
  return data;
}

function writeSample(dir: string, name: string, mosaic: Uint16Array, options: DngWriteOptions): string {
  const bytes = writeDng(
    {
      stored: { width: WIDTH, height: HEIGHT, samplesPerPixel: 1, data: mosaic },
      metadata: {
        make: 'Tapetum',
        model: 'Benchmark',
        bitsPerSample: 14,
        cfaPattern: [0, 1, 1, 2],
        blackLevel: { repeatRows: 1, repeatCols: 1, values: [BLACK] },
        whiteLevel: [WHITE],
        colorMatrix1: [0.5838, -0.143, -0.0246, -0.3497, 1.1477, 0.2297, -0.0748, 0.1885, 0.5778],
        calibrationIlluminant1: 21,
        asShotNeutral: [0.5, 1, 0.42],
      },
    },
    options,
  );
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** Median wall time in ms of `task` over RUNS runs, after one warm-up run. */
async function timeMedian(task: () => unknown): Promise<{ medianMs: number; runsMs: number[] }> {
  await task();
  const runsMs: number[] = [];
  for (let i = 0; i < RUNS; i++) {
    const start = performance.now();
    await task();
    runsMs.push(Math.round(performance.now() - start));
  }
  return { medianMs: median(runsMs), runsMs };
}

const ratio = (a: number, b: number) => Number((a / b).toFixed(2));

const hasTool = (name: string) => spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;

/** dcraw_emu arguments for the raw mosaic as a 16-bit TIFF, with the unpack step timed. */
function dcrawEmuArgs(path: string): string[] {
  const usage = spawnSync('dcraw_emu', [], { encoding: 'utf8' });
  const hasDocumentMode = /^-D\b/m.test(`${usage.stdout}${usage.stderr}`);
  return ['-timing', ...(hasDocumentMode ? ['-D'] : ['-disinterp', '-o', '0']), '-4', '-T', path];
}

/** Runs dcraw_emu once; returns the unpack time it reports, in ms. */
function runDcrawEmu(args: string[]): number {
  const result = spawnSync('dcraw_emu', args, { encoding: 'utf8' });
  const unpack = /LibRaw::unpack\(\):\s*([\d.]+) msec/.exec(result.stdout);
  if (result.status !== 0 || !unpack) throw new Error(`dcraw_emu ${args.join(' ')} failed: ${result.stderr}`);
  return Number(unpack[1]);
}

async function main(): Promise<void> {
  const haveDcrawEmu = hasTool('dcraw_emu');
  if (!haveDcrawEmu) console.warn('dcraw_emu not found (Debian package libraw-bin): skipping the LibRaw column');

  const dir = mkdtempSync(join(tmpdir(), 'tapetum-bench-'));
  try {
    const mosaic = syntheticMosaic();
    const samples = [
      { compression: 'uncompressed', path: writeSample(dir, 'bench-uncompressed.dng', mosaic, { compression: 1 }) },
      {
        compression: 'lossless JPEG',
        path: writeSample(dir, 'bench-ljpeg.dng', mosaic, { compression: 7, layout: { kind: 'tiles', tileWidth: 256, tileHeight: 256 } }),
      },
    ];

    const results = [];
    for (const { compression, path } of samples) {
      const check = await decodeDng(new Uint8Array(readFileSync(path)));
      if (check.stored.data.some((v, i) => v !== mosaic[i])) throw new Error(`${path}: decoded samples differ from the written ones`);
      const ours = await timeMedian(async () => decodeDng(new Uint8Array(readFileSync(path))));
      const args = haveDcrawEmu ? dcrawEmuArgs(path) : [];
      const unpackMs: number[] = [];
      const libraw = haveDcrawEmu ? await timeMedian(() => unpackMs.push(runDcrawEmu(args))) : undefined;
      // The warm-up run is left out, as for the process times.
      const unpack = haveDcrawEmu ? Math.round(median(unpackMs.slice(1))) : undefined;
      results.push({
        file: path.slice(dir.length + 1),
        compression,
        bytes: readFileSync(path).length,
        oursMs: ours.medianMs,
        oursRunsMs: ours.runsMs,
        librawCommand: haveDcrawEmu ? `dcraw_emu ${args.slice(0, -1).join(' ')} FILE` : null,
        librawProcessMs: libraw?.medianMs ?? null,
        librawProcessRunsMs: libraw?.runsMs ?? null,
        librawUnpackMs: unpack ?? null,
        oursOverLibrawProcess: libraw ? ratio(ours.medianMs, libraw.medianMs) : null,
        oursOverLibrawUnpack: unpack ? ratio(ours.medianMs, unpack) : null,
      });
    }

    console.log(`${WIDTH}x${HEIGHT} 14-bit RGGB, median of ${RUNS} after a warm-up (ms)`);
    console.table(
      results.map((r) => ({
        file: r.file,
        MB: (r.bytes / 1e6).toFixed(1),
        ours: r.oursMs,
        'LibRaw dcraw_emu': r.librawProcessMs ?? 'n/a',
        'LibRaw unpack()': r.librawUnpackMs ?? 'n/a',
        'ours / dcraw_emu': r.oursOverLibrawProcess ?? 'n/a',
        'ours / unpack()': r.oursOverLibrawUnpack ?? 'n/a',
      })),
    );
    if (haveDcrawEmu) console.log(`LibRaw: ${results[0]?.librawCommand}, unpack() as its -timing reports it`);
    const report = {
      date: new Date().toISOString(),
      node: process.version,
      cpu: cpus()[0]?.model ?? 'unknown',
      cores: cpus().length,
      // The machine may be shared: the 1-minute load average when the timings ended.
      loadAverage1m: loadavg()[0],
      image: { width: WIDTH, height: HEIGHT, bitsPerSample: 14, cfa: 'RGGB' },
      runs: RUNS,
      results,
    };
    const out = join(import.meta.dirname, 'results', 'decode.json');
    writeFileSync(out, `${JSON.stringify(report, null, 2)}\n`);
    console.log(`wrote ${out}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
