import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { decode as decodePng } from 'fast-png';
import { decode as decodeJpeg } from 'jpeg-js';
import { afterAll, describe, expect, it } from 'vitest';
import { run } from '../src/cli/run.ts';
import type { CliIo } from '../src/cli/io.ts';
import { writeDng } from '../src/pipeline/dng/writer.ts';

const dir = mkdtempSync(join(tmpdir(), 'tapetum-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const WIDTH = 64;
const HEIGHT = 48;

/** A small 14-bit RGGB DNG: a smooth gradient with a little deterministic noise. */
function writeFixture(name: string): string {
  const data = new Uint16Array(WIDTH * HEIGHT);
  let state = 12345;
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      data[y * WIDTH + x] = 512 + Math.round(40 * x + 60 * y + (state >>> 26));
    }
  }
  const bytes = writeDng({
    stored: { width: WIDTH, height: HEIGHT, samplesPerPixel: 1, data },
    metadata: {
      make: 'Test',
      model: 'Fixture',
      bitsPerSample: 14,
      cfaPattern: [0, 1, 1, 2],
      blackLevel: { repeatRows: 1, repeatCols: 1, values: [512] },
      whiteLevel: [16383],
      // ColorMatrix1 (D65) of the Sony ILCE-7S as published by Adobe.
      colorMatrix1: [0.5838, -0.143, -0.0246, -0.3497, 1.1477, 0.2297, -0.0748, 0.1885, 0.5778],
      calibrationIlluminant1: 21,
      asShotNeutral: [0.5, 1, 0.4],
    },
  });
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

const goodA = writeFixture('good-a.dng');
const goodB = writeFixture('good-b.DNG');
const notDng = join(dir, 'holiday.dng');
writeFileSync(notDng, new TextEncoder().encode('this is a text file, not a raw photo'));
const missing = join(dir, 'missing.dng');

function recordingIo(): CliIo & { out: string[]; err: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  return { out, err, stdout: (line) => out.push(line), stderr: (line) => err.push(line) };
}

let outCount = 0;
const freshOutDir = () => join(dir, `out${outCount++}`, 'nested');

describe('tapetum usage', () => {
  it('prints help with exit 0', async () => {
    const io = recordingIo();
    expect(await run(['--help'], io)).toBe(0);
    expect(io.out.join('\n')).toMatch(/tapetum develop FILE\.\.\. --out DIR/);
  });

  it.each([
    [['frobnicate', goodA], /unknown command 'frobnicate'/],
    [['develop', goodA, '--out', dir, '--sharpen'], /--sharpen/],
    [['develop', goodA], /--out DIR is required/],
    [['develop', goodA, '--out', dir, '--ratio', 'abc'], /--ratio must be a positive number/],
    [['develop', goodA, '--out', dir, '--ratio', '0'], /--ratio must be a positive number/],
    [['develop', goodA, '--out', dir, '--ratio=-3'], /--ratio must be a positive number/],
    [['develop', goodA, '--out', dir, '--format', 'webp'], /--format must be one of png, png16, jpeg/],
    [['develop', '--out', dir], /no input files/],
    [['info', goodA, '--out', dir], /--out/],
  ])('exits 2 with the usage for %j', async (argv, message) => {
    const io = recordingIo();
    expect(await run(argv, io)).toBe(2);
    expect(io.err[0]).toMatch(/^tapetum: /);
    expect(io.err[0]).toMatch(message);
    expect(io.err.join('\n')).toMatch(/Usage:/);
    expect(io.out).toEqual([]);
  });
});

describe('tapetum develop', () => {
  it('writes one 8-bit PNG per file, named after the input, and exits 0', async () => {
    const io = recordingIo();
    const out = freshOutDir();
    expect(await run(['develop', goodA, goodB, '--out', out], io)).toBe(0);
    expect(readdirSync(out).sort()).toEqual(['good-a.png', 'good-b.png']);
    const png = decodePng(readFileSync(join(out, 'good-a.png')));
    expect([png.width, png.height, png.channels, png.depth]).toEqual([WIDTH, HEIGHT, 3, 8]);
    expect(io.err).toHaveLength(2);
    expect(io.err[0]).toMatch(/good-a\.dng -> .*good-a\.png \(\d+ ms\)/);
  });

  it('writes 16-bit PNG and JPEG on request; --ratio brightens', async () => {
    const out = freshOutDir();
    expect(await run(['develop', goodA, '--out', out, '--format', 'png16'], recordingIo())).toBe(0);
    const dim = decodePng(readFileSync(join(out, 'good-a.png')));
    expect([dim.width, dim.height, dim.depth]).toEqual([WIDTH, HEIGHT, 16]);

    const brightOut = freshOutDir();
    expect(await run(['develop', goodA, '--out', brightOut, '--format', 'png16', '--ratio', '4'], recordingIo())).toBe(0);
    const bright = decodePng(readFileSync(join(brightOut, 'good-a.png')));
    const mean = (data: ArrayLike<number>) => Array.from(data).reduce((s, v) => s + v, 0) / data.length;
    expect(mean(bright.data)).toBeGreaterThan(1.2 * mean(dim.data));

    const jpegOut = freshOutDir();
    expect(await run(['develop', goodA, '--out', jpegOut, '--format', 'jpeg'], recordingIo())).toBe(0);
    expect(readdirSync(jpegOut)).toEqual(['good-a.jpg']);
    const jpeg = decodeJpeg(readFileSync(join(jpegOut, 'good-a.jpg')));
    expect([jpeg.width, jpeg.height]).toEqual([WIDTH, HEIGHT]);
  });

  it('reports each failed file on one line, still writes the others, and exits 1', async () => {
    const io = recordingIo();
    const out = freshOutDir();
    expect(await run(['develop', goodA, notDng, missing, goodB, '--out', out], io)).toBe(1);
    expect(readdirSync(out).sort()).toEqual(['good-a.png', 'good-b.png']);
    const failures = io.err.filter((line) => line.startsWith('tapetum: '));
    expect(failures).toHaveLength(2);
    expect(failures[0]).toMatch(new RegExp(`^tapetum: ${notDng}: \\S`));
    expect(failures[0]).not.toMatch(/unexpected error/);
    expect(failures[1]).toMatch(new RegExp(`^tapetum: ${missing}: file not found`));
  });
});

describe('tapetum info', () => {
  it('prints metadata and warnings of each file as JSON', async () => {
    const io = recordingIo();
    expect(await run(['info', goodA, notDng], io)).toBe(1);
    const infos = JSON.parse(io.out.join('\n'));
    expect(infos).toHaveLength(1);
    expect(infos[0].file).toBe(goodA);
    expect(infos[0].metadata).toMatchObject({
      width: WIDTH,
      height: HEIGHT,
      bitsPerSample: 14,
      photometric: 'cfa',
      cfaPattern: [0, 1, 1, 2],
      whiteLevel: [16383],
    });
    expect(infos[0].warnings).toEqual([]);
  });

  const truncated = join(import.meta.dirname, '../../shared/data/dng-samples/damaged/leica-m10-truncated.dng');
  if (!existsSync(truncated)) console.warn(`cli.test: ${truncated} absent, skipping the damaged-file info case`);
  it.skipIf(!existsSync(truncated))('keeps the metadata of a file whose image data is cut off, with the image error', async () => {
    const io = recordingIo();
    expect(await run(['info', truncated], io)).toBe(1);
    const [info] = JSON.parse(io.out.join('\n'));
    // exiftool reads Make "Leica Camera AG" and Model "LEICA M10" from this file.
    expect(info.metadata).toMatchObject({ make: 'Leica Camera AG', model: 'LEICA M10' });
    expect(info.imageError.code).toBe('truncated');
    expect(info.imageError.message.length).toBeGreaterThan(0);
    expect(io.err.some((line: string) => line.startsWith(`tapetum: ${truncated}: `))).toBe(true);
  });
});

const sidDev = join(import.meta.dirname, '../../shared/data/sid-dev');
if (!existsSync(sidDev)) console.warn(`cli.test: ${sidDev} absent, skipping the real-DNG run`);
describe.skipIf(!existsSync(sidDev))('tapetum on a real sensor DNG', () => {
  it('develops a sid-dev crop at its size', async () => {
    const out = freshOutDir();
    const file = join(sidDev, '00004_14.dng');
    expect(await run(['develop', file, '--out', out, '--ratio', '26.7'], recordingIo())).toBe(0);
    const png = decodePng(readFileSync(join(out, '00004_14.png')));
    const reference = decodePng(readFileSync(join(sidDev, '00004_14.ref.png')));
    expect([png.width, png.height]).toEqual([reference.width, reference.height]);
  });
});

describe('the tapetum entry point', () => {
  it('runs as a process and passes the exit status on', async () => {
    const tsx = join(import.meta.dirname, '../node_modules/.bin/tsx');
    const main = join(import.meta.dirname, '../src/cli/main.ts');
    const ok = await promisify(execFile)(tsx, [main, 'info', goodA]);
    expect(JSON.parse(ok.stdout)[0].metadata.width).toBe(WIDTH);
    const failed = await promisify(execFile)(tsx, [main, 'develop', goodA]).catch((e) => e);
    expect(failed.code).toBe(2);
    expect(failed.stderr).toMatch(/^tapetum: --out DIR is required/);
  }, 30_000);
});
