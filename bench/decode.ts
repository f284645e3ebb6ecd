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
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { machineFacts } from './machine.ts';
import { decodeDng } from '../src/pipeline/dng/index.ts';
import type { DngWriteOptions } from '../src/pipeline/dng/writer.ts';
import { syntheticDng, syntheticMosaic } from './synthetic-dng.ts';

const WIDTH = 6000;
const HEIGHT = 4000;
const RUNS = 3;

function writeSample(dir: string, name: string, mosaic: Uint16Array, options: DngWriteOptions): string {
  const path = join(dir, name);
  writeFileSync(path, syntheticDng(mosaic, WIDTH, HEIGHT, options));
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
    const mosaic = syntheticMosaic({ width: WIDTH, height: HEIGHT });
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
      ...machineFacts(),
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
