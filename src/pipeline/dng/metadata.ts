/**
 * From bytes to DngMetadata: recognise the file, walk its IFDs, pick the main raw image and
 * decode the tags the pipeline needs. Optional tags that are damaged are skipped with a
 * warning; tags without which the image cannot be interpreted throw a TapetumError.
 */
import { TapetumError } from '../errors';
import { notTiffError, rejectByMagic, tiffWithoutDngVersionError } from './identify';
import { parseOpcodeList } from './opcodes';
import { Tag, tagName } from './tags';
import { readTiffStructure, TiffReader, tiffByteOrder, type Ifd, type IfdEntry, type TiffStructure } from './tiff';
import type { CfaColor, DngMetadata, Matrix3, OpcodeInfo, Rect } from './types';

const PHOTOMETRIC_CFA = 32803;
const PHOTOMETRIC_LINEAR_RAW = 34892;
const TIFF_MAGIC = 42;
const BIGTIFF_MAGIC = 43;

/** A parsed DNG: the reader, the IFD of the main raw image and its metadata. */
export interface DngFile {
  reader: TiffReader;
  raw: Ifd;
  metadata: DngMetadata;
  warnings: string[];
}

/** Metadata with the warnings met while reading it (damaged optional tags, skipped opcodes). */
export type DngMetadataReport = DngMetadata & { warnings: string[] };

/** Reads the metadata of a DNG without decoding its pixels; works on files whose image data is lost. */
export function readDngMetadata(bytes: Uint8Array): DngMetadataReport {
  const { metadata, warnings } = parseDng(bytes);
  return { ...metadata, warnings };
}

export function parseDng(bytes: Uint8Array): DngFile {
  const tiff = openTiff(bytes);
  const raw = chooseRawIfd(tiff);
  const tags = new TagReader(tiff, raw);
  for (const offset of tiff.skippedIfds) {
    tags.warnings.push(`skipped the image directory at byte ${offset}: it lies beyond the end of the file`);
  }
  const metadata = readMetadata(tags);
  return { reader: tiff.reader, raw, metadata, warnings: tags.warnings };
}

function openTiff(bytes: Uint8Array): TiffStructure {
  rejectByMagic(bytes);
  const order = tiffByteOrder(bytes);
  if (!order || (order.magic !== TIFF_MAGIC && order.magic !== BIGTIFF_MAGIC)) throw notTiffError(bytes);
  if (order.magic === BIGTIFF_MAGIC) {
    throw new TapetumError('not-dng', 'This is a BigTIFF file, not a DNG raw photo.');
  }
  const reader = new TiffReader(bytes, order.littleEndian);
  const tiff = readTiffStructure(reader, reader.u32(4));
  if (!tiff.ifd0.entries.has(Tag.DNGVersion)) {
    const make = tiff.ifd0.entries.get(Tag.Make);
    throw tiffWithoutDngVersionError(make ? reader.text(make) : undefined);
  }
  return tiff;
}

function firstValue(reader: TiffReader, ifd: Ifd, tag: number): number | undefined {
  const entry = ifd.entries.get(tag);
  return entry ? reader.numbers(entry, 64)[0] : undefined;
}

/** The full-resolution raw image: NewSubFileType 0, CFA or LinearRaw, the largest if several. */
function chooseRawIfd({ reader, images, skippedIfds }: TiffStructure): Ifd {
  const fullResolution = images.filter(
    (ifd) =>
      (firstValue(reader, ifd, Tag.NewSubFileType) ?? 0) === 0 &&
      ifd.entries.has(Tag.ImageWidth) &&
      ifd.entries.has(Tag.ImageLength),
  );
  const photometric = (ifd: Ifd) => firstValue(reader, ifd, Tag.PhotometricInterpretation);
  const raws = fullResolution.filter((ifd) => {
    const p = photometric(ifd);
    return p === PHOTOMETRIC_CFA || p === PHOTOMETRIC_LINEAR_RAW;
  });
  if (raws.length === 0) {
    if (fullResolution.length === 0) throw noRawImageError(skippedIfds);
    throw new TapetumError(
      'unsupported',
      `This DNG stores its image as ${photometricName(photometric(fullResolution[0]))}; ` +
        'Tapetum reads colour-filter (Bayer) and LinearRaw DNGs.',
    );
  }
  const area = (ifd: Ifd) =>
    (firstValue(reader, ifd, Tag.ImageWidth) ?? 0) * (firstValue(reader, ifd, Tag.ImageLength) ?? 0);
  return raws.reduce((best, ifd) => (area(ifd) > area(best) ? ifd : best));
}

function noRawImageError(skippedIfds: number[]): TapetumError {
  if (skippedIfds.length > 0) {
    return new TapetumError(
      'truncated',
      `The file is truncated: its raw image directory (byte ${skippedIfds[0]}) lies beyond the end of the file. ` +
        'Copy the file again from the camera or card.',
    );
  }
  return new TapetumError('corrupt', 'The file is damaged: it contains no full-resolution raw image.');
}

function photometricName(value: number | undefined): string {
  if (value === 0 || value === 1) return 'a monochrome image';
  if (value === 2) return 'an RGB image';
  if (value === 6) return 'a YCbCr image';
  return `photometric interpretation ${value ?? 'missing'}`;
}

/** Where to look for a tag: the raw IFD only, or also IFD0 and the EXIF IFD, in that order of trust. */
type Scope = 'raw' | 'camera' | 'exif' | 'rawThenCamera';

/** Tag access with DNG's placement rules; damaged optional values become warnings. */
class TagReader {
  readonly warnings: string[] = [];
  private readonly scopes: Record<Scope, Ifd[]>;

  constructor(
    private readonly tiff: TiffStructure,
    raw: Ifd,
  ) {
    const exif = tiff.exif ? [tiff.exif] : [];
    this.scopes = {
      raw: [raw],
      camera: [tiff.ifd0, raw],
      exif: [...exif, tiff.ifd0, raw],
      rawThenCamera: [raw, tiff.ifd0],
    };
  }

  private find(tag: number, scope: Scope): IfdEntry | undefined {
    for (const ifd of this.scopes[scope]) {
      const entry = ifd.entries.get(tag);
      if (entry) return entry;
    }
    return undefined;
  }

  private skip(tag: number, why: string): undefined {
    this.warnings.push(`ignored tag ${tagName(tag)}: ${why}`);
    return undefined;
  }

  /** All values of an optional numeric tag; undefined (with a warning) when damaged. */
  numbers(tag: number, scope: Scope): number[] | undefined {
    const entry = this.find(tag, scope);
    if (!entry) return undefined;
    try {
      const values = this.tiff.reader.numbers(entry);
      if (values.length === 0 || !values.every(Number.isFinite)) return this.skip(tag, 'it holds an invalid number');
      return values;
    } catch (e) {
      if (e instanceof TapetumError) return this.skip(tag, e.message);
      throw e;
    }
  }

  /** An optional tag with exactly `length` values. */
  fixed(tag: number, scope: Scope, length: number): number[] | undefined {
    const values = this.numbers(tag, scope);
    if (!values || values.length === length) return values;
    return this.skip(tag, `it has ${values.length} values where ${length} are expected`);
  }

  first(tag: number, scope: Scope): number | undefined {
    return this.numbers(tag, scope)?.[0];
  }

  text(tag: number, scope: Scope): string | undefined {
    const entry = this.find(tag, scope);
    if (!entry) return undefined;
    try {
      return this.tiff.reader.text(entry) || undefined;
    } catch (e) {
      if (e instanceof TapetumError) return this.skip(tag, e.message);
      throw e;
    }
  }

  /** A raw-IFD tag the image cannot be interpreted without. */
  required(tag: number): number[] {
    const entry = this.find(tag, 'raw');
    if (!entry) throw new TapetumError('corrupt', `The file is damaged: the raw image has no ${tagName(tag)} tag.`);
    const values = this.tiff.reader.numbers(entry);
    if (values.length === 0 || !values.every(Number.isFinite)) {
      throw new TapetumError('corrupt', `The file is damaged: tag ${tagName(tag)} holds an invalid value.`);
    }
    return values;
  }

  opcodeList(tag: number, list: 1 | 2 | 3): OpcodeInfo[] {
    const entry = this.find(tag, 'raw');
    if (!entry) return [];
    const parsed = parseOpcodeList(this.tiff.reader.rawBytes(entry), list);
    this.warnings.push(...parsed.warnings);
    return parsed.opcodes;
  }
}

function corrupt(message: string): TapetumError {
  return new TapetumError('corrupt', `The file is damaged: ${message}.`);
}

function positiveInteger(tags: TagReader, tag: number, max: number): number {
  const value = tags.required(tag)[0];
  if (!Number.isInteger(value) || value < 1 || value > max) throw corrupt(`${tagName(tag)} is ${value}`);
  return value;
}

function readMetadata(tags: TagReader): DngMetadata {
  const width = positiveInteger(tags, Tag.ImageWidth, 0xffffffff);
  const height = positiveInteger(tags, Tag.ImageLength, 0xffffffff);
  const bitsPerSample = positiveInteger(tags, Tag.BitsPerSample, 32);
  const photometric = tags.required(Tag.PhotometricInterpretation)[0] === PHOTOMETRIC_CFA ? 'cfa' : 'linear';
  const samplesPerPixel = tags.first(Tag.SamplesPerPixel, 'raw') ?? 1;
  checkSamplesPerPixel(photometric, samplesPerPixel);
  const activeArea = readActiveArea(tags, width, height);
  const blackLevel = readBlackLevel(tags, samplesPerPixel);
  const whiteLevel = readWhiteLevel(tags, samplesPerPixel, bitsPerSample);
  checkWhiteAboveBlack(blackLevel, whiteLevel, samplesPerPixel);

  const metadata: DngMetadata = {
    make: tags.text(Tag.Make, 'camera'),
    model: tags.text(Tag.Model, 'camera'),
    uniqueCameraModel: tags.text(Tag.UniqueCameraModel, 'camera'),
    width,
    height,
    bitsPerSample,
    compression: tags.first(Tag.Compression, 'raw') ?? 1,
    photometric,
    samplesPerPixel,
    cfaPattern: photometric === 'cfa' ? readCfaPattern(tags) : undefined,
    activeArea,
    defaultCrop: readDefaultCrop(tags, activeArea),
    blackLevel,
    blackLevelDeltaH: tags.fixed(Tag.BlackLevelDeltaH, 'raw', activeArea.width),
    blackLevelDeltaV: tags.fixed(Tag.BlackLevelDeltaV, 'raw', activeArea.height),
    whiteLevel,
    linearizationTable: tags.numbers(Tag.LinearizationTable, 'raw'),
    orientation: readOrientation(tags),
    asShotNeutral: tags.fixed(Tag.AsShotNeutral, 'camera', 3) as [number, number, number] | undefined,
    asShotWhiteXY: tags.fixed(Tag.AsShotWhiteXY, 'camera', 2) as [number, number] | undefined,
    colorMatrix1: matrix(tags, Tag.ColorMatrix1),
    colorMatrix2: matrix(tags, Tag.ColorMatrix2),
    calibrationIlluminant1: tags.first(Tag.CalibrationIlluminant1, 'camera'),
    calibrationIlluminant2: tags.first(Tag.CalibrationIlluminant2, 'camera'),
    forwardMatrix1: matrix(tags, Tag.ForwardMatrix1),
    forwardMatrix2: matrix(tags, Tag.ForwardMatrix2),
    cameraCalibration1: matrix(tags, Tag.CameraCalibration1),
    cameraCalibration2: matrix(tags, Tag.CameraCalibration2),
    analogBalance: tags.fixed(Tag.AnalogBalance, 'camera', 3) as [number, number, number] | undefined,
    baselineExposure: tags.first(Tag.BaselineExposure, 'camera'),
    noiseProfile: tags.numbers(Tag.NoiseProfile, 'rawThenCamera'),
    iso: tags.first(Tag.ISOSpeedRatings, 'exif'),
    exposureTime: tags.first(Tag.ExposureTime, 'exif'),
    fNumber: tags.first(Tag.FNumber, 'exif'),
    opcodes: [
      ...tags.opcodeList(Tag.OpcodeList1, 1),
      ...tags.opcodeList(Tag.OpcodeList2, 2),
      ...tags.opcodeList(Tag.OpcodeList3, 3),
    ],
  };
  return withoutUndefined(metadata);
}

/** Drops absent optional fields so the metadata prints and serializes cleanly. */
function withoutUndefined(metadata: DngMetadata): DngMetadata {
  return Object.fromEntries(Object.entries(metadata).filter(([, v]) => v !== undefined)) as DngMetadata;
}

function checkSamplesPerPixel(photometric: 'cfa' | 'linear', samplesPerPixel: number): void {
  if (photometric === 'cfa' && samplesPerPixel !== 1) {
    throw new TapetumError('unsupported', `This DNG has ${samplesPerPixel} samples per colour-filter pixel; 1 is supported.`);
  }
  if (photometric === 'linear' && samplesPerPixel !== 3) {
    const what = samplesPerPixel === 1 ? 'a monochrome LinearRaw image' : `LinearRaw with ${samplesPerPixel} samples`;
    throw new TapetumError('unsupported', `This DNG holds ${what}; Tapetum reads 3-colour LinearRaw.`);
  }
}

function readCfaPattern(tags: TagReader): [CfaColor, CfaColor, CfaColor, CfaColor] {
  const [rows, cols] = tags.required(Tag.CFARepeatPatternDim);
  if (rows !== 2 || cols !== 2) {
    const what = rows === 6 && cols === 6 ? 'a Fujifilm X-Trans (6x6) colour filter' : `a ${rows}x${cols} colour filter pattern`;
    throw new TapetumError('unsupported', `This DNG has ${what}; Tapetum reads 2x2 Bayer sensors only.`);
  }
  if ((tags.first(Tag.CFALayout, 'raw') ?? 1) !== 1) {
    throw new TapetumError('unsupported', 'This DNG has a staggered colour filter layout; Tapetum reads rectangular Bayer sensors only.');
  }
  const pattern = tags.required(Tag.CFAPattern);
  const planeColor = tags.numbers(Tag.CFAPlaneColor, 'raw') ?? [0, 1, 2];
  if (pattern.length !== 4) throw corrupt(`CFAPattern has ${pattern.length} values for a 2x2 pattern`);
  const colors = pattern.map((plane) => planeColor[plane]);
  if (colors.some((c) => c === undefined)) throw corrupt('CFAPattern refers to a colour plane that does not exist');
  const isBayer =
    colors.every((c) => c === 0 || c === 1 || c === 2) &&
    [...colors].sort().join() === '0,1,1,2' &&
    ((colors[0] === 1 && colors[3] === 1) || (colors[1] === 1 && colors[2] === 1));
  if (!isBayer) {
    throw new TapetumError(
      'unsupported',
      `This DNG's colour filter (${colors.join(',')}) is not an RGB Bayer pattern; Tapetum reads Bayer sensors only.`,
    );
  }
  return colors as [CfaColor, CfaColor, CfaColor, CfaColor];
}

function readActiveArea(tags: TagReader, width: number, height: number): Rect {
  const values = tags.fixed(Tag.ActiveArea, 'raw', 4);
  if (!values) return { x: 0, y: 0, width, height };
  const [top, left, bottom, right] = values;
  if (!(values.every(Number.isInteger) && 0 <= top && top < bottom && bottom <= height && 0 <= left && left < right && right <= width)) {
    throw corrupt(`ActiveArea (${values.join(', ')}) does not fit the ${width}x${height} image`);
  }
  return { x: left, y: top, width: right - left, height: bottom - top };
}

function readDefaultCrop(tags: TagReader, active: Rect): Rect {
  const whole = { x: 0, y: 0, width: active.width, height: active.height };
  const origin = tags.fixed(Tag.DefaultCropOrigin, 'raw', 2) ?? [0, 0];
  const size = tags.fixed(Tag.DefaultCropSize, 'raw', 2) ?? [active.width, active.height];
  // DNG allows fractional crops; the pipeline crops whole pixels.
  const crop = { x: Math.round(origin[0]), y: Math.round(origin[1]), width: Math.round(size[0]), height: Math.round(size[1]) };
  const fits =
    crop.x >= 0 && crop.y >= 0 && crop.width >= 1 && crop.height >= 1 &&
    crop.x + crop.width <= active.width && crop.y + crop.height <= active.height;
  if (fits) return crop;
  tags.warnings.push('ignored DefaultCrop: it does not fit inside the active area');
  return whole;
}

/** BlackLevelRepeatDim larger than this is not a real sensor pattern. */
const MAX_BLACK_REPEAT = 64;

function readBlackLevel(tags: TagReader, samplesPerPixel: number): DngMetadata['blackLevel'] {
  const [repeatRows, repeatCols] = tags.fixed(Tag.BlackLevelRepeatDim, 'raw', 2) ?? [1, 1];
  const dimsValid = [repeatRows, repeatCols].every((d) => Number.isInteger(d) && d >= 1 && d <= MAX_BLACK_REPEAT);
  if (!dimsValid) throw corrupt(`BlackLevelRepeatDim is ${repeatRows}x${repeatCols}`);
  const expected = repeatRows * repeatCols * samplesPerPixel;
  const values = tags.numbers(Tag.BlackLevel, 'raw') ?? [0];
  if (values.length === expected) return { repeatRows, repeatCols, values };
  if (values.length === 1) return { repeatRows, repeatCols, values: new Array<number>(expected).fill(values[0]) };
  throw corrupt(`BlackLevel has ${values.length} values where ${expected} are expected`);
}

function readWhiteLevel(tags: TagReader, samplesPerPixel: number, bitsPerSample: number): number[] {
  const values = tags.numbers(Tag.WhiteLevel, 'raw') ?? [2 ** bitsPerSample - 1];
  if (values.length === samplesPerPixel) return values;
  if (values.length === 1) return new Array<number>(samplesPerPixel).fill(values[0]);
  throw corrupt(`WhiteLevel has ${values.length} values for ${samplesPerPixel} samples per pixel`);
}

function checkWhiteAboveBlack(black: DngMetadata['blackLevel'], white: number[], samplesPerPixel: number): void {
  black.values.forEach((value, i) => {
    const sample = i % samplesPerPixel;
    if (!(white[sample] > value)) throw corrupt(`WhiteLevel ${white[sample]} is not above BlackLevel ${value}`);
  });
}

function readOrientation(tags: TagReader): number {
  const value = tags.first(Tag.Orientation, 'camera') ?? 1;
  if (Number.isInteger(value) && value >= 1 && value <= 8) return value;
  tags.warnings.push(`ignored Orientation ${value}: it is not between 1 and 8`);
  return 1;
}

function matrix(tags: TagReader, tag: number): Matrix3 | undefined {
  return tags.fixed(tag, 'camera', 9) as Matrix3 | undefined;
}
