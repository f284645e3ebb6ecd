/**
 * Sequential DCT JPEG (ITU T.81 baseline/extended: SOF0/SOF1, Huffman), 8 or 12 bits, one
 * component or several without subsampling. Two users: CFA tiles that some cameras
 * (Blackmagic "lossy CinemaDNG") store as 12-bit DCT JPEG under Compression 7, and the 8-bit
 * lossy LinearRaw tiles of Compression 34892 in Node.
 *
 * The inverse DCT runs in single precision (every product and sum rounded to float32), the
 * arithmetic of LibRaw's DCT decoder, so CFA tiles decode to exactly its values.
 */
import { TapetumError } from '../errors';
import { Marker } from './ljpeg';

export interface DctJpegImage {
  width: number;
  height: number;
  components: number;
  bits: number;
  /** Samples interleaved by component, row-major. */
  data: Uint16Array;
  /** True when 3 components are YCbCr (JFIF default, or an Adobe APP14 transform flag). */
  ycbcr: boolean;
}

export interface DctDecodeOptions {
  /** Largest width * height * components to allocate. */
  maxSamples: number;
  /**
   * Clamp samples to 2^bits - 1 as T.81 does. Raw CFA tiles are left unclamped up to 65535,
   * like LibRaw, since their LinearizationTable may extend past 2^bits.
   */
  clampToPrecision: boolean;
}

const SOF0 = 0xc0;
const SOF1 = 0xc1;
const DQT = 0xdb;
const APP14 = 0xee;

function corrupt(message: string): TapetumError {
  return new TapetumError('corrupt', `The JPEG image data is damaged: ${message}`);
}

function truncated(): TapetumError {
  return new TapetumError('truncated', 'The JPEG image data ends early; the file is probably cut off (an incomplete copy).');
}

/** A marker segment: its code and body (the bytes after the length field). */
interface Segment {
  marker: number;
  body: Uint8Array;
  end: number;
}

/** Reads the marker segment at `pos` (which must hold 0xFF); EOI has no body. */
function readSegment(bytes: Uint8Array, pos: number): Segment {
  if (pos + 2 > bytes.length) throw truncated();
  if (bytes[pos] !== 0xff) throw corrupt(`expected a marker at byte ${pos}.`);
  const marker = bytes[pos + 1];
  if (marker === Marker.EOI) return { marker, body: bytes.subarray(0, 0), end: pos + 2 };
  if (pos + 4 > bytes.length) throw truncated();
  const length = (bytes[pos + 2] << 8) | bytes[pos + 3];
  const end = pos + 2 + length;
  if (length < 2) throw corrupt(`a marker segment has length ${length}.`);
  if (end > bytes.length) throw truncated();
  return { marker, body: bytes.subarray(pos + 4, end), end };
}

function startsWithSoi(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0xff && bytes[1] === Marker.SOI;
}

/** The frame (SOFn) marker of a JPEG stream, or undefined when none precedes the first scan. */
export function jpegFrameMarker(bytes: Uint8Array): number | undefined {
  if (!startsWithSoi(bytes)) return undefined;
  for (let pos = 2; pos + 2 <= bytes.length; ) {
    const { marker, end } = readSegment(bytes, pos);
    if (isFrameMarker(marker)) return marker;
    if (marker === Marker.SOS || marker === Marker.EOI) return undefined;
    pos = end;
  }
  return undefined;
}

/** Natural (row-major) index of the k-th coefficient in zig-zag order (T.81 figure A.6). */
const ZIGZAG = new Uint8Array([
  0, 1, 8, 16, 9, 2, 3, 10, 17, 24, 32, 25, 18, 11, 4, 5, 12, 19, 26, 33, 40, 48, 41, 34, 27, 20, 13, 6, 7, 14, 21, 28, 35, 42,
  49, 56, 57, 50, 43, 36, 29, 22, 15, 23, 30, 37, 44, 51, 58, 59, 52, 45, 38, 31, 39, 46, 53, 60, 61, 54, 47, 55, 62, 63,
]);

/** Huffman lookup over the next 16 bits: (code length << 8) | value, 0 for undefined codes. */
function buildHuffmanLookup(counts: Uint8Array, values: Uint8Array): Uint16Array {
  const lookup = new Uint16Array(1 << 16);
  let code = 0;
  let k = 0;
  for (let length = 1; length <= 16; length++) {
    for (let n = 0; n < counts[length - 1]; n++, k++, code++) {
      if (code >= 1 << length) throw corrupt('a Huffman table has too many codes.');
      const shift = 16 - length;
      lookup.fill((length << 8) | values[k], code << shift, (code + 1) << shift);
    }
    code <<= 1;
  }
  return lookup;
}

/** MSB-first reader of entropy-coded bits; reads zero bits past the data and counts them. */
class BitReader {
  private buf = 0;
  private count = 0;
  private padding = 0;

  constructor(
    private readonly bytes: Uint8Array,
    private pos: number,
  ) {}

  private fill(): void {
    const bytes = this.bytes;
    while (this.count <= 24) {
      let b = 0;
      const p = this.pos;
      if (p < bytes.length && bytes[p] !== 0xff) {
        b = bytes[p];
        this.pos++;
      } else if (p + 1 < bytes.length && bytes[p] === 0xff && bytes[p + 1] === 0) {
        b = 0xff;
        this.pos += 2;
      } else {
        this.padding += 8;
      }
      this.buf = ((this.buf << 8) | b) >>> 0;
      this.count += 8;
    }
  }

  decode(lookup: Uint16Array): number {
    if (this.count < 16) this.fill();
    const entry = lookup[(this.buf >>> (this.count - 16)) & 0xffff];
    if (entry === 0) throw this.ranOut() ? truncated() : corrupt('it contains an undefined Huffman code.');
    this.count -= entry >> 8;
    return entry & 0xff;
  }

  /** `n` raw bits as the signed value they encode (T.81 F.2.2.1 EXTEND). */
  receiveExtend(n: number): number {
    if (n === 0) return 0;
    if (this.count < n) this.fill();
    this.count -= n;
    const v = (this.buf >>> this.count) & ((1 << n) - 1);
    return v < 1 << (n - 1) ? v - (1 << n) + 1 : v;
  }

  /** Byte position of the next unread entropy-coded byte. */
  get position(): number {
    return this.pos;
  }

  ranOut(): boolean {
    return this.padding > this.count;
  }

  /** Skips the restart marker that ends an interval. */
  restart(): void {
    if (this.ranOut()) throw truncated();
    let p = this.pos;
    while (p + 1 < this.bytes.length && !(this.bytes[p] === 0xff && this.bytes[p + 1] >= Marker.RST0 && this.bytes[p + 1] <= Marker.RST0 + 7)) p++;
    if (p + 1 >= this.bytes.length) throw truncated();
    this.pos = p + 2;
    this.buf = this.count = this.padding = 0;
  }
}

interface Tables {
  quant: (Uint16Array | undefined)[];
  dc: (Uint16Array | undefined)[];
  ac: (Uint16Array | undefined)[];
  /** Tables defined so far; a real stream defines a handful, a damaged one may claim thousands. */
  defined: number;
}

const MAX_TABLE_DEFINITIONS = 64;

function countDefinition(tables: Tables): void {
  if (++tables.defined > MAX_TABLE_DEFINITIONS) throw corrupt('it defines too many tables.');
}

function readQuantTables(body: Uint8Array, tables: Tables): void {
  for (let p = 0; p < body.length; ) {
    const precision = body[p] >> 4;
    const id = body[p] & 15;
    const size = precision === 0 ? 1 : 2;
    if (precision > 1 || id > 3 || p + 1 + 64 * size > body.length) throw corrupt('a quantization table is invalid.');
    countDefinition(tables);
    const table = new Uint16Array(64);
    for (let k = 0; k < 64; k++) {
      const at = p + 1 + k * size;
      table[k] = size === 1 ? body[at] : (body[at] << 8) | body[at + 1];
    }
    tables.quant[id] = table;
    p += 1 + 64 * size;
  }
}

function readHuffmanTables(body: Uint8Array, tables: Tables): void {
  for (let p = 0; p < body.length; ) {
    const tableClass = body[p] >> 4;
    const id = body[p] & 15;
    if (tableClass > 1 || id > 3 || p + 17 > body.length) throw corrupt('a Huffman table is invalid.');
    const counts = body.subarray(p + 1, p + 17);
    const total = counts.reduce((a, b) => a + b, 0);
    if (p + 17 + total > body.length) throw corrupt('a Huffman table is cut short.');
    countDefinition(tables);
    (tableClass === 0 ? tables.dc : tables.ac)[id] = buildHuffmanLookup(counts, body.subarray(p + 17, p + 17 + total));
    p += 17 + total;
  }
}

interface FrameComponent {
  id: number;
  index: number;
  quantId: number;
  decoded: boolean;
}

interface Frame {
  bits: number;
  width: number;
  height: number;
  components: FrameComponent[];
  data: Uint16Array;
}

function readFrame(marker: number, body: Uint8Array, maxSamples: number): Frame {
  if (marker !== SOF0 && marker !== SOF1) {
    throw new TapetumError('unsupported', `JPEG process SOF${marker - SOF0} is not supported (sequential DCT SOF0/SOF1 is).`);
  }
  if (body.length < 6) throw corrupt('the frame header is too short.');
  const bits = body[0];
  const height = (body[1] << 8) | body[2];
  const width = (body[3] << 8) | body[4];
  const count = body[5];
  if (bits !== 8 && bits !== 12) throw corrupt(`sample precision ${bits} is not 8 or 12 bits.`);
  if (count < 1 || count > 4 || body.length < 6 + 3 * count) throw corrupt(`the frame header lists ${count} components.`);
  if (width === 0 || height === 0) throw corrupt('the frame has no pixels.');
  const components: FrameComponent[] = [];
  for (let k = 0; k < count; k++) {
    const sampling = body[7 + 3 * k];
    if (count > 1 && sampling !== 0x11) {
      throw new TapetumError('unsupported', 'DCT JPEG data with subsampled colour components is not supported here.');
    }
    components.push({ id: body[6 + 3 * k], index: k, quantId: body[8 + 3 * k] & 3, decoded: false });
  }
  if (width * height * count > maxSamples) {
    throw new TapetumError('too-large', `The JPEG image (${width}x${height}x${count}) is larger than the ${maxSamples} samples allowed.`);
  }
  return { bits, width, height, components, data: new Uint16Array(width * height * count) };
}

/** Adobe's APP14 segment: its transform flag says whether 3 components are YCbCr. */
function adobeTransform(body: Uint8Array): number | undefined {
  const isAdobe = body.length >= 12 && String.fromCharCode(...body.subarray(0, 5)) === 'Adobe';
  return isAdobe ? body[11] : undefined;
}

/** Decodes a sequential DCT JPEG stream (all scans). */
export function decodeDctJpeg(bytes: Uint8Array, options: DctDecodeOptions): DctJpegImage {
  if (!startsWithSoi(bytes)) throw corrupt('it does not start with a JPEG start-of-image marker.');
  const tables: Tables = { quant: [], dc: [], ac: [], defined: 0 };
  let frame: Frame | undefined;
  let restartInterval = 0;
  let transform: number | undefined;
  for (let pos = 2; ; ) {
    const segment = readSegment(bytes, pos);
    const { marker, body } = segment;
    pos = segment.end;
    if (marker === DQT) readQuantTables(body, tables);
    else if (marker === Marker.DHT) readHuffmanTables(body, tables);
    else if (marker === Marker.DRI) restartInterval = body.length >= 2 ? (body[0] << 8) | body[1] : 0;
    else if (marker === APP14) transform = adobeTransform(body) ?? transform;
    else if (marker === Marker.EOI) throw corrupt('it ends before every component was decoded.');
    else if (isFrameMarker(marker)) {
      if (frame) throw corrupt('it has more than one frame header.');
      frame = readFrame(marker, body, options.maxSamples);
    } else if (marker === Marker.SOS) {
      if (!frame) throw corrupt('image data starts before the frame header.');
      pos = decodeScan(bytes, segment, frame, tables, restartInterval, options);
      if (frame.components.every((c) => c.decoded)) {
        const { width, height, bits, data } = frame;
        const components = frame.components.length;
        return { width, height, components, bits, data, ycbcr: components === 3 && transform !== 0 };
      }
    }
  }
}

function isFrameMarker(marker: number): boolean {
  return marker >= SOF0 && marker <= 0xcf && marker !== Marker.DHT && marker !== 0xc8 && marker !== 0xcc;
}

interface ScanComponent {
  component: FrameComponent;
  dc: Uint16Array;
  ac: Uint16Array;
  quant: Uint16Array;
  prediction: number;
}

function readScanHeader(body: Uint8Array, frame: Frame, tables: Tables): ScanComponent[] {
  const count = body[0];
  if (count < 1 || count > frame.components.length || body.length < 4 + 2 * count) throw corrupt('the scan header is invalid.');
  const scan: ScanComponent[] = [];
  for (let k = 0; k < count; k++) {
    const component = frame.components.find((c) => c.id === body[1 + 2 * k]);
    if (!component || component.decoded || scan.some((s) => s.component === component)) {
      throw corrupt(`the scan names component ${body[1 + 2 * k]}, which is unknown or already decoded.`);
    }
    const dc = tables.dc[body[2 + 2 * k] >> 4];
    const ac = tables.ac[body[2 + 2 * k] & 15];
    const quant = tables.quant[component.quantId];
    if (!dc || !ac || !quant) throw corrupt('the scan uses a table that is not defined.');
    scan.push({ component, dc, ac, quant, prediction: 0 });
  }
  return scan;
}

/** Decodes one scan into the frame; returns the position of the marker that follows it. */
function decodeScan(
  bytes: Uint8Array,
  sos: Segment,
  frame: Frame,
  tables: Tables,
  restartInterval: number,
  options: DctDecodeOptions,
): number {
  const scan = readScanHeader(sos.body, frame, tables);
  const { width, height, bits } = frame;
  const stride = frame.components.length;
  const maxValue = options.clampToPrecision ? (1 << bits) - 1 : 0xffff;
  const blocksAcross = Math.ceil(width / 8);
  const blockCount = blocksAcross * Math.ceil(height / 8);
  const reader = new BitReader(bytes, sos.end);
  const coefficients = new Float32Array(64);
  const rows = new Float32Array(64);
  const pixels = new Float32Array(64);
  // The level shift 2^(bits-1), folded into the DC coefficient (which reaches every sample / 8).
  const dcStart = 8 << (bits - 1);
  for (const s of scan) s.prediction = dcStart;
  for (let block = 0; block < blockCount; block++) {
    if (restartInterval > 0 && block > 0 && block % restartInterval === 0) {
      reader.restart();
      for (const s of scan) s.prediction = dcStart;
    }
    const x0 = (block % blocksAcross) * 8;
    const y0 = Math.floor(block / blocksAcross) * 8;
    for (const s of scan) {
      decodeBlock(reader, s, coefficients);
      inverseDct(coefficients, rows, pixels);
      storeBlock(pixels, frame.data, { width, height, x0, y0, stride, offset: s.component.index, maxValue });
    }
  }
  if (reader.ranOut()) throw truncated();
  for (const s of scan) s.component.decoded = true;
  return nextMarker(bytes, reader.position);
}

/** Position of the next non-restart marker at or after `pos` (where the next segment starts). */
function nextMarker(bytes: Uint8Array, pos: number): number {
  for (let p = pos; p + 1 < bytes.length; p++) {
    const next = bytes[p + 1];
    if (bytes[p] === 0xff && next !== 0 && next !== 0xff && !(next >= Marker.RST0 && next <= Marker.RST0 + 7)) return p;
  }
  throw truncated();
}

/** Reads one block's coefficients (dequantized, natural order) into `out`. */
function decodeBlock(reader: BitReader, s: ScanComponent, out: Float32Array): void {
  out.fill(0);
  const category = reader.decode(s.dc);
  if (category > 16) throw corrupt(`a DC difference has category ${category}.`);
  s.prediction += reader.receiveExtend(category) * s.quant[0];
  out[0] = s.prediction;
  for (let k = 1; k < 64; k++) {
    const rs = reader.decode(s.ac);
    const run = rs >> 4;
    const size = rs & 15;
    if (size === 0) {
      if (run !== 15) break; // end of block
      k += 15;
      continue;
    }
    k += run;
    if (k > 63) throw corrupt('a block has more than 64 coefficients.');
    out[ZIGZAG[k]] = reader.receiveExtend(size) * s.quant[k];
  }
}

/** cos((2x+1)uπ/16) / 2 for x, u in 0..7, at [x * 8 + u], in single precision (angle reduced mod 2π). */
const COSINES = Float32Array.from({ length: 64 }, (_, i) => Math.cos(((((2 * (i >> 3) + 1) * (i & 7)) % 32) * Math.PI) / 16) / 2);
const f32 = Math.fround;

/**
 * 8x8 inverse DCT (T.81 A.3.3) as two 1-D passes, rows then columns, in float32. Zero
 * coefficients are skipped, which leaves float32 sums unchanged.
 */
function inverseDct(c: Float32Array, rows: Float32Array, out: Float32Array): void {
  for (let u = 0; u < 8; u++) c[u] = f32(c[u] * Math.SQRT1_2);
  for (let v = 0; v < 8; v++) c[v * 8] = f32(c[v * 8] * Math.SQRT1_2);
  rows.fill(0);
  for (let v = 0; v < 8; v++) {
    for (let u = 0; u < 8; u++) {
      const coefficient = c[v * 8 + u];
      if (coefficient === 0) continue;
      for (let x = 0; x < 8; x++) rows[v * 8 + x] = f32(rows[v * 8 + x] + f32(coefficient * COSINES[x * 8 + u]));
    }
  }
  out.fill(0);
  for (let v = 0; v < 8; v++) {
    for (let x = 0; x < 8; x++) {
      const value = rows[v * 8 + x];
      if (value === 0) continue;
      for (let y = 0; y < 8; y++) out[y * 8 + x] = f32(out[y * 8 + x] + f32(value * COSINES[y * 8 + v]));
    }
  }
}

interface BlockPlacement {
  width: number;
  height: number;
  x0: number;
  y0: number;
  /** Components per pixel in the output, and this component's index. */
  stride: number;
  offset: number;
  maxValue: number;
}

/** Rounds a decoded block into the image, dropping the parts of edge blocks outside it. */
function storeBlock(pixels: Float32Array, data: Uint16Array, p: BlockPlacement): void {
  for (let y = 0; y < 8 && p.y0 + y < p.height; y++) {
    for (let x = 0; x < 8 && p.x0 + x < p.width; x++) {
      const value = Math.trunc(pixels[y * 8 + x] + 0.5);
      data[((p.y0 + y) * p.width + p.x0 + x) * p.stride + p.offset] = value < 0 ? 0 : value > p.maxValue ? p.maxValue : value;
    }
  }
}

/**
 * YCbCr (JFIF) to RGB with the 16-bit fixed-point constants and rounding of libjpeg, the
 * decoder behind LibRaw and most browsers.
 */
export function ycbcrToRgb(ycc: Uint16Array): Uint8Array {
  const rgb = new Uint8Array(ycc.length);
  const clamp = (v: number) => (v < 0 ? 0 : v > 255 ? 255 : v);
  for (let i = 0; i < ycc.length; i += 3) {
    const y = ycc[i];
    const cb = ycc[i + 1] - 128;
    const cr = ycc[i + 2] - 128;
    rgb[i] = clamp(y + ((91881 * cr + 32768) >> 16));
    rgb[i + 1] = clamp(y + ((-22554 * cb - 46802 * cr + 32768) >> 16));
    rgb[i + 2] = clamp(y + ((116130 * cb + 32768) >> 16));
  }
  return rgb;
}
