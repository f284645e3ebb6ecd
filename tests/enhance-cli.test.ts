import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode as decodePng } from 'fast-png';
import { decode as decodeJpeg } from 'jpeg-js';
import { afterAll, describe, expect, it } from 'vitest';
import { modelFolder } from '../src/cli/model-files.ts';
import type { CliIo } from '../src/cli/io.ts';
import { run } from '../src/cli/run.ts';
import { writeDng } from '../src/pipeline/dng/writer.ts';

const dir = mkdtempSync(join(tmpdir(), 'tapetum-enhance-cli-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const hasModel = existsSync(join(modelFolder('fast'), 'model.json'));
if (!hasModel) console.warn('enhance CLI tests skipped: public/model/fast missing');
const hasTool = (name: string) => spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
const haveLibRaw = hasTool('dcraw_emu') && hasTool('exiftool');
if (!haveLibRaw) console.warn('enhance CLI DNG checks skipped: dcraw_emu or exiftool missing');

// Odd width and a crop and a rotation: the output size says whether geometry was applied.
const WIDTH = 97;
const HEIGHT = 66;
const CROP = { x: 2, y: 3, width: 90, height: 60 };

/** A dark 14-bit RGGB DNG: a smooth scene at about 1/50 of full exposure with a little noise. */
function writeFixture(name: string): string {
  const data = new Uint16Array(WIDTH * HEIGHT);
  const response = [0.5, 1, 1, 0.4];
  let state = 99;
  for (let y = 0; y < HEIGHT; y++) {
    for (let x = 0; x < WIDTH; x++) {
      state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
      const scene = 0.2 + 0.5 * (x / WIDTH) + 0.2 * (y / HEIGHT);
      data[y * WIDTH + x] = 512 + Math.round((scene * response[(y & 1) * 2 + (x & 1)]! * 15871) / 50 + (state >>> 29));
    }
  }
  const path = join(dir, name);
  writeFileSync(
    path,
    writeDng({
      stored: { width: WIDTH, height: HEIGHT, samplesPerPixel: 1, data },
      metadata: {
        make: 'Test',
        model: 'Fixture',
        bitsPerSample: 14,
        cfaPattern: [0, 1, 1, 2],
        blackLevel: { repeatRows: 1, repeatCols: 1, values: [512] },
        whiteLevel: [16383],
        colorMatrix1: [0.5838, -0.143, -0.0246, -0.3497, 1.1477, 0.2297, -0.0748, 0.1885, 0.5778],
        calibrationIlluminant1: 21,
        asShotNeutral: [0.5, 1, 0.4],
        defaultCrop: CROP,
        orientation: 8,
      },
    }),
  );
  return path;
}

function recordingIo(): CliIo & { out: string[]; err: string[]; status: string[] } {
  const out: string[] = [];
  const err: string[] = [];
  const status: string[] = [];
  return { out, err, status, stdout: (l) => out.push(l), stderr: (l) => err.push(l), progress: (s) => s !== undefined && status.push(s) };
}

let outCount = 0;
const freshOutDir = () => join(dir, `out${outCount++}`);

describe('tapetum enhance: usage', () => {
  const file = join(dir, 'any.dng');
  it.each([
    [['enhance', file], /--out DIR is required/],
    [['enhance', file, '--out', dir, '--ratio', 'bright'], /--ratio must be 'auto' or a positive number, got 'bright'/],
    [['enhance', file, '--out', dir, '--ratio=-2'], /--ratio must be 'auto' or a positive number/],
    [['enhance', file, '--out', dir, '--format', 'tiff'], /--format must be one of png, png16, jpeg, dng/],
    [['enhance', file, '--out', dir, '--backend', 'webgpu'], /--backend must be one of wasm, cpu/],
    [['enhance', file, '--out', dir, '--model', 'huge'], /--model must be one of fast, quality/],
    [['enhance', file, '--out', dir, '--tile', '0'], /--tile must be a positive whole number/],
    [['enhance', file, '--out', dir, '--tile', '12.5'], /--tile must be a positive whole number/],
    [['enhance', '--out', dir], /no input files/],
    [['develop', file, '--out', dir, '--format', 'dng'], /--format must be one of png, png16, jpeg, got 'dng'/],
  ])('%j exits 2 with a message and the usage', async (argv, message) => {
    const io = recordingIo();
    expect(await run(argv, io)).toBe(2);
    expect(io.err.join('\n')).toMatch(message);
    expect(io.err.join('\n')).toMatch(/tapetum enhance FILE\.\.\. --out DIR/);
  });
});

describe.skipIf(!hasModel)('tapetum enhance', () => {
  const good = writeFixture('dark-scene.dng');
  const other = writeFixture('second.DNG');
  // Rotated by orientation 8, so width and height of the crop swap.
  const [outWidth, outHeight] = [CROP.height, CROP.width];

  it('writes each format at the developed size, exit 0, progress reported', async () => {
    const out = freshOutDir();
    for (const format of ['png', 'png16', 'jpeg'] as const) {
      const io = recordingIo();
      expect(await run(['enhance', good, other, '--out', out, '--format', format, '--ratio', '50', '--backend', 'cpu'], io)).toBe(0);
      expect(io.err.filter((l) => l.startsWith('tapetum:'))).toEqual([]);
      expect(io.err.join('\n')).toMatch(/dark-scene\.dng -> .*dark-scene\.(png|jpg), ratio 50 \(\d+ ms\)/);
      expect(io.status.some((s) => /tiles 1\/1/.test(s))).toBe(true);
    }
    const png8 = decodePng(readFileSync(join(out, 'dark-scene.png')));
    const png16 = decodePng(readFileSync(join(out, 'dark-scene.png')));
    expect([png8.width, png8.height, png8.channels]).toEqual([outWidth, outHeight, 3]);
    expect(png16.width).toBe(outWidth);
    const jpeg = decodeJpeg(readFileSync(join(out, 'second.jpg')));
    expect([jpeg.width, jpeg.height]).toEqual([outWidth, outHeight]);
  });

  it('chooses the ratio automatically by default and reports it', async () => {
    const io = recordingIo();
    expect(await run(['enhance', good, '--out', freshOutDir(), '--tile', '64'], io)).toBe(0);
    const ratio = Number(io.err.join('\n').match(/ratio ([\d.]+)/)?.[1]);
    // The fixture is the scene at 1/50 exposure; auto brightens it substantially.
    expect(ratio).toBeGreaterThan(10);
    expect(ratio).toBeLessThanOrEqual(300);
  });

  it('exits 1 when some file fails and still writes the others', async () => {
    const notDng = join(dir, 'notes.dng');
    writeFileSync(notDng, 'not a raw photo');
    const out = freshOutDir();
    const io = recordingIo();
    expect(await run(['enhance', notDng, good, join(dir, 'missing.dng'), '--out', out, '--ratio', '40'], io)).toBe(1);
    expect(io.err.filter((l) => l.startsWith('tapetum:'))).toHaveLength(2);
    expect(existsSync(join(out, 'dark-scene.png'))).toBe(true);
  });

  it('refuses to replace the original with a DNG written into its own folder', async () => {
    const before = readFileSync(good);
    const io = recordingIo();
    expect(await run(['enhance', good, '--out', dir, '--format', 'dng', '--ratio', '40'], io)).toBe(1);
    expect(io.err.join('\n')).toMatch(/would replace the original file/);
    expect(readFileSync(good).equals(before)).toBe(true);
  });

  it.skipIf(!haveLibRaw)('--format dng: a 16-bit LinearRaw DNG with the colour tags, developed by LibRaw like our PNG', async () => {
    const out = freshOutDir();
    const io = recordingIo();
    expect(await run(['enhance', good, '--out', out, '--format', 'dng', '--ratio', '50'], io)).toBe(0);
    expect(await run(['enhance', good, '--out', out, '--format', 'png16', '--ratio', '50'], recordingIo())).toBe(0);
    const dng = join(out, 'dark-scene.dng');

    const tags = ['PhotometricInterpretation', 'BitsPerSample', 'SamplesPerPixel', 'ImageWidth', 'ImageHeight', 'ColorMatrix1', 'AsShotNeutral', 'Orientation', 'DefaultCropSize', 'Make'];
    const exif = (path: string) => JSON.parse(execFileSync('exiftool', ['-j', '-n', ...tags.map((t) => `-${t}`), path], { encoding: 'utf8' }))[0];
    const [ours, original] = [exif(dng), exif(good)];
    expect(ours.PhotometricInterpretation).toBe(34892);
    expect(ours.BitsPerSample).toBe('16 16 16');
    expect(ours.SamplesPerPixel).toBe(3);
    expect([ours.ImageWidth, ours.ImageHeight]).toEqual([WIDTH, HEIGHT]);
    for (const tag of ['ColorMatrix1', 'AsShotNeutral', 'Orientation', 'DefaultCropSize', 'Make']) expect(ours[tag]).toEqual(original[tag]);

    // LibRaw: camera white balance, sRGB primaries and curve, no auto brightness, 16-bit PPM.
    // It applies Orientation but not DefaultCrop, so our crop is located in its rotated frame:
    // orientation 8 turns stored (x, y) into (y, WIDTH - 1 - x).
    const ppm = execFileSync('dcraw_emu', ['-w', '-o', '1', '-W', '-c', '0', '-g', '2.4', '12.92', '-6', '-Z', '-', dng], { maxBuffer: 1 << 28 });
    const header = ppm.subarray(0, 40).toString('latin1').match(/^P6\s+(\d+)\s+(\d+)\s+\d+\s/)!;
    const libRawWidth = Number(header[1]);
    expect([libRawWidth, Number(header[2])]).toEqual([HEIGHT, WIDTH]);
    const [left, top] = [CROP.y, WIDTH - CROP.x - CROP.width];
    const png = decodePng(readFileSync(join(out, 'dark-scene.png')));
    let squared = 0;
    for (let v = 0; v < png.height; v++) {
      for (let u = 0; u < png.width; u++) {
        for (let c = 0; c < 3; c++) {
          const libRaw = ppm.readUInt16BE(header[0].length + 2 * (((top + v) * libRawWidth + left + u) * 3 + c));
          squared += ((libRaw - png.data[(v * png.width + u) * 3 + c]!) / 65535) ** 2;
        }
      }
    }
    const psnr = 10 * Math.log10(png.data.length / squared);
    console.log(`enhanced DNG developed by dcraw_emu vs our png16: PSNR ${psnr.toFixed(1)} dB`);
    expect(psnr).toBeGreaterThanOrEqual(45);
  });
});
