/**
 * A bounds-checked reader for TIFF structure (header, IFDs, tag values) in either
 * byte order. Every read that would leave the file throws a TapetumError, so callers
 * never see garbage or a RangeError from a damaged file.
 */
import { TapetumError } from '../errors';
import { FIELD_TYPE_SIZES, Tag, tagName } from './tags';

/** Real DNG IFDs have about 150 entries; anything far beyond is a damaged count. */
const MAX_ENTRIES_PER_IFD = 1000;
/** Largest numeric array we decode from one tag (tile offsets, linearization tables). */
const DEFAULT_MAX_VALUES = 1 << 20;

export interface IfdEntry {
  tag: number;
  type: number;
  count: number;
  /** Absolute offset of the value bytes (inside the entry when they fit in 4 bytes). */
  valueOffset: number;
  byteLength: number;
}

export interface Ifd {
  /** Where the IFD starts in the file. */
  offset: number;
  entries: Map<number, IfdEntry>;
  /** Offset of the next IFD in the chain, 0 when none. */
  next: number;
}

function truncatedAt(what: string, end: number, size: number): TapetumError {
  return new TapetumError(
    'truncated',
    `The file is truncated: ${what} ends at byte ${end} but the file has only ${size} bytes. ` +
      'Copy the file again from the camera or card.',
  );
}

export class TiffReader {
  private readonly view: DataView;

  constructor(
    readonly bytes: Uint8Array,
    readonly littleEndian: boolean,
  ) {
    this.view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  get size(): number {
    return this.bytes.length;
  }

  /** Throws unless bytes [offset, offset+length) lie inside the file. */
  require(offset: number, length: number, what: string): void {
    if (!Number.isSafeInteger(offset) || offset < 0 || !Number.isSafeInteger(length) || length < 0) {
      throw new TapetumError('corrupt', `The file is damaged: ${what} has an impossible position.`);
    }
    if (offset + length > this.size) throw truncatedAt(what, offset + length, this.size);
  }

  u16(offset: number): number {
    this.require(offset, 2, 'a TIFF field');
    return this.view.getUint16(offset, this.littleEndian);
  }

  u32(offset: number): number {
    this.require(offset, 4, 'a TIFF field');
    return this.view.getUint32(offset, this.littleEndian);
  }

  readIfd(offset: number): Ifd {
    this.require(offset, 2, `the image directory at byte ${offset}`);
    const count = this.u16(offset);
    if (count === 0 || count > MAX_ENTRIES_PER_IFD) {
      throw new TapetumError(
        'corrupt',
        `The file is damaged: the image directory at byte ${offset} claims ${count} entries.`,
      );
    }
    this.require(offset + 2, count * 12 + 4, `the image directory at byte ${offset}`);
    const entries = new Map<number, IfdEntry>();
    for (let i = 0; i < count; i++) {
      const at = offset + 2 + i * 12;
      const tag = this.u16(at);
      const type = this.u16(at + 2);
      const size = FIELD_TYPE_SIZES[type];
      // TIFF readers must skip entries of unknown type; the first entry of a tag wins.
      if (size === undefined || entries.has(tag)) continue;
      const count = this.u32(at + 4);
      const byteLength = count * size;
      const valueOffset = byteLength <= 4 ? at + 8 : this.u32(at + 8);
      entries.set(tag, { tag, type, count, valueOffset, byteLength });
    }
    return { offset, entries, next: this.u32(offset + 2 + count * 12) };
  }

  /**
   * Numeric values of an entry; rationals become num/den (NaN when den is 0).
   * Throws 'corrupt' for non-numeric types or absurd counts, 'truncated' when the
   * values lie outside the file.
   */
  numbers(entry: IfdEntry, maxCount = DEFAULT_MAX_VALUES): number[] {
    const name = tagName(entry.tag);
    if (entry.count > maxCount) {
      throw new TapetumError('corrupt', `The file is damaged: tag ${name} claims ${entry.count} values.`);
    }
    this.require(entry.valueOffset, entry.byteLength, `the value of tag ${name}`);
    const v = this.view;
    const le = this.littleEndian;
    const out = new Array<number>(entry.count);
    let p = entry.valueOffset;
    for (let i = 0; i < entry.count; i++) {
      switch (entry.type) {
        case 1:
        case 7:
          out[i] = v.getUint8(p);
          p += 1;
          break;
        case 6:
          out[i] = v.getInt8(p);
          p += 1;
          break;
        case 3:
          out[i] = v.getUint16(p, le);
          p += 2;
          break;
        case 8:
          out[i] = v.getInt16(p, le);
          p += 2;
          break;
        case 4:
        case 13:
          out[i] = v.getUint32(p, le);
          p += 4;
          break;
        case 9:
          out[i] = v.getInt32(p, le);
          p += 4;
          break;
        case 5:
          out[i] = ratio(v.getUint32(p, le), v.getUint32(p + 4, le));
          p += 8;
          break;
        case 10:
          out[i] = ratio(v.getInt32(p, le), v.getInt32(p + 4, le));
          p += 8;
          break;
        case 11:
          out[i] = v.getFloat32(p, le);
          p += 4;
          break;
        case 12:
          out[i] = v.getFloat64(p, le);
          p += 8;
          break;
        default:
          throw new TapetumError('corrupt', `The file is damaged: tag ${name} has text where numbers belong.`);
      }
    }
    return out;
  }

  /** Text of an ASCII entry, up to the first NUL, without trailing spaces. */
  text(entry: IfdEntry): string {
    const raw = this.rawBytes(entry);
    const nul = raw.indexOf(0);
    return new TextDecoder('utf-8').decode(nul < 0 ? raw : raw.subarray(0, nul)).trimEnd();
  }

  /** The value bytes of an entry as stored (for UNDEFINED blobs such as opcode lists). */
  rawBytes(entry: IfdEntry): Uint8Array {
    this.require(entry.valueOffset, entry.byteLength, `the value of tag ${tagName(entry.tag)}`);
    return this.bytes.subarray(entry.valueOffset, entry.valueOffset + entry.byteLength);
  }
}

function ratio(numerator: number, denominator: number): number {
  return denominator === 0 ? NaN : numerator / denominator;
}

/** Byte order from a TIFF header, or undefined when the bytes do not start like TIFF. */
export function tiffByteOrder(bytes: Uint8Array): { littleEndian: boolean; magic: number } | undefined {
  if (bytes.length < 8) return undefined;
  const littleEndian = bytes[0] === 0x49 && bytes[1] === 0x49;
  const bigEndian = bytes[0] === 0x4d && bytes[1] === 0x4d;
  if (!littleEndian && !bigEndian) return undefined;
  const magic = littleEndian ? bytes[2] | (bytes[3] << 8) : (bytes[2] << 8) | bytes[3];
  return { littleEndian, magic };
}

/** Caps that keep a looping or absurd IFD structure from running away. */
const MAX_IFDS = 64;
const MAX_SUBIFD_DEPTH = 3;

export interface TiffStructure {
  reader: TiffReader;
  ifd0: Ifd;
  /** Every image IFD: the IFD0 chain and all SubIFDs, in order of discovery. */
  images: Ifd[];
  exif?: Ifd;
  /** Offsets of IFDs (after IFD0) that lie beyond the end of a truncated file. */
  skippedIfds: number[];
}

/**
 * Reads all image IFDs (IFD chain and SubIFDs) and the EXIF IFD of a TIFF file. IFDs other
 * than IFD0 that a truncated file has lost are skipped and listed, so the header that
 * survived can still be read.
 */
export function readTiffStructure(reader: TiffReader, firstIfd: number): TiffStructure {
  const visited = new Set<number>();
  const images: Ifd[] = [];
  const skippedIfds: number[] = [];

  const read = (offset: number): Ifd | undefined => {
    if (visited.has(offset)) {
      throw new TapetumError('corrupt', `The file is damaged: its image directories form a loop (byte ${offset}).`);
    }
    if (visited.size >= MAX_IFDS) {
      throw new TapetumError('corrupt', `The file is damaged: it has more than ${MAX_IFDS} image directories.`);
    }
    visited.add(offset);
    if (visited.size > 1 && offset >= reader.size) {
      skippedIfds.push(offset);
      return undefined;
    }
    return reader.readIfd(offset);
  };

  const walkChain = (start: number, depth: number): void => {
    for (let offset = start; offset !== 0; ) {
      const ifd = read(offset);
      if (!ifd) return;
      images.push(ifd);
      const subIfds = ifd.entries.get(Tag.SubIFDs);
      if (subIfds && depth < MAX_SUBIFD_DEPTH) {
        for (const sub of reader.numbers(subIfds, MAX_IFDS)) walkChain(sub, depth + 1);
      }
      offset = ifd.next;
    }
  };

  walkChain(firstIfd, 0);
  const ifd0 = images[0];
  const exifEntry = ifd0.entries.get(Tag.ExifIFD);
  const exif = exifEntry ? read(reader.numbers(exifEntry, 1)[0]) : undefined;
  return { reader, ifd0, images, exif, skippedIfds };
}
