/**
 * Seeded fuzzing of the DNG decoder, shared by tests/fuzz.test.ts and scripts/fuzz.ts:
 * a tiny PRNG, small well-formed DNG fixtures (written by writeDng in several layouts, plus
 * small real samples), TIFF-aware mutations of them, and a runner that classifies each case.
 */
import { existsSync, readFileSync } from 'node:fs';
import { isTapetumError } from '../src/pipeline/errors';
import { decodeDng, readDngMetadata } from '../src/pipeline/dng/index';
import type { CfaColor, StoredRaster } from '../src/pipeline/dng/types';
import { writeDng, type DngWriteInput, type DngWriteOptions } from '../src/pipeline/dng/writer';
import { mulberry32, pick, randomInt } from './prng';

export interface Fixture {
  name: string;
  bytes: Uint8Array;
}

/** A smooth raster with noise, as a sensor would give (so lossless JPEG has work to do). */
function raster(width: number, height: number, samplesPerPixel: number, bits: number, seed: number): StoredRaster {
  const random = mulberry32(seed);
  const max = 2 ** bits - 1;
  const data = new Uint16Array(width * height * samplesPerPixel);
  for (let i = 0; i < data.length; i++) {
    const x = Math.floor(i / samplesPerPixel) % width;
    const y = Math.floor(i / samplesPerPixel / width);
    const v = max * (0.3 + 0.25 * Math.sin(x / 5) * Math.cos(y / 4)) + (random() - 0.5) * max * 0.02;
    data[i] = Math.max(0, Math.min(max, Math.round(v)));
  }
  return { width, height, samplesPerPixel, data };
}

const RGGB: [CfaColor, CfaColor, CfaColor, CfaColor] = [0, 1, 1, 2];

function cfaInput(width: number, height: number, bits: number, seed: number, extra: Partial<DngWriteInput> = {}): DngWriteInput {
  return {
    stored: raster(width, height, 1, bits, seed),
    metadata: {
      bitsPerSample: bits,
      whiteLevel: [2 ** bits - 1],
      cfaPattern: RGGB,
      blackLevel: { repeatRows: 2, repeatCols: 2, values: [64, 65, 66, 67] },
      activeArea: { x: 2, y: 2, width: width - 4, height: height - 4 },
      defaultCrop: { x: 1, y: 1, width: width - 6, height: height - 6 },
      colorMatrix1: [0.7, -0.1, -0.05, -0.4, 1.2, 0.2, -0.1, 0.2, 0.6],
      calibrationIlluminant1: 21,
      asShotNeutral: [0.5, 1, 0.7],
      make: 'Fuzz',
      model: 'CFA',
    },
    ...extra,
  };
}

function linearInput(width: number, height: number, bits: number, seed: number): DngWriteInput {
  return {
    stored: raster(width, height, 3, bits, seed),
    metadata: {
      bitsPerSample: bits,
      whiteLevel: [2 ** bits - 1],
      linearizationTable: bits === 8 ? Array.from({ length: 256 }, (_, i) => i * i) : undefined,
      colorMatrix1: [0.9, -0.2, -0.1, -0.3, 1.1, 0.1, 0, 0.1, 0.8],
      calibrationIlluminant1: 21,
      make: 'Fuzz',
      model: 'Linear',
    },
  };
}

const PREVIEW = { width: 8, height: 6, data: new Uint8Array(8 * 6 * 3).fill(128) };

/** Small DNGs in the layouts the decoder must handle. */
export function writerFixtures(): Fixture[] {
  const specs: [string, DngWriteInput, DngWriteOptions][] = [
    ['cfa16-strips-II', cfaInput(32, 24, 16, 1), { byteOrder: 'II', layout: { kind: 'strips', rowsPerStrip: 8 } }],
    ['cfa12-tiles-MM-preview', cfaInput(40, 36, 12, 2, { preview: PREVIEW }), { byteOrder: 'MM', layout: { kind: 'tiles', tileWidth: 16, tileHeight: 16 } }],
    ['cfa14-ljpeg-tiles-II', cfaInput(48, 32, 14, 3), { byteOrder: 'II', layout: { kind: 'tiles', tileWidth: 32, tileHeight: 16 }, compression: 7 }],
    ['cfa10-ljpeg-strips-MM-preview', cfaInput(36, 20, 10, 4, { preview: PREVIEW }), { byteOrder: 'MM', layout: { kind: 'strips', rowsPerStrip: 6 }, compression: 7 }],
    ['linear16-strips-MM', linearInput(20, 12, 16, 5), { byteOrder: 'MM', layout: { kind: 'strips', rowsPerStrip: 5 } }],
    ['linear8-ljpeg-tiles-II', linearInput(24, 20, 8, 6), { byteOrder: 'II', layout: { kind: 'tiles', tileWidth: 16, tileHeight: 16 }, compression: 7 }],
    ['linear16-tiles-II', linearInput(18, 17, 16, 7), { byteOrder: 'II', layout: { kind: 'tiles', tileWidth: 16, tileHeight: 16 } }],
  ];
  return specs.map(([name, input, options]) => ({ name, bytes: writeDng(input, options) }));
}

/** Small real DNGs from the shared samples, when that folder is present. */
export function realSampleFixtures(samplesDir: string, names: readonly string[]): Fixture[] {
  return names
    .map((name) => `${samplesDir}/${name}`)
    .filter((path) => existsSync(path))
    .map((path) => ({ name: path.slice(path.lastIndexOf('/') + 1), bytes: new Uint8Array(readFileSync(path)) }));
}

// ---------------------------------------------------------------------------------------
// A minimal TIFF map, independent of the decoder, so mutations can aim at its structures.

interface EntryLocation {
  /** Byte offset of the 12-byte entry. */
  at: number;
  tag: number;
  type: number;
  count: number;
}

interface IfdLocation {
  at: number;
  /** Offset of its 4-byte next-IFD pointer. */
  nextAt: number;
}

interface TiffMap {
  littleEndian: boolean;
  ifds: IfdLocation[];
  entries: EntryLocation[];
}

const TYPE_SIZE: Record<number, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4 };
const SUB_IFDS = 330;
const EXIF_IFD = 34665;

function mapTiff(bytes: Uint8Array): TiffMap | undefined {
  if (bytes.length < 8) return undefined;
  const littleEndian = bytes[0] === 0x49;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const u16 = (at: number) => view.getUint16(at, littleEndian);
  const u32 = (at: number) => view.getUint32(at, littleEndian);
  const map: TiffMap = { littleEndian, ifds: [], entries: [] };
  const pending = [u32(4)];
  const seen = new Set<number>();
  while (pending.length > 0 && map.ifds.length < 16) {
    const at = pending.shift()!;
    if (seen.has(at) || at + 2 > bytes.length) continue;
    seen.add(at);
    const count = u16(at);
    const nextAt = at + 2 + 12 * count;
    if (nextAt + 4 > bytes.length) continue;
    map.ifds.push({ at, nextAt });
    for (let k = 0; k < count; k++) {
      const entry = { at: at + 2 + 12 * k, tag: u16(at + 2 + 12 * k), type: u16(at + 4 + 12 * k), count: u32(at + 6 + 12 * k) };
      map.entries.push(entry);
      if (entry.tag === SUB_IFDS || entry.tag === EXIF_IFD) {
        const values = entry.count * 4 <= 4 ? [u32(entry.at + 8)] : readLongs(view, u32(entry.at + 8), Math.min(entry.count, 8), littleEndian);
        pending.push(...values);
      }
    }
    if (u32(nextAt) !== 0) pending.push(u32(nextAt));
  }
  return map;
}

function readLongs(view: DataView, at: number, count: number, littleEndian: boolean): number[] {
  const values: number[] = [];
  for (let k = 0; k < count && at + 4 * k + 4 <= view.byteLength; k++) values.push(view.getUint32(at + 4 * k, littleEndian));
  return values;
}

/** Writes `value` as the entry's first value when it is stored inline, else at its data offset. */
function setEntryValue(bytes: Uint8Array, map: TiffMap, entry: EntryLocation, value: number): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const size = TYPE_SIZE[entry.type] ?? 4;
  let at = entry.at + 8;
  if (size * entry.count > 4) at = view.getUint32(at, map.littleEndian);
  if (at + 4 > bytes.length) return;
  if (size === 2) view.setUint16(at, Math.min(value, 0xffff), map.littleEndian);
  else if (size === 1) bytes[at] = value & 0xff;
  else view.setUint32(at, value >>> 0, map.littleEndian);
}

/** Rewrites an entry as a single inline LONG, so any 32-bit value fits. */
function setEntryLong(bytes: Uint8Array, map: TiffMap, entry: EntryLocation, value: number): void {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  view.setUint16(entry.at + 2, 4, map.littleEndian);
  view.setUint32(entry.at + 4, 1, map.littleEndian);
  view.setUint32(entry.at + 8, value >>> 0, map.littleEndian);
}

// ---------------------------------------------------------------------------------------
// Mutations. Each edits `bytes` in place (or returns a shorter copy) and describes itself.

type Mutation = (bytes: Uint8Array, map: TiffMap, random: () => number) => { bytes: Uint8Array; what: string };

const ABSURD = [0, 1, 2, 3, 0xff, 0xffff, 0x10000, 100000, 0x7fffffff, 0x80000000, 0xfffffffe, 0xffffffff];

const Tags = {
  ImageWidth: 256,
  ImageLength: 257,
  BitsPerSample: 258,
  Compression: 259,
  Photometric: 262,
  StripOffsets: 273,
  SamplesPerPixel: 277,
  RowsPerStrip: 278,
  StripByteCounts: 279,
  TileWidth: 322,
  TileLength: 323,
  TileOffsets: 324,
  TileByteCounts: 325,
} as const;

/** Tags whose values steer decoding, with values worth trying. */
const INTERESTING_VALUES: Record<number, number[]> = {
  [Tags.BitsPerSample]: [0, 1, 7, 8, 12, 16, 17, 32, 64, 255],
  [Tags.Compression]: [0, 1, 6, 7, 8, 9, 34892, 52546, 65535],
  [Tags.Photometric]: [0, 1, 2, 6, 32803, 34892, 65535],
  [Tags.SamplesPerPixel]: [0, 1, 2, 3, 4, 255, 65535],
  [Tags.RowsPerStrip]: [0, 1, 3, 65535, 0xffffffff],
  254: [0, 1, 0xffffffff], // NewSubFileType
  284: [0, 1, 2, 3], // PlanarConfiguration
  339: [1, 2, 3, 4], // SampleFormat
  33421: [0, 1, 2, 8, 255, 65535], // CFARepeatPatternDim
  33422: [0, 1, 2, 3, 6, 255], // CFAPattern
  50710: [0, 1, 2, 3, 255], // CFAPlaneColor
  50713: [0, 1, 2, 7, 65535], // BlackLevelRepeatDim
  50714: [0, 1, 65535, 0xffffffff], // BlackLevel
  50717: [0, 1, 65535, 0xffffffff], // WhiteLevel
  50829: [0, 1, 40, 65535, 0xffffffff], // ActiveArea
  50719: [0, 1, 65535, 0xffffffff], // DefaultCropOrigin
  50720: [0, 1, 65535, 0xffffffff], // DefaultCropSize
  51008: [0, 1, 0xffffffff], // OpcodeList1 (its count/offset fields are hit by other mutations)
};

const flipBytes: Mutation = (bytes, _map, random) => {
  const n = 1 + randomInt(random, 8);
  for (let k = 0; k < n; k++) bytes[randomInt(random, bytes.length)] = randomInt(random, 256);
  return { bytes, what: `flip ${n} random bytes` };
};

const flipEntryByte: Mutation = (bytes, map, random) => {
  const entry = pick(random, map.entries);
  const k = randomInt(random, 12);
  bytes[entry.at + k] = randomInt(random, 256);
  return { bytes, what: `flip byte ${k} of tag ${entry.tag}` };
};

const truncate: Mutation = (bytes, _map, random) => {
  const cut = random() < 0.5 ? randomInt(random, bytes.length) : Math.floor(bytes.length * (0.5 + random() * 0.5));
  return { bytes: bytes.slice(0, cut), what: `truncate to ${cut} of ${bytes.length} bytes` };
};

const ifdLoop: Mutation = (bytes, map, random) => {
  const ifd = pick(random, map.ifds);
  const target = random() < 0.5 ? ifd : pick(random, map.ifds);
  new DataView(bytes.buffer, bytes.byteOffset).setUint32(ifd.nextAt, target.at, map.littleEndian);
  return { bytes, what: `IFD at ${ifd.at} -> next IFD ${target.at}` };
};

const subIfdLoop: Mutation = (bytes, map, random) => {
  const links = map.entries.filter((e) => e.tag === SUB_IFDS || e.tag === EXIF_IFD);
  if (links.length === 0) return ifdLoop(bytes, map, random);
  const link = pick(random, links);
  const target = pick(random, map.ifds);
  setEntryValue(bytes, map, link, target.at);
  return { bytes, what: `tag ${link.tag} -> IFD ${target.at}` };
};

const absurdCount: Mutation = (bytes, map, random) => {
  const entry = pick(random, map.entries);
  const count = pick(random, ABSURD);
  new DataView(bytes.buffer, bytes.byteOffset).setUint32(entry.at + 4, count, map.littleEndian);
  return { bytes, what: `tag ${entry.tag} count ${count}` };
};

const absurdOffset: Mutation = (bytes, map, random) => {
  const entry = pick(random, map.entries);
  const offset = pick(random, [...ABSURD, bytes.length, bytes.length - 1, bytes.length - 3]);
  new DataView(bytes.buffer, bytes.byteOffset).setUint32(entry.at + 8, offset, map.littleEndian);
  return { bytes, what: `tag ${entry.tag} value/offset ${offset}` };
};

const absurdSegmentOffset: Mutation = (bytes, map, random) => {
  const lists = map.entries.filter((e) => [Tags.StripOffsets, Tags.StripByteCounts, Tags.TileOffsets, Tags.TileByteCounts].includes(e.tag as never));
  if (lists.length === 0) return absurdOffset(bytes, map, random);
  const entry = pick(random, lists);
  const value = pick(random, [...ABSURD, bytes.length, bytes.length - 1]);
  setEntryValue(bytes, map, entry, value);
  return { bytes, what: `first value of tag ${entry.tag} = ${value}` };
};

const hugeDimensions: Mutation = (bytes, map, random) => {
  const [w, h] = pick(random, [
    [100000, 100000],
    [65535, 65535],
    [2048, 2048], // exactly the fuzz runs' pixel cap: passes it, so the byte-count checks must catch it
    [0, 0],
    [1, 100000],
    [0xffffffff, 2],
  ]);
  for (const entry of map.entries) {
    if (entry.tag === Tags.ImageWidth) setEntryLong(bytes, map, entry, w);
    if (entry.tag === Tags.ImageLength) setEntryLong(bytes, map, entry, h);
  }
  return { bytes, what: `dimensions ${w}x${h}` };
};

const hugeTileCount: Mutation = (bytes, map, random) => {
  const size = pick(random, [1, 2, 16]);
  for (const entry of map.entries) {
    if (entry.tag === Tags.TileWidth || entry.tag === Tags.TileLength) setEntryLong(bytes, map, entry, size);
    if (entry.tag === Tags.ImageWidth || entry.tag === Tags.ImageLength) setEntryLong(bytes, map, entry, 100000);
  }
  const offsets = map.entries.find((e) => e.tag === Tags.TileOffsets || e.tag === Tags.StripOffsets);
  if (offsets && random() < 0.5) new DataView(bytes.buffer, bytes.byteOffset).setUint32(offsets.at + 4, 1e8, map.littleEndian);
  return { bytes, what: `${size}x${size} tiles over 100000x100000` };
};

const interestingValue: Mutation = (bytes, map, random) => {
  const candidates = map.entries.filter((e) => INTERESTING_VALUES[e.tag]);
  if (candidates.length === 0) return flipEntryByte(bytes, map, random);
  const entry = pick(random, candidates);
  const value = pick(random, INTERESTING_VALUES[entry.tag]);
  setEntryValue(bytes, map, entry, value);
  return { bytes, what: `tag ${entry.tag} = ${value}` };
};

const badType: Mutation = (bytes, map, random) => {
  const entry = pick(random, map.entries);
  const type = pick(random, [0, 2, 7, 11, 12, 13, 14, 99, 0xffff]);
  new DataView(bytes.buffer, bytes.byteOffset).setUint16(entry.at + 2, type, map.littleEndian);
  return { bytes, what: `tag ${entry.tag} type ${type}` };
};

const ifdEntryCount: Mutation = (bytes, map, random) => {
  const ifd = pick(random, map.ifds);
  const count = pick(random, [0, 1, 0xff, 0x7fff, 0xffff]);
  new DataView(bytes.buffer, bytes.byteOffset).setUint16(ifd.at, count, map.littleEndian);
  return { bytes, what: `IFD at ${ifd.at} has ${count} entries` };
};

/** Damages the out-of-line data of a tag (opcode lists, tables, matrices, offset lists). */
const entryData: Mutation = (bytes, map, random) => {
  const outOfLine = map.entries.filter((e) => (TYPE_SIZE[e.type] ?? 0) * e.count > 4);
  if (outOfLine.length === 0) return flipEntryByte(bytes, map, random);
  const entry = pick(random, outOfLine);
  const start = new DataView(bytes.buffer, bytes.byteOffset).getUint32(entry.at + 8, map.littleEndian);
  const length = Math.min((TYPE_SIZE[entry.type] ?? 1) * entry.count, bytes.length - start);
  if (!(length > 0)) return flipEntryByte(bytes, map, random);
  const n = 1 + randomInt(random, 4);
  for (let k = 0; k < n; k++) bytes[start + randomInt(random, length)] = randomInt(random, 256);
  return { bytes, what: `flip ${n} bytes in the data of tag ${entry.tag}` };
};

/** Damages the compressed or packed data of the first strip/tile (its JPEG markers, tables, codes). */
const segmentData: Mutation = (bytes, map, random) => {
  const entry = map.entries.find((e) => e.tag === Tags.TileOffsets || e.tag === Tags.StripOffsets);
  if (!entry) return flipBytes(bytes, map, random);
  const view = new DataView(bytes.buffer, bytes.byteOffset);
  const size = TYPE_SIZE[entry.type] ?? 4;
  const valueAt = size * entry.count > 4 ? view.getUint32(entry.at + 8, map.littleEndian) : entry.at + 8;
  if (valueAt + 4 > bytes.length) return flipBytes(bytes, map, random);
  const start = size === 2 ? view.getUint16(valueAt, map.littleEndian) : view.getUint32(valueAt, map.littleEndian);
  const n = 1 + randomInt(random, 6);
  for (let k = 0; k < n; k++) {
    const at = start + randomInt(random, 400);
    if (at < bytes.length) bytes[at] = randomInt(random, 256);
  }
  return { bytes, what: `flip ${n} bytes of the first segment at ${start}` };
};

const MUTATIONS: [name: string, weight: number, mutation: Mutation][] = [
  ['flip-bytes', 3, flipBytes],
  ['flip-entry', 3, flipEntryByte],
  ['truncate', 2, truncate],
  ['ifd-loop', 1, ifdLoop],
  ['sub-ifd-loop', 1, subIfdLoop],
  ['absurd-count', 2, absurdCount],
  ['absurd-offset', 2, absurdOffset],
  ['absurd-segment-offset', 1, absurdSegmentOffset],
  ['huge-dimensions', 1, hugeDimensions],
  ['huge-tile-count', 1, hugeTileCount],
  ['interesting-value', 3, interestingValue],
  ['bad-type', 1, badType],
  ['ifd-entry-count', 1, ifdEntryCount],
  ['segment-data', 3, segmentData],
  ['entry-data', 3, entryData],
];
const TOTAL_WEIGHT = MUTATIONS.reduce((sum, [, w]) => sum + w, 0);

function pickMutation(random: () => number): Mutation {
  let r = random() * TOTAL_WEIGHT;
  for (const [, weight, mutation] of MUTATIONS) {
    r -= weight;
    if (r < 0) return mutation;
  }
  return MUTATIONS[0][2];
}

export interface FuzzCase {
  index: number;
  fixture: string;
  /** What was done to the fixture, for reproducing a failure by hand. */
  mutations: string[];
  bytes: Uint8Array;
}

/**
 * `count` mutated copies of the fixtures (round-robin), each with 1–3 mutations, fully
 * determined by `seed`.
 */
export function* fuzzCases(fixtures: Fixture[], count: number, seed: number): Generator<FuzzCase> {
  const maps = fixtures.map((f) => mapTiff(f.bytes));
  const random = mulberry32(seed);
  for (let index = 0; index < count; index++) {
    const k = index % fixtures.length;
    const map = maps[k];
    let bytes: Uint8Array = fixtures[k].bytes.slice();
    const mutations: string[] = [];
    const n = 1 + randomInt(random, 3);
    for (let m = 0; m < n; m++) {
      // Structure-aware mutations need the fixture's (unmutated) TIFF map.
      const result = map && map.entries.length > 0 ? pickMutation(random)(bytes, map, random) : flipBytes(bytes, map!, random);
      bytes = result.bytes;
      mutations.push(result.what);
      if (bytes.length !== fixtures[k].bytes.length) break; // the map no longer fits a truncated file
    }
    yield { index, fixture: fixtures[k].name, mutations, bytes };
  }
}

export interface CaseResult {
  /** 'decoded', the TapetumError code, or 'FAILURE' for anything else escaping. */
  outcome: string;
  ms: number;
  /** The foreign exception, for FAILURE. */
  error?: unknown;
}

/** Runs readDngMetadata and decodeDng on one input; only TapetumErrors are acceptable. */
export async function runCase(bytes: Uint8Array, maxPixels: number): Promise<CaseResult> {
  const start = performance.now();
  let outcome = 'decoded';
  let error: unknown;
  try {
    try {
      readDngMetadata(bytes);
    } catch (e) {
      if (!isTapetumError(e)) throw e;
    }
    await decodeDng(bytes, { maxPixels });
  } catch (e) {
    if (isTapetumError(e)) outcome = e.code;
    else {
      outcome = 'FAILURE';
      error = e;
    }
  }
  return { outcome, ms: performance.now() - start, error };
}

export interface FuzzFailure {
  fuzzCase: FuzzCase;
  /** The foreign exception, or a note that the case was too slow. */
  reason: string;
}

export interface FuzzReport {
  cases: number;
  /** Cases per outcome ('decoded' or a TapetumError code; 'FAILURE' for foreign exceptions). */
  outcomes: Map<string, number>;
  slowest: { ms: number; fuzzCase?: FuzzCase };
  totalMs: number;
  failures: FuzzFailure[];
}

/**
 * Runs the seeded cases; a case fails when a non-TapetumError escapes or it takes ≥ `limitMs`
 * twice in a row (the machine is shared, so one slow run may be someone else's load).
 */
export async function runFuzz(
  fixtures: Fixture[],
  count: number,
  seed: number,
  maxPixels: number,
  limitMs: number,
  onProgress?: (report: FuzzReport) => void,
): Promise<FuzzReport> {
  const report: FuzzReport = { cases: 0, outcomes: new Map(), slowest: { ms: 0 }, totalMs: 0, failures: [] };
  const start = performance.now();
  for (const fuzzCase of fuzzCases(fixtures, count, seed)) {
    let result = await runCase(fuzzCase.bytes, maxPixels);
    if (result.ms >= limitMs) {
      const again = await runCase(fuzzCase.bytes, maxPixels);
      if (again.ms < result.ms) result = again;
    }
    report.cases++;
    if (onProgress && report.cases % 1000 === 0) onProgress(report);
    report.outcomes.set(result.outcome, (report.outcomes.get(result.outcome) ?? 0) + 1);
    if (result.ms > report.slowest.ms) report.slowest = { ms: result.ms, fuzzCase };
    if (result.outcome === 'FAILURE') {
      const error = result.error;
      report.failures.push({ fuzzCase, reason: error instanceof Error ? (error.stack ?? String(error)) : String(error) });
    } else if (result.ms >= limitMs) {
      report.failures.push({ fuzzCase, reason: `took ${result.ms.toFixed(0)} ms (limit ${limitMs} ms), outcome ${result.outcome}` });
    }
  }
  report.totalMs = performance.now() - start;
  return report;
}

/** One line per failure: fixture, mutations and the first lines of the reason. */
export function describeFailure(failure: FuzzFailure): string {
  const { fuzzCase, reason } = failure;
  return `#${fuzzCase.index} ${fuzzCase.fixture} [${fuzzCase.mutations.join('; ')}]: ${reason.split('\n').slice(0, 3).join(' | ')}`;
}
