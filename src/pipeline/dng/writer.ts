/**
 * DNG writer: a stored raster (CFA mosaic or LinearRaw) plus the colour and level tags of
 * `DngMetadata`, serialized as a DNG 1.4 file. Used for decoder test fixtures and for the
 * enhanced-DNG export (16-bit LinearRaw with colour tags).
 *
 * File layout: header, IFD0, optional raw SubIFD, EXIF IFD, then the image segments
 * (strips or tiles) and the preview strip. Without a preview, IFD0 is the raw image itself.
 */
import { TapetumError } from '../errors.ts';
import { encodeLosslessJpeg } from './ljpeg-encode.ts';
import { FieldType as TiffFieldType, Tag } from './tags.ts';
import type { DngMetadata, StoredRaster } from './types.ts';

/** The metadata fields the writer understands; a full `DngMetadata` is accepted as well. */
export type DngWriteMetadata = Pick<DngMetadata, 'whiteLevel'> &
  Partial<
    Pick<
      DngMetadata,
      | 'make'
      | 'model'
      | 'uniqueCameraModel'
      | 'bitsPerSample'
      | 'cfaPattern'
      | 'activeArea'
      | 'defaultCrop'
      | 'blackLevel'
      | 'blackLevelDeltaH'
      | 'blackLevelDeltaV'
      | 'linearizationTable'
      | 'orientation'
      | 'asShotNeutral'
      | 'asShotWhiteXY'
      | 'colorMatrix1'
      | 'colorMatrix2'
      | 'calibrationIlluminant1'
      | 'calibrationIlluminant2'
      | 'forwardMatrix1'
      | 'forwardMatrix2'
      | 'cameraCalibration1'
      | 'cameraCalibration2'
      | 'analogBalance'
      | 'baselineExposure'
      | 'noiseProfile'
      | 'iso'
      | 'exposureTime'
      | 'fNumber'
    >
  >;

export interface DngWriteInput {
  /** samplesPerPixel 1 = CFA mosaic (needs `metadata.cfaPattern`), 3 = LinearRaw. */
  stored: StoredRaster;
  /** `bitsPerSample` defaults to 16; 8..15 are bit-packed when uncompressed. */
  metadata: DngWriteMetadata;
  /** Opcode lists as they go in the file (big-endian, per the DNG spec), written unchanged. */
  opcodeList1?: Uint8Array;
  opcodeList2?: Uint8Array;
  opcodeList3?: Uint8Array;
  /** 8-bit RGB preview (interleaved) stored in IFD0; the raw image then goes to a SubIFD. */
  preview?: { width: number; height: number; data: Uint8Array };
}

export type DngLayout =
  | { kind: 'strips'; rowsPerStrip?: number }
  | { kind: 'tiles'; tileWidth: number; tileHeight: number };

export interface DngWriteOptions {
  byteOrder?: 'II' | 'MM';
  layout?: DngLayout;
  /** 1 = uncompressed, 7 = lossless JPEG. */
  compression?: 1 | 7;
}

const { BYTE, ASCII, SHORT, LONG, RATIONAL, UNDEFINED, SRATIONAL, DOUBLE } = TiffFieldType;
type FieldType = typeof BYTE | typeof ASCII | typeof SHORT | typeof LONG | typeof RATIONAL | typeof UNDEFINED | typeof SRATIONAL | typeof DOUBLE;

const TYPE_SIZE: Record<FieldType, number> = { 1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 7: 1, 10: 8, 12: 8 };

interface Field {
  tag: number;
  type: FieldType;
  values: ArrayLike<number>;
}

// Tags the decoder does not read, and PhotometricInterpretation values.
const SOFTWARE = 305;
const EXIF_VERSION = 36864;
const PHOTOMETRIC_CFA = 32803;
const PHOTOMETRIC_LINEAR_RAW = 34892;

export function writeDng(input: DngWriteInput, options: DngWriteOptions = {}): Uint8Array {
  const littleEndian = (options.byteOrder ?? 'II') === 'II';
  const compression = options.compression ?? 1;
  const layout = options.layout ?? { kind: 'strips' };
  const bits = input.metadata.bitsPerSample ?? 16;
  validateInput(input, bits, compression, layout);

  const segments = encodeSegments(input.stored, bits, compression, layout, littleEndian);
  const previewBytes = input.preview?.data;
  const blobs = previewBytes ? [...segments, previewBytes] : segments;

  // Field sizes do not depend on the offsets they hold, so a first pass with zero offsets
  // fixes the layout and the second pass fills the real offsets in.
  const build = (o: Offsets) => buildIfds(input, bits, compression, layout, segments, o);
  const zeroOffsets: Offsets = { rawIfd: 0, exifIfd: 0, blobs: blobs.map(() => 0) };
  const sizes = build(zeroOffsets).map(ifdSize);
  const ifdStarts: number[] = [];
  let pos = 8;
  for (const size of sizes) {
    ifdStarts.push(pos);
    pos += size;
  }
  // Raw segments follow each other without gaps: some readers (LibRaw 0.20) read
  // uncompressed strips as one run from the first offset.
  const blobStarts = blobs.map((blob, i) => {
    if (i === 0 || i === segments.length) pos = align(pos, 16);
    const start = pos;
    pos += blob.length;
    return start;
  });
  const hasRawSubIfd = previewBytes !== undefined;
  const offsets: Offsets = {
    rawIfd: hasRawSubIfd ? ifdStarts[1]! : 0,
    exifIfd: ifdStarts[ifdStarts.length - 1]!,
    blobs: blobStarts,
  };

  const out = new Uint8Array(pos);
  const view = new DataView(out.buffer);
  out[0] = out[1] = littleEndian ? 0x49 : 0x4d;
  view.setUint16(2, 42, littleEndian);
  view.setUint32(4, 8, littleEndian);
  build(offsets).forEach((fields, i) => writeIfd(view, ifdStarts[i]!, fields, littleEndian));
  blobs.forEach((blob, i) => out.set(blob, blobStarts[i]!));
  return out;
}

interface Offsets {
  rawIfd: number;
  exifIfd: number;
  /** Raw image segments, then the preview strip. */
  blobs: number[];
}

function validateInput(input: DngWriteInput, bits: number, compression: number, layout: DngLayout): void {
  const { stored, metadata } = input;
  const fail = (why: string): never => {
    throw new TapetumError('internal', `Cannot write the DNG: ${why}.`);
  };
  if (stored.samplesPerPixel !== 1 && stored.samplesPerPixel !== 3) fail('only 1 (CFA) or 3 (LinearRaw) samples per pixel can be written');
  if (stored.width < 1 || stored.height < 1) fail('the image is empty');
  if (stored.data.length !== stored.width * stored.height * stored.samplesPerPixel) fail('the raster size does not match its data');
  if (!Number.isInteger(bits) || bits < 8 || bits > 16) fail(`${bits} bits per sample is not supported (8 to 16)`);
  if (compression !== 1 && compression !== 7) fail(`compression ${compression} is not supported (1 or 7)`);
  if (stored.samplesPerPixel === 1 && !metadata.cfaPattern) fail('a CFA image needs its cfaPattern');
  const max = 2 ** bits - 1;
  for (let i = 0; i < stored.data.length; i++) {
    if (stored.data[i]! > max) fail(`sample ${stored.data[i]} does not fit in ${bits} bits`);
  }
  if (metadata.whiteLevel.length !== 1 && metadata.whiteLevel.length !== stored.samplesPerPixel) fail('whiteLevel needs one value per sample');
  const black = metadata.blackLevel;
  if (black && black.values.length !== black.repeatRows * black.repeatCols * stored.samplesPerPixel) {
    fail('blackLevel needs repeatRows x repeatCols x samplesPerPixel values');
  }
  if (layout.kind === 'tiles' && (layout.tileWidth % 16 !== 0 || layout.tileHeight % 16 !== 0 || layout.tileWidth < 16 || layout.tileHeight < 16)) {
    fail('tile width and height must be positive multiples of 16 (TIFF 6.0)');
  }
  if (layout.kind === 'strips' && layout.rowsPerStrip !== undefined && !(layout.rowsPerStrip >= 1)) fail('rowsPerStrip must be at least 1');
  const preview = input.preview;
  if (preview && preview.data.length !== preview.width * preview.height * 3) fail('the preview size does not match its data');
}

/** A rectangle of the stored raster that becomes one strip or tile. */
interface SegmentRect {
  x: number;
  y: number;
  width: number;
  height: number;
}

function segmentRects(stored: StoredRaster, layout: DngLayout): SegmentRect[] {
  const rects: SegmentRect[] = [];
  if (layout.kind === 'strips') {
    const rows = Math.min(layout.rowsPerStrip ?? stored.height, stored.height);
    for (let y = 0; y < stored.height; y += rows) {
      rects.push({ x: 0, y, width: stored.width, height: Math.min(rows, stored.height - y) });
    }
  } else {
    // Edge tiles keep the full tile size; their outside part repeats the last row/column.
    for (let y = 0; y < stored.height; y += layout.tileHeight) {
      for (let x = 0; x < stored.width; x += layout.tileWidth) {
        rects.push({ x, y, width: layout.tileWidth, height: layout.tileHeight });
      }
    }
  }
  return rects;
}

function encodeSegments(stored: StoredRaster, bits: number, compression: 1 | 7, layout: DngLayout, littleEndian: boolean): Uint8Array[] {
  return segmentRects(stored, layout).map((rect) => {
    const samples = extractRect(stored, rect);
    if (compression === 7) {
      // As Adobe does, a CFA row of even width is coded as two interleaved components, so
      // each sample is predicted from its same-colour neighbour.
      const components = stored.samplesPerPixel === 1 && rect.width % 2 === 0 ? 2 : stored.samplesPerPixel;
      return encodeLosslessJpeg(samples, (rect.width * stored.samplesPerPixel) / components, rect.height, components, bits);
    }
    return packSamples(samples, rect.width * stored.samplesPerPixel, rect.height, bits, littleEndian);
  });
}

/** Copies a rectangle out of the raster, clamping coordinates to repeat the edge outside it. */
function extractRect(stored: StoredRaster, rect: SegmentRect): Uint16Array {
  const spp = stored.samplesPerPixel;
  const out = new Uint16Array(rect.width * rect.height * spp);
  let o = 0;
  for (let y = 0; y < rect.height; y++) {
    const sy = Math.min(rect.y + y, stored.height - 1);
    for (let x = 0; x < rect.width; x++) {
      const sx = Math.min(rect.x + x, stored.width - 1);
      const i = (sy * stored.width + sx) * spp;
      for (let s = 0; s < spp; s++) out[o++] = stored.data[i + s]!;
    }
  }
  return out;
}

/**
 * Uncompressed sample bytes: 16-bit samples in the file's byte order, 8-bit as bytes, other
 * depths packed most significant bit first (TIFF FillOrder 1, as DNG requires), each row
 * starting on a byte boundary.
 */
function packSamples(samples: Uint16Array, samplesPerRow: number, rows: number, bits: number, littleEndian: boolean): Uint8Array {
  if (bits === 16) {
    const out = new Uint8Array(samples.length * 2);
    const view = new DataView(out.buffer);
    for (let i = 0; i < samples.length; i++) view.setUint16(i * 2, samples[i]!, littleEndian);
    return out;
  }
  const rowBytes = Math.ceil((samplesPerRow * bits) / 8);
  const out = new Uint8Array(rowBytes * rows);
  for (let y = 0; y < rows; y++) {
    let byte = y * rowBytes;
    let acc = 0; // pending bits, right-aligned
    let pending = 0;
    for (let x = 0; x < samplesPerRow; x++) {
      acc = (acc << bits) | samples[y * samplesPerRow + x]!;
      pending += bits;
      while (pending >= 8) {
        pending -= 8;
        out[byte++] = (acc >>> pending) & 0xff;
      }
      acc &= (1 << pending) - 1;
    }
    if (pending > 0) out[byte] = (acc << (8 - pending)) & 0xff;
  }
  return out;
}

function buildIfds(input: DngWriteInput, bits: number, compression: number, layout: DngLayout, segments: Uint8Array[], offsets: Offsets): Field[][] {
  const raw = rawImageFields(input, bits, compression, layout, segments, offsets.blobs);
  const shared = sharedFields(input, offsets.exifIfd);
  const exif = exifFields(input.metadata);
  const preview = input.preview;
  if (!preview) return [sortFields([...raw, ...shared]), exif];
  const previewFields: Field[] = [
    { tag: Tag.NewSubFileType, type: LONG, values: [1] },
    { tag: Tag.ImageWidth, type: LONG, values: [preview.width] },
    { tag: Tag.ImageLength, type: LONG, values: [preview.height] },
    { tag: Tag.BitsPerSample, type: SHORT, values: [8, 8, 8] },
    { tag: Tag.Compression, type: SHORT, values: [1] },
    { tag: Tag.PhotometricInterpretation, type: SHORT, values: [2] },
    { tag: Tag.StripOffsets, type: LONG, values: [offsets.blobs[segments.length]!] },
    { tag: Tag.SamplesPerPixel, type: SHORT, values: [3] },
    { tag: Tag.RowsPerStrip, type: LONG, values: [preview.height] },
    { tag: Tag.StripByteCounts, type: LONG, values: [preview.data.length] },
    { tag: Tag.PlanarConfiguration, type: SHORT, values: [1] },
    { tag: Tag.SubIFDs, type: LONG, values: [offsets.rawIfd] },
  ];
  return [sortFields([...previewFields, ...shared]), sortFields(raw), exif];
}

/** Tags that describe the raw image itself (they go in the raw IFD). */
function rawImageFields(input: DngWriteInput, bits: number, compression: number, layout: DngLayout, segments: Uint8Array[], blobOffsets: number[]): Field[] {
  const { stored, metadata: m } = input;
  const spp = stored.samplesPerPixel;
  const segmentOffsets = blobOffsets.slice(0, segments.length);
  const segmentSizes = segments.map((s) => s.length);
  const fields: Field[] = [
    { tag: Tag.NewSubFileType, type: LONG, values: [0] },
    { tag: Tag.ImageWidth, type: LONG, values: [stored.width] },
    { tag: Tag.ImageLength, type: LONG, values: [stored.height] },
    { tag: Tag.BitsPerSample, type: SHORT, values: new Array<number>(spp).fill(bits) },
    { tag: Tag.Compression, type: SHORT, values: [compression] },
    { tag: Tag.PhotometricInterpretation, type: SHORT, values: [spp === 1 ? PHOTOMETRIC_CFA : PHOTOMETRIC_LINEAR_RAW] },
    { tag: Tag.SamplesPerPixel, type: SHORT, values: [spp] },
    { tag: Tag.PlanarConfiguration, type: SHORT, values: [1] },
    { tag: Tag.WhiteLevel, type: LONG, values: m.whiteLevel.length === spp ? m.whiteLevel : new Array<number>(spp).fill(m.whiteLevel[0]!) },
  ];
  if (layout.kind === 'strips') {
    fields.push(
      { tag: Tag.StripOffsets, type: LONG, values: segmentOffsets },
      { tag: Tag.RowsPerStrip, type: LONG, values: [Math.min(layout.rowsPerStrip ?? stored.height, stored.height)] },
      { tag: Tag.StripByteCounts, type: LONG, values: segmentSizes },
    );
  } else {
    fields.push(
      { tag: Tag.TileWidth, type: LONG, values: [layout.tileWidth] },
      { tag: Tag.TileLength, type: LONG, values: [layout.tileHeight] },
      { tag: Tag.TileOffsets, type: LONG, values: segmentOffsets },
      { tag: Tag.TileByteCounts, type: LONG, values: segmentSizes },
    );
  }
  if (spp === 1) {
    fields.push(
      { tag: Tag.CFARepeatPatternDim, type: SHORT, values: [2, 2] },
      { tag: Tag.CFAPattern, type: BYTE, values: m.cfaPattern! },
      { tag: Tag.CFAPlaneColor, type: BYTE, values: [0, 1, 2] },
      { tag: Tag.CFALayout, type: SHORT, values: [1] },
    );
  }
  if (m.linearizationTable) fields.push({ tag: Tag.LinearizationTable, type: SHORT, values: m.linearizationTable });
  if (m.blackLevel) {
    const { repeatRows, repeatCols, values } = m.blackLevel;
    fields.push(
      { tag: Tag.BlackLevelRepeatDim, type: SHORT, values: [repeatRows, repeatCols] },
      { tag: Tag.BlackLevel, type: values.every(Number.isInteger) ? LONG : RATIONAL, values },
    );
  }
  if (m.blackLevelDeltaH) fields.push({ tag: Tag.BlackLevelDeltaH, type: SRATIONAL, values: m.blackLevelDeltaH });
  if (m.blackLevelDeltaV) fields.push({ tag: Tag.BlackLevelDeltaV, type: SRATIONAL, values: m.blackLevelDeltaV });
  if (m.defaultCrop) {
    const c = m.defaultCrop;
    fields.push({ tag: Tag.DefaultCropOrigin, type: LONG, values: [c.x, c.y] }, { tag: Tag.DefaultCropSize, type: LONG, values: [c.width, c.height] });
  }
  if (m.activeArea) {
    const a = m.activeArea;
    fields.push({ tag: Tag.ActiveArea, type: LONG, values: [a.y, a.x, a.y + a.height, a.x + a.width] });
  }
  if (input.opcodeList1) fields.push({ tag: Tag.OpcodeList1, type: UNDEFINED, values: input.opcodeList1 });
  if (input.opcodeList2) fields.push({ tag: Tag.OpcodeList2, type: UNDEFINED, values: input.opcodeList2 });
  if (input.opcodeList3) fields.push({ tag: Tag.OpcodeList3, type: UNDEFINED, values: input.opcodeList3 });
  if (m.noiseProfile) fields.push({ tag: Tag.NoiseProfile, type: DOUBLE, values: m.noiseProfile });
  return fields;
}

/** Camera-wide tags that live in IFD0 whatever holds the raw image. */
function sharedFields(input: DngWriteInput, exifIfdOffset: number): Field[] {
  const m = input.metadata;
  const hasOpcodes = Boolean(input.opcodeList1 || input.opcodeList2 || input.opcodeList3);
  const uniqueModel = m.uniqueCameraModel ?? ([m.make, m.model].filter(Boolean).join(' ') || 'Unknown camera');
  const fields: Field[] = [
    { tag: Tag.Orientation, type: SHORT, values: [m.orientation ?? 1] },
    { tag: SOFTWARE, type: ASCII, values: asciiZ('Tapetum') },
    { tag: Tag.ExifIFD, type: LONG, values: [exifIfdOffset] },
    { tag: Tag.DNGVersion, type: BYTE, values: [1, 4, 0, 0] },
    // Opcode lists came with DNG 1.3; older readers must not think they can skip them.
    { tag: Tag.DNGBackwardVersion, type: BYTE, values: hasOpcodes ? [1, 3, 0, 0] : [1, 1, 0, 0] },
    { tag: Tag.UniqueCameraModel, type: ASCII, values: asciiZ(uniqueModel) },
  ];
  if (m.make) fields.push({ tag: Tag.Make, type: ASCII, values: asciiZ(m.make) });
  if (m.model) fields.push({ tag: Tag.Model, type: ASCII, values: asciiZ(m.model) });
  const optional: [number, FieldType, ArrayLike<number> | number | undefined][] = [
    [Tag.ColorMatrix1, SRATIONAL, m.colorMatrix1],
    [Tag.ColorMatrix2, SRATIONAL, m.colorMatrix2],
    [Tag.CameraCalibration1, SRATIONAL, m.cameraCalibration1],
    [Tag.CameraCalibration2, SRATIONAL, m.cameraCalibration2],
    [Tag.AnalogBalance, RATIONAL, m.analogBalance],
    [Tag.AsShotNeutral, RATIONAL, m.asShotNeutral],
    [Tag.AsShotWhiteXY, RATIONAL, m.asShotWhiteXY],
    [Tag.BaselineExposure, SRATIONAL, m.baselineExposure],
    [Tag.CalibrationIlluminant1, SHORT, m.calibrationIlluminant1],
    [Tag.CalibrationIlluminant2, SHORT, m.calibrationIlluminant2],
    [Tag.ForwardMatrix1, SRATIONAL, m.forwardMatrix1],
    [Tag.ForwardMatrix2, SRATIONAL, m.forwardMatrix2],
  ];
  for (const [tag, type, value] of optional) {
    if (value !== undefined) fields.push({ tag, type, values: typeof value === 'number' ? [value] : value });
  }
  return fields;
}

function exifFields(m: DngWriteMetadata): Field[] {
  const fields: Field[] = [];
  if (m.exposureTime !== undefined) fields.push({ tag: Tag.ExposureTime, type: RATIONAL, values: [m.exposureTime] });
  if (m.fNumber !== undefined) fields.push({ tag: Tag.FNumber, type: RATIONAL, values: [m.fNumber] });
  if (m.iso !== undefined) fields.push({ tag: Tag.ISOSpeedRatings, type: SHORT, values: [Math.min(Math.round(m.iso), 65535)] });
  fields.push({ tag: EXIF_VERSION, type: UNDEFINED, values: asciiBytes('0230') });
  return fields;
}

function sortFields(fields: Field[]): Field[] {
  return [...fields].sort((a, b) => a.tag - b.tag);
}

function asciiBytes(text: string): number[] {
  return Array.from(text, (ch) => {
    const code = ch.charCodeAt(0);
    return code < 128 ? code : 63; // '?' for what TIFF ASCII cannot hold
  });
}

function asciiZ(text: string): number[] {
  return [...asciiBytes(text), 0];
}

function align(n: number, to: number): number {
  return Math.ceil(n / to) * to;
}

function fieldByteCount(field: Field): number {
  return TYPE_SIZE[field.type] * field.values.length;
}

/** Bytes an IFD takes: entry count, entries, next-IFD pointer, then its out-of-line values (word aligned). */
function ifdSize(fields: Field[]): number {
  let size = 2 + fields.length * 12 + 4;
  for (const field of fields) {
    const bytes = fieldByteCount(field);
    if (bytes > 4) size += align(bytes, 2);
  }
  return size;
}

function writeIfd(view: DataView, start: number, fields: Field[], le: boolean): void {
  view.setUint16(start, fields.length, le);
  let valuePos = start + 2 + fields.length * 12 + 4;
  fields.forEach((field, i) => {
    const entry = start + 2 + i * 12;
    view.setUint16(entry, field.tag, le);
    view.setUint16(entry + 2, field.type, le);
    view.setUint32(entry + 4, field.values.length, le);
    const bytes = fieldByteCount(field);
    if (bytes <= 4) {
      writeValues(view, entry + 8, field, le);
    } else {
      view.setUint32(entry + 8, valuePos, le);
      writeValues(view, valuePos, field, le);
      valuePos += align(bytes, 2);
    }
  });
  view.setUint32(start + 2 + fields.length * 12, 0, le);
}

function writeValues(view: DataView, pos: number, field: Field, le: boolean): void {
  const { type, values } = field;
  for (let i = 0; i < values.length; i++) {
    const v = values[i]!;
    switch (type) {
      case BYTE:
      case ASCII:
      case UNDEFINED:
        view.setUint8(pos + i, v);
        break;
      case SHORT:
        view.setUint16(pos + i * 2, v, le);
        break;
      case LONG:
        view.setUint32(pos + i * 4, v, le);
        break;
      case RATIONAL:
      case SRATIONAL: {
        const [num, den] = toRational(v, type === SRATIONAL);
        if (type === SRATIONAL) view.setInt32(pos + i * 8, num, le);
        else view.setUint32(pos + i * 8, num, le);
        view.setUint32(pos + i * 8 + 4, den, le);
        break;
      }
      case DOUBLE:
        view.setFloat64(pos + i * 8, v, le);
        break;
    }
  }
}

/**
 * The rational closest to `value` with a power-of-ten denominator: the smallest such
 * denominator that represents it exactly (to double precision), else the largest that fits.
 */
export function toRational(value: number, signed: boolean): [number, number] {
  const limit = signed ? 0x7fffffff : 0xffffffff;
  if (!Number.isFinite(value) || (!signed && value < 0) || Math.abs(value) > limit) {
    throw new TapetumError('internal', `Cannot write the DNG: ${value} does not fit in a ${signed ? 'signed ' : ''}rational.`);
  }
  let best: [number, number] = [Math.round(value), 1];
  for (let den = 1; den <= 1e9; den *= 10) {
    const num = Math.round(value * den);
    if (Math.abs(num) > limit) break;
    best = [num, den];
    if (Math.abs(num / den - value) <= 1e-12 * Math.max(1, Math.abs(value))) break;
  }
  return best;
}
