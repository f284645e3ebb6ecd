/**
 * Lossless JPEG decoder (ITU T.81 process 14: SOF3, Huffman coding), the compression DNG
 * calls "JPEG" (Compression 7) for raw CFA and LinearRaw data.
 *
 * Supports predictors 1–7, point transform, precision 2–16, 1–4 components with 1x1 sampling,
 * several scans, DHT/DRI between scans, restart markers and the 16-bit difference case.
 * Every malformed stream ends in a TapetumError ('corrupt', 'truncated', 'unsupported',
 * 'too-large'); the output is only allocated after its size is checked.
 */
import { TapetumError } from '../errors';

export interface LosslessJpegImage {
  /** Samples per line of each component (X in SOF3). */
  width: number;
  height: number;
  components: number;
  /** Sample precision P. */
  bits: number;
  /** Samples interleaved by component, row-major: data[(y * width + x) * components + c]. */
  data: Uint16Array;
}

export const DEFAULT_MAX_SAMPLES = 250e6;

/** Marker codes (the byte after 0xFF) used by both the decoder and the encoder. */
export const Marker = {
  SOF3: 0xc3,
  DHT: 0xc4,
  RST0: 0xd0,
  SOI: 0xd8,
  EOI: 0xd9,
  SOS: 0xda,
  DRI: 0xdd,
} as const;

/** Bits looked up at once when decoding a Huffman code; longer codes take the slow path. */
const LOOKAHEAD = 12;

/**
 * One Huffman table prepared for decoding. `fast` is indexed by the next LOOKAHEAD bits:
 * 0 = code longer than LOOKAHEAD; otherwise bits 0–4 = bits to consume, bits 5–9 = SSSS
 * still to read as extra bits (0 when the difference is already complete), bits 10+ = the
 * difference (signed).
 */
interface HuffmanDecoder {
  fast: Int32Array;
  /** Largest code of each length (index 1–16), -1 when none. */
  maxCode: Int32Array;
  /** values[valueOffset[len] + code] is the symbol of a code of that length. */
  valueOffset: Int32Array;
  values: Uint8Array;
}

/** The signed difference encoded by SSSS category `ssss` and its `ssss` extra bits. */
function extendDifference(bits: number, ssss: number): number {
  if (ssss === 16) return 32768;
  return bits < 1 << (ssss - 1) ? bits - (1 << ssss) + 1 : bits;
}

function buildHuffmanDecoder(counts: Uint8Array, values: Uint8Array): HuffmanDecoder {
  const fast = new Int32Array(1 << LOOKAHEAD);
  const maxCode = new Int32Array(17).fill(-1);
  const valueOffset = new Int32Array(17);
  let code = 0;
  let k = 0;
  for (let len = 1; len <= 16; len++) {
    const n = counts[len - 1];
    valueOffset[len] = k - code;
    for (let j = 0; j < n; j++, k++, code++) {
      if (code >= 1 << len) {
        throw new TapetumError('corrupt', 'The lossless JPEG data has an invalid Huffman table (too many codes).');
      }
      if (len <= LOOKAHEAD) fillFastEntries(fast, code, len, values[k]);
    }
    if (n > 0) maxCode[len] = code - 1;
    code <<= 1;
  }
  return { fast, maxCode, valueOffset, values };
}

function fillFastEntries(fast: Int32Array, code: number, len: number, ssss: number): void {
  const free = LOOKAHEAD - len;
  const first = code << free;
  for (let suffix = 0; suffix < 1 << free; suffix++) {
    let entry: number;
    if (ssss === 0 || ssss === 16) {
      entry = ((ssss === 0 ? 0 : 32768) << 10) | len;
    } else if (len + ssss <= LOOKAHEAD) {
      const extra = (suffix >> (free - ssss)) & ((1 << ssss) - 1);
      entry = (extendDifference(extra, ssss) * 1024) | (len + ssss);
    } else {
      entry = (ssss << 5) | len;
    }
    fast[first | suffix] = entry;
  }
}

interface FrameComponent {
  id: number;
  index: number;
  decoded: boolean;
}

interface Frame {
  bits: number;
  width: number;
  height: number;
  components: FrameComponent[];
  data: Uint16Array;
}

interface Scan {
  components: FrameComponent[];
  tables: HuffmanDecoder[];
  predictor: number;
  pointTransform: number;
}

/** Decoder state shared by the marker parser and the scan decoder. */
interface Stream {
  bytes: Uint8Array;
  pos: number;
  tables: (HuffmanDecoder | undefined)[];
  restartInterval: number;
  frame?: Frame;
  maxSamples: number;
}

function corrupt(message: string): TapetumError {
  return new TapetumError('corrupt', `The lossless JPEG data is damaged: ${message}`);
}

function truncated(): TapetumError {
  return new TapetumError(
    'truncated',
    'The lossless JPEG image data ends early; the file is probably cut off (an incomplete copy or download).',
  );
}

function readU16(s: Stream, at: number): number {
  if (at + 2 > s.bytes.length) throw truncated();
  return (s.bytes[at] << 8) | s.bytes[at + 1];
}

/**
 * Decodes a complete lossless JPEG stream. `maxSamples` caps width * height * components
 * before anything is allocated.
 */
export function decodeLosslessJpeg(bytes: Uint8Array, maxSamples = DEFAULT_MAX_SAMPLES): LosslessJpegImage {
  const s: Stream = { bytes, pos: 0, tables: [], restartInterval: 0, maxSamples };
  if (bytes.length < 2 || bytes[0] !== 0xff || bytes[1] !== Marker.SOI) {
    throw corrupt('it does not start with a JPEG start-of-image marker.');
  }
  s.pos = 2;
  for (;;) {
    const marker = nextMarker(s);
    if (marker === Marker.EOI) break;
    if (marker >= Marker.RST0 && marker <= Marker.RST0 + 7) throw corrupt('a restart marker appears outside image data.');
    if (marker === 0x01) continue; // TEM has no length
    const length = readU16(s, s.pos);
    if (length < 2) throw corrupt(`marker 0xFF${hex(marker)} has an impossible length ${length}.`);
    const end = s.pos + length;
    if (end > bytes.length) throw truncated();
    const body = bytes.subarray(s.pos + 2, end);
    s.pos = end;
    if (marker === Marker.SOF3) readFrame(s, body);
    else if (marker === Marker.DHT) readHuffmanTables(s, body);
    else if (marker === Marker.DRI) readRestartInterval(s, body);
    else if (marker === Marker.SOS) {
      decodeScan(s, readScanHeader(s, body));
      if (s.frame!.components.every((c) => c.decoded)) break;
    } else if (isOtherFrameMarker(marker)) {
      throw new TapetumError(
        'unsupported',
        `This JPEG data uses process SOF${marker - 0xc0}, not lossless JPEG (SOF3), which is the only kind decoded here.`,
      );
    }
    // APPn, COM, DQT, DNL and other segments carry nothing lossless decoding needs.
  }
  const frame = s.frame;
  if (!frame) throw corrupt('it has no frame header (SOF3).');
  if (!frame.components.every((c) => c.decoded)) throw corrupt('it ends before every colour component was decoded.');
  return {
    width: frame.width,
    height: frame.height,
    components: frame.components.length,
    bits: frame.bits,
    data: frame.data,
  };
}

function hex(byte: number): string {
  return byte.toString(16).toUpperCase().padStart(2, '0');
}

/** SOF markers of other JPEG processes (DHT 0xC4, JPG 0xC8 and DAC 0xCC are not frames). */
function isOtherFrameMarker(marker: number): boolean {
  return marker >= 0xc0 && marker <= 0xcf && marker !== Marker.SOF3 && marker !== Marker.DHT && marker !== 0xc8 && marker !== 0xcc;
}

/** Moves past the next marker (skipping fill bytes) and returns its code. */
function nextMarker(s: Stream): number {
  const bytes = s.bytes;
  let p = s.pos;
  if (p >= bytes.length) throw truncated();
  if (bytes[p] !== 0xff) throw corrupt(`expected a marker at byte ${p}.`);
  while (p < bytes.length && bytes[p] === 0xff) p++;
  if (p >= bytes.length) throw truncated();
  s.pos = p + 1;
  return bytes[p];
}

function readFrame(s: Stream, body: Uint8Array): void {
  if (s.frame) throw corrupt('it has more than one frame header.');
  if (body.length < 6) throw corrupt('the frame header is too short.');
  const bits = body[0];
  const height = (body[1] << 8) | body[2];
  const width = (body[3] << 8) | body[4];
  const count = body[5];
  if (bits < 2 || bits > 16) throw corrupt(`sample precision ${bits} is outside 2–16 bits.`);
  if (count < 1 || count > 4) {
    throw new TapetumError('unsupported', `Lossless JPEG data with ${count} components is not supported (1–4 are).`);
  }
  if (body.length < 6 + 3 * count) throw corrupt('the frame header is too short for its components.');
  if (height === 0) {
    throw new TapetumError('unsupported', 'Lossless JPEG data whose height is given after the image (DNL) is not supported.');
  }
  if (width === 0) throw corrupt('the frame has zero width.');
  const components: FrameComponent[] = [];
  for (let k = 0; k < count; k++) {
    const id = body[6 + 3 * k];
    if (body[7 + 3 * k] !== 0x11) {
      throw new TapetumError('unsupported', 'Lossless JPEG data with subsampled components is not supported.');
    }
    if (components.some((c) => c.id === id)) throw corrupt(`component ${id} is defined twice.`);
    components.push({ id, index: k, decoded: false });
  }
  const samples = width * height * count;
  if (samples > s.maxSamples) {
    throw new TapetumError(
      'too-large',
      `The lossless JPEG image (${width}x${height}, ${count} components) is larger than the ${s.maxSamples} samples allowed.`,
    );
  }
  // Every sample takes at least one bit (the shortest Huffman code), so a stream too short
  // to hold the frame is cut off; saying so now avoids allocating for data that is not there.
  if (samples > (s.bytes.length - s.pos) * 8) {
    throw new TapetumError(
      'truncated',
      `The lossless JPEG data (${s.bytes.length} bytes) is too short for its ${width}x${height} image; the file is probably cut off.`,
    );
  }
  s.frame = { bits, width, height, components, data: new Uint16Array(samples) };
}

function readHuffmanTables(s: Stream, body: Uint8Array): void {
  let p = 0;
  while (p < body.length) {
    const tableClass = body[p] >> 4;
    const id = body[p] & 15;
    if (tableClass > 1 || id > 3) throw corrupt(`Huffman table class ${tableClass} / id ${id} is invalid.`);
    if (p + 17 > body.length) throw corrupt('a Huffman table is cut short.');
    const counts = body.subarray(p + 1, p + 17);
    let total = 0;
    for (let i = 0; i < 16; i++) total += counts[i];
    if (total === 0 || total > 256) throw corrupt(`a Huffman table has ${total} codes.`);
    if (p + 17 + total > body.length) throw corrupt('a Huffman table is cut short.');
    const values = body.slice(p + 17, p + 17 + total);
    p += 17 + total;
    // Lossless scans use only DC-class tables; an AC-class one is valid JPEG but irrelevant.
    if (tableClass === 1) continue;
    if (values.some((v) => v > 16)) throw corrupt('a Huffman table holds a difference category above 16.');
    s.tables[id] = buildHuffmanDecoder(counts, values);
  }
}

function readRestartInterval(s: Stream, body: Uint8Array): void {
  if (body.length < 2) throw corrupt('the restart interval segment is too short.');
  s.restartInterval = (body[0] << 8) | body[1];
}

function readScanHeader(s: Stream, body: Uint8Array): Scan {
  const frame = s.frame;
  if (!frame) throw corrupt('image data starts before the frame header.');
  const count = body[0];
  if (count < 1 || count > frame.components.length || body.length < 4 + 2 * count) {
    throw corrupt('the scan header is invalid.');
  }
  const components: FrameComponent[] = [];
  const tables: HuffmanDecoder[] = [];
  for (let k = 0; k < count; k++) {
    const component = frame.components.find((c) => c.id === body[1 + 2 * k]);
    if (!component || component.decoded || components.includes(component)) {
      throw corrupt(`the scan names component ${body[1 + 2 * k]}, which is unknown or already decoded.`);
    }
    const tableId = body[2 + 2 * k] >> 4;
    const table = tableId < 4 ? s.tables[tableId] : undefined;
    if (!table) throw corrupt(`the scan uses Huffman table ${tableId}, which is not defined.`);
    components.push(component);
    tables.push(table);
  }
  const predictor = body[1 + 2 * count];
  const pointTransform = body[3 + 2 * count] & 15;
  if (predictor < 1 || predictor > 7) throw corrupt(`predictor ${predictor} is not one of 1–7.`);
  if (pointTransform >= frame.bits) throw corrupt(`point transform ${pointTransform} is not below the precision.`);
  if (s.restartInterval % frame.width !== 0) {
    throw new TapetumError(
      'unsupported',
      `Lossless JPEG restart intervals must span whole lines (interval ${s.restartInterval}, line ${frame.width}).`,
    );
  }
  return { components, tables, predictor, pointTransform };
}

/**
 * Huffman bit reader over the entropy-coded segment. `buf` holds `count` valid bits in its
 * low end. Past the end of the data or at a marker it feeds zero bytes and counts them in
 * `fake`; consuming any of those means the data ended early, which is checked once per line
 * (so damaged data costs at most one line of work). The hot loop keeps this state in locals
 * and tops the buffer up inline (twice: before a code and before its extra bits) for speed.
 */
class EntropyReader {
  buf = 0;
  count = 0;
  fake = 0;

  constructor(
    private readonly bytes: Uint8Array,
    public pos: number,
  ) {}

  /** Decodes `diffs.length` differences, cycling through `tables` (one per scan component). */
  decodeLine(diffs: Int32Array, tables: HuffmanDecoder[]): void {
    const ns = tables.length;
    const bytes = this.bytes;
    let { buf, count, fake, pos } = this;
    let k = 0;
    for (let d = 0; d < diffs.length; d++) {
      const table = tables[k];
      if (++k === ns) k = 0;
      if (count < 16) {
        for (; count <= 24; count += 8) {
          const b = entropyByte(bytes, pos);
          if (b < 0) fake += 8;
          else pos += b === 0xff ? 2 : 1;
          buf = (buf << 8) | (b & 0xff);
        }
      }
      let entry = table.fast[(buf >>> (count - LOOKAHEAD)) & ((1 << LOOKAHEAD) - 1)];
      if (entry === 0) {
        entry = slowDecode(table, (buf >>> (count - 16)) & 0xffff);
        if (entry === 0) {
          throw count - 16 < fake && pos >= bytes.length
            ? truncated()
            : corrupt('it contains a Huffman code that its table does not define.');
        }
      }
      count -= entry & 31;
      const ssss = (entry >> 5) & 31;
      if (ssss === 0) {
        diffs[d] = entry >> 10;
      } else {
        if (count < ssss) {
          for (; count <= 24; count += 8) {
            const b = entropyByte(bytes, pos);
            if (b < 0) fake += 8;
            else pos += b === 0xff ? 2 : 1;
            buf = (buf << 8) | (b & 0xff);
          }
        }
        count -= ssss;
        diffs[d] = extendDifference((buf >>> count) & ((1 << ssss) - 1), ssss);
      }
    }
    this.buf = buf;
    this.count = count;
    this.fake = fake;
    this.pos = pos;
    if (count < fake) throw this.endedEarly();
  }

  /** Skips the restart marker that must follow an interval and empties the bit buffer. */
  restart(expected: number): void {
    const at = findMarker(this.bytes, this.pos);
    if (at >= this.bytes.length) throw truncated();
    if (this.bytes[at + 1] !== Marker.RST0 + expected) {
      throw corrupt(`restart marker RST${expected} is missing (found 0xFF${hex(this.bytes[at + 1])}).`);
    }
    this.pos = at + 2;
    this.buf = this.count = this.fake = 0;
  }

  private endedEarly(): TapetumError {
    const { bytes, pos } = this;
    if (pos + 1 >= bytes.length) return truncated();
    return corrupt(`image data stops at marker 0xFF${hex(bytes[pos + 1])} before the image is complete.`);
  }
}

/**
 * The entropy-coded byte at `pos`: its value (a stuffed 0xFF 0x00 reads as 0xFF and is two
 * bytes long), or -256 at a marker or past the end (so that `& 0xFF` feeds a zero byte).
 */
function entropyByte(bytes: Uint8Array, pos: number): number {
  if (pos >= bytes.length) return -256;
  const b = bytes[pos];
  if (b !== 0xff) return b;
  return pos + 1 < bytes.length && bytes[pos + 1] === 0 ? b : -256;
}

/** Decodes the entropy-coded data of one scan into the frame. */
function decodeScan(s: Stream, scan: Scan): void {
  const frame = s.frame!;
  const out = frame.data;
  const nc = frame.components.length;
  const width = frame.width;
  const bitsKept = frame.bits - scan.pointTransform;
  const line: LineLayout = {
    step: nc,
    lineStep: width * nc,
    width,
    mask: (1 << bitsKept) - 1,
    initial: 1 << (bitsKept - 1),
    predictor: scan.predictor,
  };
  const offsets = scan.components.map((c) => c.index);
  const diffs = new Int32Array(width * offsets.length);
  const linesPerInterval = s.restartInterval / width;
  const reader = new EntropyReader(s.bytes, s.pos);
  let intervalStart = 0;
  for (let y = 0; y < frame.height; y++) {
    if (linesPerInterval > 0 && y > 0 && y % linesPerInterval === 0) {
      reader.restart((y / linesPerInterval - 1) & 7);
      intervalStart = y;
    }
    reader.decodeLine(diffs, scan.tables);
    for (let k = 0; k < offsets.length; k++) {
      reconstructLine(out, y * line.lineStep + offsets[k], diffs, k, offsets.length, y === intervalStart, line);
    }
  }
  if (scan.pointTransform > 0) shiftComponents(out, nc, offsets, scan.pointTransform);
  for (const c of scan.components) c.decoded = true;
  s.pos = findMarker(s.bytes, reader.pos);
}

interface LineLayout {
  /** Distance between horizontally adjacent samples of a component. */
  step: number;
  /** Distance between vertically adjacent samples. */
  lineStep: number;
  width: number;
  /** 2^(P-Pt) - 1: reconstruction is modulo 2^16, which for valid data equals modulo 2^(P-Pt). */
  mask: number;
  /** Prediction for the first sample of a scan or restart interval, 2^(P-Pt-1). */
  initial: number;
  predictor: number;
}

/**
 * Adds one line of one component's differences (diffs[first], diffs[first + stride], ...) to
 * their predictions (T.81 H.1.2.1): the first line of a scan or restart interval predicts
 * from the left (its first sample from 2^(P-Pt-1)), other lines start from the sample above,
 * and the rest uses the scan's predictor. One loop per predictor keeps the hot path branch-free.
 */
function reconstructLine(
  out: Uint16Array,
  start: number,
  diffs: Int32Array,
  first: number,
  stride: number,
  firstLine: boolean,
  line: LineLayout,
): void {
  const { step, lineStep, mask } = line;
  const end = start + line.width * step;
  out[start] = ((firstLine ? line.initial : out[start - lineStep]) + diffs[first]) & mask;
  let d = first + stride;
  const psv = firstLine ? 1 : line.predictor;
  let i = start + step;
  switch (psv) {
    case 1:
      for (; i < end; i += step, d += stride) out[i] = (out[i - step] + diffs[d]) & mask;
      break;
    case 2:
      for (; i < end; i += step, d += stride) out[i] = (out[i - lineStep] + diffs[d]) & mask;
      break;
    case 3:
      for (; i < end; i += step, d += stride) out[i] = (out[i - lineStep - step] + diffs[d]) & mask;
      break;
    case 4:
      for (; i < end; i += step, d += stride) {
        out[i] = (out[i - step] + out[i - lineStep] - out[i - lineStep - step] + diffs[d]) & mask;
      }
      break;
    case 5:
      for (; i < end; i += step, d += stride) {
        out[i] = (out[i - step] + ((out[i - lineStep] - out[i - lineStep - step]) >> 1) + diffs[d]) & mask;
      }
      break;
    case 6:
      for (; i < end; i += step, d += stride) {
        out[i] = (out[i - lineStep] + ((out[i - step] - out[i - lineStep - step]) >> 1) + diffs[d]) & mask;
      }
      break;
    default:
      for (; i < end; i += step, d += stride) out[i] = (((out[i - step] + out[i - lineStep]) >> 1) + diffs[d]) & mask;
  }
}

/**
 * Decodes a code longer than LOOKAHEAD bits from the next 16 bits, in the `fast` entry format
 * with SSSS left to read; 0 when no code matches.
 */
function slowDecode(table: HuffmanDecoder, next16: number): number {
  for (let len = LOOKAHEAD + 1; len <= 16; len++) {
    const code = next16 >>> (16 - len);
    if (code <= table.maxCode[len]) {
      const ssss = table.values[table.valueOffset[len] + code];
      return ssss === 16 ? (32768 << 10) | len : (ssss << 5) | len;
    }
  }
  return 0;
}

function shiftComponents(out: Uint16Array, nc: number, offsets: number[], shift: number): void {
  for (const offset of offsets) {
    for (let i = offset; i < out.length; i += nc) out[i] <<= shift;
  }
}

/** Position of the next marker at or after `pos` (padding or junk before it is skipped). */
function findMarker(bytes: Uint8Array, pos: number): number {
  for (let p = pos; p + 1 < bytes.length; p++) {
    if (bytes[p] === 0xff && bytes[p + 1] !== 0 && bytes[p + 1] !== 0xff) return p;
  }
  return bytes.length;
}
