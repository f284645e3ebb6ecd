/**
 * Everything decodeDng cannot decode ends in a TapetumError with the right code and a message
 * that says what the file is, quickly: the unsupported and damaged samples, non-DNG files and
 * hand-damaged copies of a small DNG.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TapetumErrorCode } from '../errors';
import { decodeDng } from './decode';
import { readDngMetadata } from './metadata';
import type { StoredRaster } from './types';
import { writeDng } from './writer';

const DATA = '../shared/data';
const SAMPLES = join(DATA, 'dng-samples');
const haveData = existsSync(SAMPLES);
if (!haveData) console.warn(`rejects.test: sample files skipped (no ${SAMPLES})`);

/** Decodes and returns the error, checking it is a TapetumError that came within a second. */
async function failure(bytes: Uint8Array, options?: Parameters<typeof decodeDng>[1]) {
  const start = performance.now();
  const error = await decodeDng(bytes, options).then(
    () => undefined,
    (e: unknown) => e,
  );
  const elapsed = performance.now() - start;
  expect(error).toBeDefined();
  expect((error as Error).name).toBe('TapetumError');
  expect(elapsed).toBeLessThan(1000);
  return error as { code: TapetumErrorCode; message: string };
}

const SAMPLE_CASES: [file: string, code: TapetumErrorCode, message: RegExp][] = [
  ['unsupported/CanonRaw.cr2', 'unsupported', /^Canon CR2 raw files are not supported; convert to DNG with Adobe DNG Converter\.$/],
  ['unsupported/FujiFilm.raf', 'unsupported', /^Fujifilm RAF raw files are not supported; convert to DNG/],
  ['unsupported/Nikon.nef', 'unsupported', /^Nikon NEF raw files are not supported; convert to DNG/],
  ['unsupported/Panasonic.rw2', 'unsupported', /^Panasonic RW2 raw files are not supported; convert to DNG/],
  ['unsupported/gopro-hero6-vc5.gpr', 'unsupported', /VC-5 compression \(GoPro GPR\)/],
  ['damaged/canon-350d-stripped.dng', 'corrupt', /lists 1 image tiles where 140 are needed/],
  ['damaged/iphone12pro-proraw-header-only.dng', 'truncated', /^The file is truncated: image data ends at byte 64104 of \d+ expected/],
  ['damaged/leica-m10-truncated.dng', 'truncated', /^The file is truncated: image data ends at byte 100000 of \d+ expected/],
];

describe.skipIf(!haveData)('unsupported and damaged samples', () => {
  it('covers every file in unsupported/ and damaged/', () => {
    const files = ['unsupported', 'damaged'].flatMap((dir) => readdirSync(join(SAMPLES, dir)).map((f) => `${dir}/${f}`));
    expect(SAMPLE_CASES.map(([file]) => file).sort()).toEqual(files.sort());
  });

  it.each(SAMPLE_CASES)('%s: %s', async (file, code, message) => {
    const error = await failure(new Uint8Array(readFileSync(join(SAMPLES, file))));
    expect(error.code).toBe(code);
    expect(error.message).toMatch(message);
  });

  it.each(SAMPLE_CASES.filter(([file]) => file.startsWith('damaged/')))('%s: the header is still readable', (file) => {
    const metadata = readDngMetadata(new Uint8Array(readFileSync(join(SAMPLES, file))));
    expect(metadata.width).toBeGreaterThan(0);
  });
});

describe('files that are not DNG', () => {
  it('an empty file', async () => {
    const error = await failure(new Uint8Array(0));
    expect(error.code).toBe('not-dng');
    expect(error.message).toMatch(/empty/);
  });

  it('random bytes', async () => {
    let state = 12345;
    const bytes = Uint8Array.from({ length: 4096 }, () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0) >>> 24);
    expect((await failure(bytes)).code).toBe('not-dng');
  });

  it.skipIf(!existsSync(join(DATA, 'clean/kodak/0000.jpg')))('a JPEG renamed to .dng', async () => {
    const error = await failure(new Uint8Array(readFileSync(join(DATA, 'clean/kodak/0000.jpg'))));
    expect(error.code).toBe('not-dng');
    expect(error.message).toMatch(/This is a JPEG image, not a raw photo/);
  });

  it.skipIf(!existsSync(join(DATA, 'sid-dev/00004_14.ref.png')))('a PNG', async () => {
    const error = await failure(new Uint8Array(readFileSync(join(DATA, 'sid-dev/00004_14.ref.png'))));
    expect(error.code).toBe('not-dng');
    expect(error.message).toMatch(/PNG image/);
  });
});

/** A small valid CFA DNG (little-endian, IFD0 is the raw image) to damage by hand. */
function smallDng(make = 'Test'): Uint8Array {
  const stored: StoredRaster = { width: 16, height: 8, samplesPerPixel: 1, data: Uint16Array.from({ length: 128 }, (_, i) => i * 100) };
  return writeDng(
    { stored, metadata: { bitsPerSample: 14, whiteLevel: [16383], cfaPattern: [0, 1, 1, 2], make } },
    { byteOrder: 'II', layout: { kind: 'strips', rowsPerStrip: 4 } },
  );
}

/** Byte offset of IFD0's entry for `tag` in a little-endian TIFF. */
function entryOffset(bytes: Uint8Array, tag: number): number {
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  const ifd = view.getUint32(4, true);
  for (let i = 0; i < view.getUint16(ifd, true); i++) {
    if (view.getUint16(ifd + 2 + i * 12, true) === tag) return ifd + 2 + i * 12;
  }
  throw new Error(`tag ${tag} not written`);
}

function patched(edit: (view: DataView, bytes: Uint8Array) => void, bytes = smallDng()): Uint8Array {
  const copy = bytes.slice();
  edit(new DataView(copy.buffer), copy);
  return copy;
}

const DNG_VERSION = 50706;
const COMPRESSION = 259;
const CFA_REPEAT_PATTERN_DIM = 33421;

describe('hand-damaged DNGs', () => {
  it('decodes the undamaged file', async () => {
    expect((await decodeDng(smallDng())).stored.data[127]).toBe(12700);
  });

  it('a TIFF without DNGVersion is not a DNG, or a named camera raw by its Make', async () => {
    const renameTag = (view: DataView, bytes: Uint8Array) => view.setUint16(entryOffset(bytes, DNG_VERSION), 50000, true);
    const plain = await failure(patched(renameTag));
    expect(plain.code).toBe('not-dng');
    expect(plain.message).toMatch(/TIFF file but not a DNG/);
    const nikon = await failure(patched(renameTag, smallDng('NIKON CORPORATION')));
    expect(nikon.code).toBe('unsupported');
    expect(nikon.message).toMatch(/Nikon NEF raw files are not supported/);
  });

  it('an IFD chain that loops', async () => {
    const bytes = patched((view) => {
      const ifd = view.getUint32(4, true);
      view.setUint32(ifd + 2 + view.getUint16(ifd, true) * 12, ifd, true);
    });
    const error = await failure(bytes);
    expect(error.code).toBe('corrupt');
    expect(error.message).toMatch(/loop/);
  });

  it('an absurd IFD entry count', async () => {
    const bytes = patched((view) => view.setUint16(view.getUint32(4, true), 60000, true));
    expect((await failure(bytes)).code).toBe('corrupt');
  });

  it('an IFD offset past the end of the file', async () => {
    const bytes = patched((view) => view.setUint32(4, 0x7fffff00, true));
    expect((await failure(bytes)).code).toBe('truncated');
  });

  it('image data cut off', async () => {
    const whole = smallDng();
    const error = await failure(whole.subarray(0, whole.length - 10));
    expect(error.code).toBe('truncated');
    expect(error.message).toMatch(/^The file is truncated: image data ends at byte \d+ of \d+ expected/);
  });

  it('a 6x6 (X-Trans) colour filter', async () => {
    const bytes = patched((view, b) => {
      const at = entryOffset(b, CFA_REPEAT_PATTERN_DIM) + 8;
      view.setUint16(at, 6, true);
      view.setUint16(at + 2, 6, true);
    });
    const error = await failure(bytes);
    expect(error.code).toBe('unsupported');
    expect(error.message).toMatch(/X-Trans \(6x6\)/);
  });

  it.each([
    [34892, /lossy JPEG/],
    [8, /Deflate compression/],
    [52546, /JPEG XL/],
    [5, /compression type 5/],
  ])('compression %i on a CFA image', async (compression, message) => {
    const bytes = patched((view, b) => view.setUint16(entryOffset(b, COMPRESSION) + 8, compression, true));
    const error = await failure(bytes);
    expect(error.code).toBe('unsupported');
    expect(error.message).toMatch(message);
  });

  it('an image larger than maxPixels, before allocating it', async () => {
    const error = await failure(smallDng(), { maxPixels: 100 });
    expect(error.code).toBe('too-large');
    expect(error.message).toMatch(/16x8/);
  });
});
