/**
 * readDngMetadata against exiftool for every decodable sample, the sid-dev DNGs, the GoPro
 * DNG (readable, though its VC-5 pixels are not) and, for the tags exiftool can still read,
 * the damaged files.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readDngMetadata } from './metadata';
import type { DngMetadata } from './types';

const DATA = '../shared/data';
const haveExiftool = spawnSync('sh', ['-c', 'command -v exiftool']).status === 0;
const runnable = existsSync(DATA) && haveExiftool;
if (!runnable) console.warn(`metadata-exiftool.test: skipped (needs ${DATA} and exiftool)`);

const dngsIn = (dir: string) =>
  runnable ? readdirSync(join(DATA, dir)).filter((f) => /\.(dng|gpr)$/.test(f)).map((f) => join(DATA, dir, f)) : [];
const complete = [...dngsIn('dng-samples/decodable'), ...dngsIn('sid-dev'), join(DATA, 'dng-samples/unsupported/gopro-hero6-vc5.gpr')];
const damaged = dngsIn('dng-samples/damaged');

const TAGS = [
  'Make', 'Model', 'UniqueCameraModel', 'SubfileType', 'ImageWidth', 'ImageHeight', 'BitsPerSample', 'Compression',
  'PhotometricInterpretation', 'SamplesPerPixel', 'CFAPattern2', 'CFAPlaneColor', 'ActiveArea', 'DefaultCropOrigin',
  'DefaultCropSize', 'BlackLevel', 'BlackLevelRepeatDim', 'BlackLevelDeltaH', 'BlackLevelDeltaV', 'WhiteLevel',
  'LinearizationTable', 'Orientation', 'AsShotNeutral', 'AsShotWhiteXY', 'ColorMatrix1', 'ColorMatrix2',
  'CalibrationIlluminant1', 'CalibrationIlluminant2', 'ForwardMatrix1', 'ForwardMatrix2', 'CameraCalibration1',
  'CameraCalibration2', 'AnalogBalance', 'BaselineExposure', 'NoiseProfile', 'ISO', 'ExposureTime', 'FNumber',
];

type ExifJson = Record<string, string | number>;

/** exiftool -j -G1 output per file: numeric (-n) tags plus opcode names (print conversion). */
function exiftool(files: string[]): Map<string, ExifJson> {
  const run = (args: string[]) =>
    JSON.parse(execFileSync('exiftool', ['-j', '-G1', '-a', ...args, ...files], { encoding: 'utf8', maxBuffer: 1 << 26, stdio: ['ignore', 'pipe', 'ignore'] })) as ExifJson[];
  // -b makes exiftool print long arrays (LinearizationTable) instead of "(Binary data ...)".
  const numeric = run(['-n', '-b', ...TAGS.map((t) => `-${t}`)]);
  const opcodes = run(['-OpcodeList1', '-OpcodeList2', '-OpcodeList3']);
  return new Map(numeric.map((tags, i) => [String(tags.SourceFile), { ...tags, ...opcodes[i] }]));
}

const numbers = (v: string | number | undefined): number[] | undefined =>
  v === undefined || v === 'undef' ? undefined : String(v).trim().split(/\s+/).map(Number);
const first = (v: string | number | undefined) => numbers(v)?.[0];

/**
 * What DngMetadata should hold according to exiftool: the raw image is the IFD exiftool
 * reports as full-resolution (SubfileType 0) CFA or LinearRaw, largest first; camera tags
 * come from IFD0 first, EXIF tags from the EXIF IFD first. Absent tags take DNG defaults, or
 * leave the field undefined when `withDefaults` is false (exiftool gave up on a damaged IFD).
 */
function expectedMetadata(tags: ExifJson, withDefaults: boolean): Partial<DngMetadata> {
  const groups = [...new Set(Object.keys(tags).filter((k) => k.includes(':')).map((k) => k.split(':')[0]))];
  const get = (group: string, name: string) => tags[`${group}:${name}`];
  const area = (g: string) => (Number(get(g, 'ImageWidth')) || 0) * (Number(get(g, 'ImageHeight')) || 0);
  const raw = groups
    .filter((g) => (first(get(g, 'SubfileType')) ?? 0) === 0 && [32803, 34892].includes(Number(get(g, 'PhotometricInterpretation'))))
    .sort((a, b) => area(b) - area(a))[0];
  const rawTag = (name: string) => get(raw, name);
  const camera = (name: string) => get('IFD0', name) ?? get(raw, name);
  const exif = (name: string) => get('ExifIFD', name) ?? get('IFD0', name) ?? get(raw, name);
  const text = (v: string | number | undefined) => (v === undefined ? undefined : String(v));
  const has = (...names: string[]) => withDefaults || names.some((n) => rawTag(n) !== undefined);

  const width = Number(rawTag('ImageWidth'));
  const height = Number(rawTag('ImageHeight'));
  const bitsPerSample = first(rawTag('BitsPerSample'));
  const samplesPerPixel = first(rawTag('SamplesPerPixel')) ?? 1;
  const photometric = Number(rawTag('PhotometricInterpretation')) === 32803 ? 'cfa' : 'linear';
  const [top, left, bottom, right] = numbers(rawTag('ActiveArea')) ?? [0, 0, height, width];
  const activeArea = { x: left, y: top, width: right - left, height: bottom - top };
  const [cropX, cropY] = numbers(rawTag('DefaultCropOrigin')) ?? [0, 0];
  const [cropW, cropH] = numbers(rawTag('DefaultCropSize')) ?? [activeArea.width, activeArea.height];
  const [repeatRows, repeatCols] = numbers(rawTag('BlackLevelRepeatDim')) ?? [1, 1];
  const black = numbers(rawTag('BlackLevel')) ?? [0];
  const blackCount = repeatRows * repeatCols * samplesPerPixel;
  const white = numbers(rawTag('WhiteLevel')) ?? (bitsPerSample ? [2 ** bitsPerSample - 1] : undefined);
  const planeColor = numbers(rawTag('CFAPlaneColor')) ?? [0, 1, 2];
  const opcodeNames = (list: number) => String(rawTag(`OpcodeList${list}`) ?? '').split(', ').filter(Boolean);
  return {
    make: text(camera('Make')),
    model: text(camera('Model')),
    uniqueCameraModel: text(camera('UniqueCameraModel')),
    width,
    height,
    bitsPerSample,
    compression: first(rawTag('Compression')),
    photometric,
    samplesPerPixel,
    cfaPattern: photometric === 'cfa' ? (numbers(rawTag('CFAPattern2'))?.map((p) => planeColor[p]) as DngMetadata['cfaPattern']) : undefined,
    activeArea: has('ActiveArea') ? activeArea : undefined,
    defaultCrop: has('DefaultCropOrigin', 'DefaultCropSize')
      ? { x: Math.round(cropX), y: Math.round(cropY), width: Math.round(cropW), height: Math.round(cropH) }
      : undefined,
    blackLevel: has('BlackLevel')
      ? { repeatRows, repeatCols, values: black.length === 1 ? new Array<number>(blackCount).fill(black[0]) : black }
      : undefined,
    blackLevelDeltaH: numbers(rawTag('BlackLevelDeltaH')),
    blackLevelDeltaV: numbers(rawTag('BlackLevelDeltaV')),
    whiteLevel: !has('WhiteLevel') ? undefined : white?.length === 1 ? new Array<number>(samplesPerPixel).fill(white[0]) : white,
    linearizationTable: numbers(rawTag('LinearizationTable')),
    orientation: first(camera('Orientation')) ?? (withDefaults ? 1 : undefined),
    asShotNeutral: numbers(camera('AsShotNeutral')) as DngMetadata['asShotNeutral'],
    asShotWhiteXY: numbers(camera('AsShotWhiteXY')) as DngMetadata['asShotWhiteXY'],
    colorMatrix1: numbers(camera('ColorMatrix1')) as DngMetadata['colorMatrix1'],
    colorMatrix2: numbers(camera('ColorMatrix2')) as DngMetadata['colorMatrix2'],
    calibrationIlluminant1: first(camera('CalibrationIlluminant1')),
    calibrationIlluminant2: first(camera('CalibrationIlluminant2')),
    forwardMatrix1: numbers(camera('ForwardMatrix1')) as DngMetadata['forwardMatrix1'],
    forwardMatrix2: numbers(camera('ForwardMatrix2')) as DngMetadata['forwardMatrix2'],
    cameraCalibration1: numbers(camera('CameraCalibration1')) as DngMetadata['cameraCalibration1'],
    cameraCalibration2: numbers(camera('CameraCalibration2')) as DngMetadata['cameraCalibration2'],
    analogBalance: numbers(camera('AnalogBalance')) as DngMetadata['analogBalance'],
    baselineExposure: first(camera('BaselineExposure')),
    noiseProfile: numbers(rawTag('NoiseProfile') ?? get('IFD0', 'NoiseProfile')),
    iso: first(exif('ISO')),
    exposureTime: first(exif('ExposureTime')),
    fNumber: first(exif('FNumber')),
    opcodes: [1, 2, 3].flatMap((list) => opcodeNames(list).map((name) => ({ list, name }))) as DngMetadata['opcodes'],
  };
}

/** exiftool prints 10 significant digits for rationals and floats. */
function closeTo(actual: unknown, expected: unknown): boolean {
  if (typeof expected === 'number' && typeof actual === 'number') {
    return Math.abs(actual - expected) <= 1e-9 * Math.max(1e-6, Math.abs(expected));
  }
  if (Array.isArray(expected) && Array.isArray(actual)) {
    return actual.length === expected.length && expected.every((e, i) => closeTo(actual[i], e));
  }
  if (expected && typeof expected === 'object' && actual && typeof actual === 'object') {
    return Object.entries(expected).every(([k, e]) => closeTo((actual as Record<string, unknown>)[k], e));
  }
  return actual === expected;
}

const brief = (v: unknown) => JSON.stringify(v)?.slice(0, 200);

/** Fields of ours that differ from exiftool's (only those exiftool has, unless `all`). */
function mismatches(ours: DngMetadata, expected: Partial<DngMetadata>, all: boolean): string[] {
  const oursComparable = { ...ours, opcodes: ours.opcodes.map(({ list, name }) => ({ list, name })) };
  return Object.entries(expected)
    .filter(([key, value]) => (all || value !== undefined) && !closeTo(oursComparable[key as keyof DngMetadata], value))
    .map(([key, value]) => `${key}: ours ${brief(oursComparable[key as keyof DngMetadata])} exiftool ${brief(value)}`);
}

describe.skipIf(!runnable)('readDngMetadata against exiftool', () => {
  const reference = runnable ? exiftool([...complete, ...damaged]) : new Map<string, ExifJson>();

  it.each(complete)('%s: every field equals exiftool', (file) => {
    const ours = readDngMetadata(new Uint8Array(readFileSync(file)));
    expect(mismatches(ours, expectedMetadata(reference.get(file)!, true), true)).toEqual([]);
    expect(JSON.parse(JSON.stringify(ours))).toEqual(ours);
  });

  it.each(damaged)('%s (damaged): the header that survives reads as exiftool reads it', (file) => {
    const ours = readDngMetadata(new Uint8Array(readFileSync(file)));
    expect(mismatches(ours, expectedMetadata(reference.get(file)!, false), false)).toEqual([]);
  });
});
