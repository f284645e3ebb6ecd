import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { TapetumError } from '../errors.ts';
import { decodeDng } from './index.ts';
import type { CfaColor, StoredRaster } from './types.ts';
import { toRational, writeDng, type DngWriteInput, type DngWriteMetadata, type DngWriteOptions } from './writer.ts';

const hasTool = (name: string) => spawnSync('sh', ['-c', `command -v ${name}`]).status === 0;
const haveLibRaw = hasTool('unprocessed_raw') && hasTool('dcraw_emu') && hasTool('raw-identify');
const haveExiftool = hasTool('exiftool');
// LibRaw 0.20 reads uncompressed tiles wrongly, so tiled files are re-stripped by libtiff first.
const haveTiffcp = hasTool('tiffcp');
if (!haveLibRaw) console.warn('writer.test: LibRaw tools (libraw-bin) missing, skipping LibRaw read-back');
if (!haveExiftool) console.warn('writer.test: exiftool missing, skipping tag read-back');
if (!haveTiffcp) console.warn('writer.test: tiffcp (libtiff-tools) missing, skipping uncompressed-tile read-back');

const dir = mkdtempSync(join(tmpdir(), 'tapetum-dng-writer-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
let fileCount = 0;
function saveDng(bytes: Uint8Array): string {
  const path = join(dir, `f${fileCount++}.dng`);
  writeFileSync(path, bytes);
  return path;
}

/** Deterministic pseudo-random samples below 2^bits. */
function randomRaster(width: number, height: number, samplesPerPixel: number, bits: number, seed: number): StoredRaster {
  const data = new Uint16Array(width * height * samplesPerPixel);
  let state = seed >>> 0;
  for (let i = 0; i < data.length; i++) {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0;
    data[i] = state >>> (32 - bits);
  }
  return { width, height, samplesPerPixel, data };
}

/** Reads a binary PGM/PPM (16-bit big-endian samples), as LibRaw writes them. */
function readPnm(bytes: Buffer): { width: number; height: number; data: Uint16Array } {
  const header = bytes.subarray(0, 64).toString('latin1').match(/^P[56]\s+(\d+)\s+(\d+)\s+(\d+)\s/);
  if (!header) throw new Error('LibRaw wrote no PNM');
  const width = Number(header[1]);
  const height = Number(header[2]);
  const start = header[0].length;
  const view = new DataView(bytes.buffer, bytes.byteOffset + start);
  const data = new Uint16Array((bytes.length - start) / 2);
  for (let i = 0; i < data.length; i++) data[i] = view.getUint16(i * 2, false);
  return { width, height, data };
}

/** The whole stored mosaic as LibRaw unpacks it (no black subtraction, no crop). */
function libRawMosaic(path: string): { width: number; height: number; data: Uint16Array } {
  execFileSync('unprocessed_raw', ['-q', path]);
  return readPnm(readFileSync(`${path}.pgm`));
}

/** LinearRaw samples as LibRaw reads them, with every scaling step neutralized. */
function libRawLinear(path: string): { width: number; height: number; data: Uint16Array } {
  return readPnm(execFileSync('dcraw_emu', ['-4', '-o', '0', '-r', '1', '1', '1', '1', '-k', '0', '-S', '65535', '-j', '-Z', '-', path]));
}

function libRawPattern(path: string): string {
  const text = execFileSync('raw-identify', ['-v', path]).toString();
  return /Filter pattern: (\w{4})/.exec(text)?.[1] ?? '';
}

/** Rewrites a tiled file as strips with libtiff, then restores the tags LibRaw needs to see a DNG. */
function restripWithLibtiff(path: string): string {
  const out = `${path}.strips.dng`;
  execFileSync('tiffcp', ['-s', '-r', '1000000', path, out]);
  // stderr muted: exiftool notes that libtiff pads each row of packed samples, which is legal.
  execFileSync('exiftool', ['-q', '-overwrite_original', '-tagsfromfile', path, '-DNGVersion', '-UniqueCameraModel', out], { stdio: ['ignore', 'pipe', 'ignore'] });
  return out;
}

const PATTERNS: Record<string, [CfaColor, CfaColor, CfaColor, CfaColor]> = {
  RGGB: [0, 1, 1, 2],
  GRBG: [1, 0, 2, 1],
  GBRG: [1, 2, 0, 1],
  BGGR: [2, 1, 1, 0],
};

function cfaInput(stored: StoredRaster, bits: number, pattern: [CfaColor, CfaColor, CfaColor, CfaColor]): DngWriteInput {
  return { stored, metadata: { whiteLevel: [2 ** bits - 1], bitsPerSample: bits, cfaPattern: pattern, make: 'Test', model: 'Mosaic' } };
}

describe.skipIf(!haveLibRaw)('writeDng: LibRaw reads back the exact CFA values', () => {
  const orders = ['II', 'MM'] as const;
  for (const [name, pattern] of Object.entries(PATTERNS)) {
    for (const byteOrder of orders) {
      for (const bits of [16, 14, 12]) {
        it(`${name} ${byteOrder} ${bits}-bit strips`, () => {
          const stored = randomRaster(37, 29, 1, bits, bits * 31 + name.charCodeAt(0));
          const path = saveDng(writeDng(cfaInput(stored, bits, pattern), { byteOrder, layout: { kind: 'strips', rowsPerStrip: 5 } }));
          const back = libRawMosaic(path);
          expect([back.width, back.height]).toEqual([37, 29]);
          expect(back.data).toEqual(stored.data);
          expect(libRawPattern(path)).toBe(name);
        });
      }
    }
  }

  it('finds the raw image in a SubIFD behind a preview, with its ActiveArea', () => {
    const stored = randomRaster(40, 30, 1, 14, 7);
    const input = cfaInput(stored, 14, PATTERNS.BGGR!);
    input.metadata.activeArea = { x: 4, y: 2, width: 34, height: 26 };
    input.preview = { width: 8, height: 6, data: new Uint8Array(8 * 6 * 3).fill(90) };
    const path = saveDng(writeDng(input, { byteOrder: 'MM' }));
    const log = execFileSync('unprocessed_raw', [path]).toString();
    expect(log).toContain('Image size: 34x26');
    expect(log).toContain('Margins: top=2, left=4');
    expect(readPnm(readFileSync(`${path}.pgm`)).data).toEqual(stored.data);
    // The pattern is given at the active area's origin: (4,2) is an even offset, so it stays.
    expect(libRawPattern(path)).toBe('BGGR');
  });

  for (const byteOrder of orders) {
    it(`LinearRaw 16-bit ${byteOrder}`, () => {
      const stored = randomRaster(31, 23, 3, 16, 99); // LibRaw refuses images under 22 pixels
      const path = saveDng(writeDng({ stored, metadata: { whiteLevel: [65535] } }, { byteOrder, layout: { kind: 'strips', rowsPerStrip: 4 } }));
      const back = libRawLinear(path);
      expect([back.width, back.height]).toEqual([31, 23]);
      expect(back.data).toEqual(stored.data);
    });
  }
});

describe.skipIf(!haveLibRaw || !haveExiftool || !haveTiffcp)('writeDng: uncompressed tiles, re-stripped by libtiff, read by LibRaw', () => {
  for (const byteOrder of ['II', 'MM'] as const) {
    for (const bits of [16, 14]) {
      it(`${byteOrder} ${bits}-bit 16x32 tiles with partial edge tiles`, () => {
        const stored = randomRaster(37, 45, 1, bits, bits + byteOrder.length);
        const options: DngWriteOptions = { byteOrder, layout: { kind: 'tiles', tileWidth: 16, tileHeight: 32 } };
        const path = saveDng(writeDng(cfaInput(stored, bits, PATTERNS.GBRG!), options));
        expect(libRawMosaic(restripWithLibtiff(path)).data).toEqual(stored.data);
      });
    }
  }
});

describe.skipIf(!haveLibRaw)('writeDng: LibRaw reads back lossless-JPEG files', () => {
  for (const [name, pattern] of Object.entries(PATTERNS)) {
    for (const byteOrder of ['II', 'MM'] as const) {
      it(`${name} ${byteOrder} 14-bit, 16x32 tiles with partial edge tiles`, () => {
        const stored = randomRaster(37, 45, 1, 14, name.charCodeAt(1) + byteOrder.charCodeAt(0));
        const path = saveDng(writeDng(cfaInput(stored, 14, pattern), { byteOrder, compression: 7, layout: { kind: 'tiles', tileWidth: 16, tileHeight: 32 } }));
        expect(libRawMosaic(path).data).toEqual(stored.data);
        expect(libRawPattern(path)).toBe(name);
      });
    }
  }
  it('16-bit CFA in one strip', () => {
    const stored = randomRaster(40, 30, 1, 16, 11);
    expect(libRawMosaic(saveDng(writeDng(cfaInput(stored, 16, PATTERNS.RGGB!), { compression: 7 }))).data).toEqual(stored.data);
  });
  it('LinearRaw 16-bit in tiles', () => {
    const stored = randomRaster(40, 35, 3, 16, 12);
    const path = saveDng(writeDng({ stored, metadata: { whiteLevel: [65535] } }, { compression: 7, layout: { kind: 'tiles', tileWidth: 32, tileHeight: 16 } }));
    expect(libRawLinear(path).data).toEqual(stored.data);
  });
});

/** A metadata set that uses every tag the writer knows, with values that are not round. */
const FULL_METADATA: DngWriteMetadata = {
  make: 'Canon',
  model: 'EOS 550D',
  uniqueCameraModel: 'Canon EOS 550D',
  bitsPerSample: 12,
  cfaPattern: [2, 1, 1, 0],
  whiteLevel: [4000],
  blackLevel: { repeatRows: 2, repeatCols: 2, values: [256, 256.5, 257, 258.25] },
  blackLevelDeltaH: Array.from({ length: 36 }, (_, i) => i * 0.25 - 1),
  blackLevelDeltaV: Array.from({ length: 26 }, (_, i) => -i * 0.5),
  activeArea: { x: 2, y: 2, width: 36, height: 26 },
  defaultCrop: { x: 1, y: 3, width: 34, height: 21 },
  orientation: 6,
  linearizationTable: Array.from({ length: 64 }, (_, i) => i * i),
  asShotNeutral: [0.47209, 1, 0.41922],
  colorMatrix1: [0.6461, -0.0907, -0.0882, -0.4300, 1.2184, 0.2378, -0.0819, 0.1944, 0.5931],
  colorMatrix2: [0.5838, -0.143, -0.0246, -0.3497, 1.1477, 0.2297, -0.0748, 0.1885, 0.5778],
  calibrationIlluminant1: 17,
  calibrationIlluminant2: 21,
  forwardMatrix1: [0.7, 0.2, 0.0643, 0.3, 0.9, -0.2, 0.0133, -0.1, 0.9112],
  forwardMatrix2: [0.71, 0.19, 0.0643, 0.29, 0.91, -0.2, 0.0133, -0.11, 0.9112],
  cameraCalibration1: [1.0123, 0, 0, 0, 1, 0, 0, 0, 0.9871],
  cameraCalibration2: [1, 0, 0, 0, 1.002, 0, 0, 0, 1],
  analogBalance: [1, 1, 1.0625],
  baselineExposure: -0.35,
  noiseProfile: [2.1e-5, 3.4e-7, 2.3e-5, 3.1e-7, 2.0e-5, 3.9e-7],
  iso: 12800,
  exposureTime: 1 / 30,
  fNumber: 2.8,
};

/** An opcode list holding one TrimBounds opcode, laid out as the DNG spec says (big-endian). */
function trimBoundsOpcodeList(): Uint8Array {
  const bytes = new Uint8Array(4 + 16 + 16);
  const view = new DataView(bytes.buffer);
  [1, 6, 0x01030000, 0, 16, 1, 2, 25, 33].forEach((v, i) => view.setUint32(i * 4, v, false));
  return bytes;
}

/** All tags, numeric, keyed GROUP:Name; binary-looking tags must be named to get their values. */
function exiftoolJson(path: string): Record<string, unknown> {
  const read = (args: string[]) => (JSON.parse(execFileSync('exiftool', ['-j', '-n', '-G1', ...args, path]).toString()) as Record<string, unknown>[])[0]!;
  const binaryTags = ['LinearizationTable', 'BlackLevelDeltaH', 'BlackLevelDeltaV', 'OpcodeList1', 'OpcodeList2', 'OpcodeList3'];
  return { ...read([]), ...read(['-b', ...binaryTags.map((t) => `-${t}`)]) };
}

/** Numbers from an exiftool value (a number or a space-separated list) or from an array. */
function numbers(value: unknown): number[] {
  if (Array.isArray(value)) return value.map(Number);
  return String(value).trim().split(/\s+/).map(Number);
}

function expectClose(actual: unknown, expected: ArrayLike<number> | number) {
  const want = typeof expected === 'number' ? [expected] : Array.from(expected);
  const got = numbers(actual);
  expect(got).toHaveLength(want.length);
  got.forEach((g, i) => expect(g).toBeCloseTo(want[i]!, 8));
}

describe.skipIf(!haveExiftool)('writeDng: exiftool reads back every tag', () => {
  for (const byteOrder of ['II', 'MM'] as const) {
    for (const withPreview of [false, true]) {
      it(`${byteOrder}, ${withPreview ? 'raw in a SubIFD behind a preview' : 'raw in IFD0'}`, () => {
        const opcodes = trimBoundsOpcodeList();
        const input: DngWriteInput = {
          stored: randomRaster(40, 30, 1, 12, 3),
          metadata: FULL_METADATA,
          opcodeList1: opcodes,
          opcodeList2: opcodes,
          opcodeList3: opcodes,
          ...(withPreview ? { preview: { width: 6, height: 4, data: new Uint8Array(72).fill(200) } } : {}),
        };
        const tags = exiftoolJson(saveDng(writeDng(input, { byteOrder })));
        expect(tags['ExifTool:Warning']).toBeUndefined();
        expect(tags['File:ExifByteOrder']).toBe(byteOrder);
        const main = 'IFD0';
        const raw = withPreview ? 'SubIFD' : 'IFD0';
        const m = FULL_METADATA;
        expect(tags[`${main}:DNGVersion`]).toBe('1 4 0 0');
        expect(tags[`${main}:DNGBackwardVersion`]).toBe('1 3 0 0');
        expect(tags[`${main}:Make`]).toBe(m.make);
        expect(tags[`${main}:Model`]).toBe(m.model);
        expect(tags[`${main}:UniqueCameraModel`]).toBe(m.uniqueCameraModel);
        expect(tags[`${main}:Orientation`]).toBe(6);
        expectClose(tags[`${main}:ColorMatrix1`], m.colorMatrix1!);
        expectClose(tags[`${main}:ColorMatrix2`], m.colorMatrix2!);
        expectClose(tags[`${main}:ForwardMatrix1`], m.forwardMatrix1!);
        expectClose(tags[`${main}:ForwardMatrix2`], m.forwardMatrix2!);
        expectClose(tags[`${main}:CameraCalibration1`], m.cameraCalibration1!);
        expectClose(tags[`${main}:CameraCalibration2`], m.cameraCalibration2!);
        expectClose(tags[`${main}:AnalogBalance`], m.analogBalance!);
        expectClose(tags[`${main}:AsShotNeutral`], m.asShotNeutral!);
        expectClose(tags[`${main}:BaselineExposure`], m.baselineExposure!);
        expect(tags[`${main}:CalibrationIlluminant1`]).toBe(17);
        expect(tags[`${main}:CalibrationIlluminant2`]).toBe(21);
        expect(tags[`${raw}:SubfileType`]).toBe(0);
        if (withPreview) expect(tags['IFD0:SubfileType']).toBe(1);
        expect(tags[`${raw}:ImageWidth`]).toBe(40);
        expect(tags[`${raw}:ImageHeight`]).toBe(30);
        expect(tags[`${raw}:BitsPerSample`]).toBe(12);
        expect(tags[`${raw}:Compression`]).toBe(1);
        expect(tags[`${raw}:PhotometricInterpretation`]).toBe(32803);
        expect(tags[`${raw}:CFARepeatPatternDim`]).toBe('2 2');
        expect(tags[`${raw}:CFAPattern2`]).toBe('2 1 1 0');
        expectClose(tags[`${raw}:LinearizationTable`], m.linearizationTable!);
        expect(tags[`${raw}:BlackLevelRepeatDim`]).toBe('2 2');
        expectClose(tags[`${raw}:BlackLevel`], m.blackLevel!.values);
        expectClose(tags[`${raw}:BlackLevelDeltaH`], m.blackLevelDeltaH!);
        expectClose(tags[`${raw}:BlackLevelDeltaV`], m.blackLevelDeltaV!);
        expect(tags[`${raw}:WhiteLevel`]).toBe(4000);
        expect(tags[`${raw}:ActiveArea`]).toBe('2 2 28 38');
        expect(tags[`${raw}:DefaultCropOrigin`]).toBe('1 3');
        expect(tags[`${raw}:DefaultCropSize`]).toBe('34 21');
        expectClose(tags[`${raw}:NoiseProfile`], m.noiseProfile!);
        const opcodeBase64 = `base64:${Buffer.from(opcodes).toString('base64')}`;
        expect(tags[`${raw}:OpcodeList1`]).toBe(opcodeBase64);
        expect(tags[`${raw}:OpcodeList2`]).toBe(opcodeBase64);
        expect(tags[`${raw}:OpcodeList3`]).toBe(opcodeBase64);
        expect(tags['ExifIFD:ISO']).toBe(12800);
        expectClose(tags['ExifIFD:ExposureTime'], 1 / 30);
        expectClose(tags['ExifIFD:FNumber'], 2.8);
      });
    }
  }

  it('writes AsShotWhiteXY and LinearRaw structure', () => {
    const metadata: DngWriteMetadata = { whiteLevel: [60000, 61000, 62000], asShotWhiteXY: [0.3457, 0.3585], bitsPerSample: 16 };
    const tags = exiftoolJson(saveDng(writeDng({ stored: randomRaster(20, 10, 3, 15, 1), metadata }, { layout: { kind: 'tiles', tileWidth: 16, tileHeight: 16 } })));
    expect(tags['IFD0:PhotometricInterpretation']).toBe(34892);
    expect(tags['IFD0:SamplesPerPixel']).toBe(3);
    expect(tags['IFD0:BitsPerSample']).toBe('16 16 16');
    expect(tags['IFD0:WhiteLevel']).toBe('60000 61000 62000');
    expect(tags['IFD0:TileWidth']).toBe(16);
    expect(numbers(tags['IFD0:TileOffsets'])).toHaveLength(2);
    expectClose(tags['IFD0:AsShotWhiteXY'], [0.3457, 0.3585]);
    expect(tags['IFD0:DNGBackwardVersion']).toBe('1 1 0 0');
  });
});

describe('writeDng input checks', () => {
  const stored = randomRaster(8, 8, 1, 12, 5);
  const expectInternalError = (fn: () => unknown, message: RegExp) => {
    expect(fn).toThrowError(TapetumError);
    expect(fn).toThrowError(message);
  };
  it('rejects samples that do not fit the bit depth', () => {
    expectInternalError(() => writeDng(cfaInput(stored, 10, PATTERNS.RGGB!)), /does not fit in 10 bits/);
  });
  it('rejects a CFA image without a pattern', () => {
    expectInternalError(() => writeDng({ stored, metadata: { whiteLevel: [4095] } }), /cfaPattern/);
  });
  it('rejects tiles that are not multiples of 16', () => {
    expectInternalError(() => writeDng(cfaInput(stored, 12, PATTERNS.RGGB!), { layout: { kind: 'tiles', tileWidth: 8, tileHeight: 16 } }), /multiples of 16/);
  });
  it('rejects a black level pattern of the wrong length', () => {
    const input = cfaInput(stored, 12, PATTERNS.RGGB!);
    input.metadata.blackLevel = { repeatRows: 2, repeatCols: 2, values: [1, 2] };
    expectInternalError(() => writeDng(input), /blackLevel/);
  });
});

describe('toRational', () => {
  it('represents decimal values exactly with a power-of-ten denominator', () => {
    expect(toRational(0.5838, true)).toEqual([5838, 10000]);
    expect(toRational(-0.0246, true)).toEqual([-246, 10000]);
    expect(toRational(512, false)).toEqual([512, 1]);
  });
  it('approximates other values to better than 1e-9', () => {
    const [num, den] = toRational(1 / 3, false);
    expect(Math.abs(num / den - 1 / 3)).toBeLessThan(1e-9);
  });
  it('refuses negative unsigned values', () => {
    expect(() => toRational(-1, false)).toThrowError(TapetumError);
  });
});

describe('writeDng -> decodeDng round trip', () => {
  const layouts: [string, DngWriteOptions['layout']][] = [
    ['one strip', { kind: 'strips' }],
    ['strips of 7 rows', { kind: 'strips', rowsPerStrip: 7 }],
    ['16x16 tiles', { kind: 'tiles', tileWidth: 16, tileHeight: 16 }],
  ];
  for (const [layoutName, layout] of layouts) {
    for (const compression of [1, 7] as const) {
      for (const byteOrder of ['II', 'MM'] as const) {
        for (const bits of [16, 14, 12, 8]) {
          it(`CFA ${bits}-bit, ${layoutName}, compression ${compression}, ${byteOrder}`, async () => {
            const stored = randomRaster(35, 21, 1, bits, bits * 7 + compression);
            const input = cfaInput(stored, bits, PATTERNS.GBRG!);
            const decoded = await decodeDng(writeDng(input, { byteOrder, layout, compression }));
            expect(decoded.stored).toEqual(stored);
            expect(decoded.metadata.bitsPerSample).toBe(bits);
            expect(decoded.metadata.compression).toBe(compression);
            expect(decoded.metadata.cfaPattern).toEqual(PATTERNS.GBRG);
          });
        }
      }
    }
    it(`LinearRaw, ${layoutName}, both compressions`, async () => {
      const stored = randomRaster(35, 21, 3, 16, 77);
      for (const compression of [1, 7] as const) {
        const decoded = await decodeDng(writeDng({ stored, metadata: { whiteLevel: [65535] } }, { layout, compression, byteOrder: 'MM' }));
        expect(decoded.stored).toEqual(stored);
        expect(decoded.metadata.photometric).toBe('linear');
      }
    });
  }

  it('keeps every metadata field, with the raw behind a preview', async () => {
    const opcodes = trimBoundsOpcodeList();
    const input: DngWriteInput = {
      stored: randomRaster(40, 30, 1, 12, 3),
      metadata: { ...FULL_METADATA, linearizationTable: Array.from({ length: 4096 }, (_, i) => Math.round(i * 1.5)) },
      opcodeList3: opcodes,
      preview: { width: 6, height: 4, data: new Uint8Array(72).fill(200) },
    };
    const { metadata: m } = await decodeDng(writeDng(input, { byteOrder: 'MM', compression: 7 }));
    const w = input.metadata;
    expect([m.width, m.height, m.samplesPerPixel, m.photometric]).toEqual([40, 30, 1, 'cfa']);
    expect([m.make, m.model, m.uniqueCameraModel, m.orientation]).toEqual([w.make, w.model, w.uniqueCameraModel, w.orientation]);
    expect(m.cfaPattern).toEqual(w.cfaPattern);
    expect(m.activeArea).toEqual(w.activeArea);
    expect(m.defaultCrop).toEqual(w.defaultCrop);
    expect(m.blackLevel).toEqual(w.blackLevel);
    expect(m.whiteLevel).toEqual(w.whiteLevel);
    expect(m.linearizationTable).toEqual(w.linearizationTable);
    expect(m.iso).toBe(w.iso);
    const numericKeys = ['blackLevelDeltaH', 'blackLevelDeltaV', 'colorMatrix1', 'colorMatrix2', 'forwardMatrix1', 'forwardMatrix2', 'cameraCalibration1', 'cameraCalibration2', 'analogBalance', 'asShotNeutral', 'noiseProfile', 'baselineExposure', 'exposureTime', 'fNumber'] as const;
    for (const key of numericKeys) expectClose(m[key], w[key]!);
    expect([m.calibrationIlluminant1, m.calibrationIlluminant2]).toEqual([17, 21]);
    expect(m.opcodes.map((o) => [o.list, o.id])).toEqual([[3, 6]]);
  });
});
