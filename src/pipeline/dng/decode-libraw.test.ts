/**
 * Stored raw values of every sample in dng-samples/decodable against LibRaw 0.20
 * (unprocessed_raw / dcraw_emu). Where LibRaw applies a step that decodeDng leaves for
 * linearize, the comparison applies the same step through our own code and says so.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { decodeDng } from './decode';
import { linearize } from './linearize';
import type { DecodedDng } from './types';

const SAMPLES = '../shared/data/dng-samples/decodable';
const hasTool = (name: string) => spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
const haveLibRaw = hasTool('unprocessed_raw') && hasTool('dcraw_emu');
const haveExiftool = hasTool('exiftool');
const runnable = existsSync(SAMPLES) && haveLibRaw && haveExiftool;
if (!runnable) console.warn(`decode-libraw.test: skipped (needs ${SAMPLES}, libraw-bin and exiftool)`);

const work = mkdtempSync(join(tmpdir(), 'tapetum-libraw-'));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Copies a sample next to LibRaw's outputs (the sample directory is read-only). */
function workCopy(name: string): string {
  const path = join(work, name);
  if (!existsSync(path)) copyFileSync(join(SAMPLES, name), path);
  return path;
}

/** Parses a binary PGM/PPM with 16-bit big-endian samples, as LibRaw writes them. */
function readPnm(bytes: Buffer): { width: number; height: number; channels: number; data: Uint16Array } {
  const header = bytes.subarray(0, 64).toString('latin1').match(/^P([56])\s+(\d+)\s+(\d+)\s+(\d+)\s/);
  if (!header) throw new Error('LibRaw wrote no PNM');
  const channels = header[1] === '5' ? 1 : 3;
  const start = header[0].length;
  const view = new DataView(bytes.buffer, bytes.byteOffset + start);
  const data = new Uint16Array((bytes.length - start) / 2);
  for (let i = 0; i < data.length; i++) data[i] = view.getUint16(i * 2, false);
  return { width: Number(header[2]), height: Number(header[3]), channels, data };
}

/** The whole stored CFA raster as LibRaw unpacks it (LinearizationTable applied, no black, no crop). */
function libRawMosaic(name: string) {
  const path = workCopy(name);
  execFileSync('unprocessed_raw', ['-q', path]);
  return readPnm(readFileSync(`${path}.pgm`));
}

/** LinearRaw as LibRaw develops it with every scaling step neutralized (unit WB, black 0, white 65535, raw colour). */
function libRawLinear(name: string) {
  const path = workCopy(name);
  const out = `${path}.ppm`;
  execFileSync('dcraw_emu', ['-4', '-o', '0', '-r', '1', '1', '1', '1', '-k', '0', '-S', '65535', '-j', '-t', '0', '-Z', out, path]);
  return readPnm(readFileSync(out));
}

async function decodeSample(name: string): Promise<DecodedDng> {
  return decodeDng(new Uint8Array(readFileSync(join(SAMPLES, name))));
}

/** LibRaw's raw_image holds stored values mapped through the LinearizationTable. */
function tableMapped(decoded: DecodedDng): Uint16Array {
  const table = decoded.metadata.linearizationTable;
  if (!table) return decoded.stored.data;
  return decoded.stored.data.map((v) => table[Math.min(v, table.length - 1)]);
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i] - b[i]));
  return max;
}

const samples = runnable ? readdirSync(SAMPLES).filter((f) => f.endsWith('.dng')) : [];
const CFA = ['blackmagic-pocket-4k.dng', 'canon-550d-magiclantern-colorchart.dng', 'synthetic-mock-opcodes.dng'];
const LOSSLESS_LINEAR = ['lightroom-tiff2dng-16bit-lj92.dng', 'lightroom-tiff2dng-8bit-lj92.dng'];
const LOSSY_LINEAR = ['canon-eos-6d-lossy.dng', 'lg-g4-iso800.dng', 'lg-g4-sample_1mp.dng'];
const TOO_SMALL_FOR_LIBRAW = 'axiom-beta-2x2.dng';

describe.skipIf(!runnable)('decodeDng against LibRaw', () => {
  it('covers every decodable sample', () => {
    expect([...CFA, ...LOSSLESS_LINEAR, ...LOSSY_LINEAR, TOO_SMALL_FOR_LIBRAW].sort()).toEqual([...samples].sort());
  });

  // blackmagic-pocket-4k holds 12-bit DCT JPEG tiles (SOF1) under Compression 7; LibRaw decodes
  // them with a float32 IDCT, which ours reproduces exactly.
  it.each(CFA)('%s: the whole CFA raster equals LibRaw exactly', async (name) => {
    const decoded = await decodeSample(name);
    const libraw = libRawMosaic(name);
    expect([libraw.width, libraw.height]).toEqual([decoded.stored.width, decoded.stored.height]);
    expect(maxAbsDiff(tableMapped(decoded), libraw.data)).toBe(0);
  });

  it.each(LOSSLESS_LINEAR)('%s: LinearRaw samples equal LibRaw exactly', async (name) => {
    const decoded = await decodeSample(name);
    const libraw = libRawLinear(name);
    expect([libraw.width, libraw.height, libraw.channels]).toEqual([decoded.stored.width, decoded.stored.height, 3]);
    expect(maxAbsDiff(tableMapped(decoded), libraw.data)).toBe(0);
  });

  /**
   * Lossy LinearRaw: LibRaw decodes the JPEG tiles with libjpeg (integer IDCT) and then
   * applies OpcodeList2 (MapPolynomial), giving 65535 * P(stored / 255). We check that model
   * with our linearize (LibRaw's integers must be reproduced by some stored value to within
   * their rounding, 1, plus the float32 resolution of our linear values, < 0.01 at 65535),
   * then compare the stored values it implies with ours. Our Node JPEG path uses a float IDCT
   * and libjpeg's colour conversion: no bias, ~98% identical, differences up to 3 levels where
   * an IDCT rounding step in Cb/Cr is amplified by the YCbCr->RGB factors (up to 1.77).
   */
  it.each(LOSSY_LINEAR)('%s: stored values match LibRaw (libjpeg) within 3 levels, unbiased', async (name) => {
    const decoded = await decodeSample(name);
    const libraw = libRawLinear(name);
    expect([libraw.width, libraw.height]).toEqual([decoded.stored.width, decoded.stored.height]);
    const levels = developedLevels(decoded);
    let worstFit = 0;
    let worstDiff = 0;
    let exact = 0;
    let signedSum = 0;
    for (let i = 0; i < libraw.data.length; i++) {
      const plane = levels[i % 3];
      const target = libraw.data[i];
      let implied = 0;
      for (let s = 1; s < 256; s++) if (Math.abs(plane[s] - target) < Math.abs(plane[implied] - target)) implied = s;
      worstFit = Math.max(worstFit, Math.abs(plane[implied] - target));
      const diff = decoded.stored.data[i] - implied;
      worstDiff = Math.max(worstDiff, Math.abs(diff));
      if (diff === 0) exact++;
      signedSum += diff;
    }
    expect(worstFit).toBeLessThanOrEqual(1.01);
    expect(worstDiff).toBeLessThanOrEqual(3);
    expect(exact / libraw.data.length).toBeGreaterThan(0.97);
    expect(Math.abs(signedSum / libraw.data.length)).toBeLessThan(0.01);
  });

  it(`${TOO_SMALL_FOR_LIBRAW}: LibRaw refuses 2x2 files, so the samples come from the strip bytes by hand`, async () => {
    const libraw = spawnSync('raw-identify', [join(SAMPLES, TOO_SMALL_FOR_LIBRAW)], { encoding: 'utf8' });
    expect(libraw.stdout + libraw.stderr).toMatch(/Unsupported file format or not RAW file/);
    const tags = JSON.parse(
      execFileSync('exiftool', ['-j', '-n', '-StripOffsets', '-StripByteCounts', '-BitsPerSample', join(SAMPLES, TOO_SMALL_FOR_LIBRAW)], {
        encoding: 'utf8',
      }),
    )[0];
    const file = readFileSync(join(SAMPLES, TOO_SMALL_FOR_LIBRAW));
    const strip = file.subarray(tags.StripOffsets, tags.StripOffsets + tags.StripByteCounts);
    // 12-bit samples, most significant bit first: read the strip as one bit string.
    const bits = Array.from(strip, (b) => b.toString(2).padStart(8, '0')).join('');
    const expected = Array.from({ length: 4 }, (_, i) => parseInt(bits.slice(i * tags.BitsPerSample, (i + 1) * tags.BitsPerSample), 2));
    const decoded = await decodeSample(TOO_SMALL_FOR_LIBRAW);
    expect(Array.from(decoded.stored.data)).toEqual(expected);
  });
});

/** 65535 * linearize(stored value s) for s in 0..255, per plane, using the file's own metadata. */
function developedLevels(decoded: DecodedDng): number[][] {
  const { metadata } = decoded;
  const ramp: DecodedDng = {
    metadata: { ...metadata, width: 256, height: 1, activeArea: { x: 0, y: 0, width: 256, height: 1 } },
    stored: { width: 256, height: 1, samplesPerPixel: 3, data: Uint16Array.from({ length: 768 }, (_, i) => Math.floor(i / 3)) },
    warnings: [],
  };
  const linear = linearize(ramp).data;
  return [0, 1, 2].map((plane) => Array.from({ length: 256 }, (_, s) => 65535 * linear[s * 3 + plane]));
}
