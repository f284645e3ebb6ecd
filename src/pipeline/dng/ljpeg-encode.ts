/**
 * Lossless JPEG encoder (ITU T.81 process 14, SOF3, Huffman), used to write compressed DNGs
 * and to make test streams. One scan holds all components interleaved; each component gets a
 * Huffman table built from the histogram of its difference categories (T.81 Annex K.2/K.3).
 */
import { TapetumError } from '../errors';
import { Marker } from './ljpeg';

export interface LosslessJpegEncodeOptions {
  /** Predictor 1–7 (default 1). */
  predictor?: number;
  /** Restart interval in MCUs (samples per component); must be a whole number of lines. 0 = none. */
  restartInterval?: number;
  /** Point transform Pt: samples are stored divided by 2^Pt (their low bits are dropped). */
  pointTransform?: number;
}

/**
 * Prediction for the sample at index i (T.81 H.1.2.1): the first line of a scan or restart
 * interval predicts from the left neighbour (its first sample from 2^(P-Pt-1)), every other
 * line starts from the sample above, and the rest uses predictor `psv` (1–7). The decoder
 * applies the same rules line by line (reconstructLine); round-trip tests keep them in step.
 * `step` is the distance between horizontally adjacent samples, `lineStep` between lines.
 */
function predictSample(
  samples: Uint16Array,
  i: number,
  x: number,
  firstLine: boolean,
  step: number,
  lineStep: number,
  psv: number,
  initial: number,
): number {
  if (firstLine) return x === 0 ? initial : samples[i - step];
  if (x === 0) return samples[i - lineStep];
  const ra = samples[i - step];
  const rb = samples[i - lineStep];
  const rc = samples[i - lineStep - step];
  switch (psv) {
    case 1:
      return ra;
    case 2:
      return rb;
    case 3:
      return rc;
    case 4:
      return ra + rb - rc;
    case 5:
      return ra + ((rb - rc) >> 1);
    case 6:
      return rb + ((ra - rc) >> 1);
    default:
      return (ra + rb) >> 1;
  }
}

/** Difference category SSSS of a difference in [-32768, 32767] (-32768 is category 16). */
function category(diff: number): number {
  return diff === -32768 ? 16 : 32 - Math.clz32(Math.abs(diff));
}

export function encodeLosslessJpeg(
  data: Uint16Array,
  width: number,
  height: number,
  components: number,
  bits: number,
  options: LosslessJpegEncodeOptions = {},
): Uint8Array {
  const predictor = options.predictor ?? 1;
  const restartInterval = options.restartInterval ?? 0;
  const pt = options.pointTransform ?? 0;
  checkArguments(data, width, height, components, bits, predictor, restartInterval, pt);
  const diffs = differences(data, width, height, components, bits, predictor, restartInterval, pt);
  const tables = Array.from({ length: components }, (_, c) => buildTable(histogram(diffs, c, components)));

  const w = new ByteWriter(data.length + 1024);
  w.marker(Marker.SOI);
  writeFrameHeader(w, width, height, components, bits);
  writeHuffmanTables(w, tables);
  if (restartInterval > 0) {
    w.marker(Marker.DRI);
    w.u16(4);
    w.u16(restartInterval);
  }
  writeScanHeader(w, components, predictor, pt);
  const linesPerInterval = restartInterval / width;
  for (let y = 0; y < height; y++) {
    if (linesPerInterval > 0 && y > 0 && y % linesPerInterval === 0) {
      w.flushBits();
      w.marker(Marker.RST0 + ((y / linesPerInterval - 1) & 7));
    }
    for (let i = y * width * components; i < (y + 1) * width * components; i++) {
      const diff = diffs[i];
      const ssss = category(diff);
      const table = tables[i % components];
      w.bits(table.codes[ssss], table.lengths[ssss]);
      if (ssss > 0 && ssss < 16) w.bits(diff < 0 ? diff - 1 + (1 << ssss) : diff, ssss);
    }
  }
  w.flushBits();
  w.marker(Marker.EOI);
  return w.result();
}

function checkArguments(
  data: Uint16Array,
  width: number,
  height: number,
  components: number,
  bits: number,
  predictor: number,
  restartInterval: number,
  pt: number,
): void {
  const fail = (what: string) => {
    throw new TapetumError('internal', `Cannot encode lossless JPEG: ${what}.`);
  };
  if (!(width >= 1 && width <= 65535 && height >= 1 && height <= 65535)) fail(`size ${width}x${height}`);
  if (!(components >= 1 && components <= 4)) fail(`${components} components`);
  if (!(bits >= 2 && bits <= 16)) fail(`${bits} bits`);
  if (data.length !== width * height * components) fail('data length does not match the size');
  if (!(predictor >= 1 && predictor <= 7)) fail(`predictor ${predictor}`);
  if (!(pt >= 0 && pt < bits)) fail(`point transform ${pt}`);
  if (!(restartInterval >= 0 && restartInterval <= 65535 && restartInterval % width === 0)) {
    fail(`restart interval ${restartInterval} (must be whole lines of ${width})`);
  }
  const limit = 1 << bits;
  for (let i = 0; i < data.length; i++) if (data[i] >= limit) fail(`sample ${data[i]} exceeds ${bits} bits`);
}

/** Differences from the prediction, in [-32768, 32767], one per sample in stream order. */
function differences(
  data: Uint16Array,
  width: number,
  height: number,
  nc: number,
  bits: number,
  psv: number,
  restartInterval: number,
  pt: number,
): Int32Array {
  const reduced = pt > 0 ? data.map((v) => v >> pt) : data;
  const initial = 1 << (bits - pt - 1);
  const linesPerInterval = restartInterval / width;
  const lineStep = width * nc;
  const diffs = new Int32Array(data.length);
  for (let y = 0; y < height; y++) {
    const firstLine = linesPerInterval > 0 ? y % linesPerInterval === 0 : y === 0;
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < nc; c++) {
        const i = y * lineStep + x * nc + c;
        const pred = predictSample(reduced, i, x, firstLine, nc, lineStep, psv, initial);
        diffs[i] = (((reduced[i] - pred) & 0xffff) << 16) >> 16;
      }
    }
  }
  return diffs;
}

function histogram(diffs: Int32Array, component: number, nc: number): Float64Array {
  const freq = new Float64Array(17);
  for (let i = component; i < diffs.length; i += nc) freq[category(diffs[i])]++;
  return freq;
}

interface HuffmanEncoder {
  /** BITS: number of codes of each length 1–16. */
  counts: Uint8Array;
  /** HUFFVAL: categories in code order. */
  values: Uint8Array;
  codes: Uint16Array;
  lengths: Uint8Array;
}

/**
 * Optimal Huffman code lengths limited to 16 bits, with the all-ones code kept free
 * (T.81 K.2: a reserved symbol with frequency 1 takes the longest code, then is dropped).
 */
function buildTable(freq: Float64Array): HuffmanEncoder {
  const symbolCount = 18; // categories 0–16 and the reserved symbol 17
  const weights = Array.from(freq);
  weights.push(1);
  const depth = new Array<number>(symbolCount).fill(0);
  // Each node is the list of symbols below it; merging two nodes deepens all their symbols.
  let nodes = weights.map((wt, sym) => ({ weight: wt, symbols: [sym] })).filter((n) => n.weight > 0);
  while (nodes.length > 1) {
    // The reserved symbol (merged first on ties) ends up among the deepest.
    nodes.sort((a, b) => a.weight - b.weight || Number(b.symbols.includes(17)) - Number(a.symbols.includes(17)));
    const [a, b] = nodes;
    for (const sym of [...a.symbols, ...b.symbols]) depth[sym]++;
    nodes = [{ weight: a.weight + b.weight, symbols: [...a.symbols, ...b.symbols] }, ...nodes.slice(2)];
  }
  const bitsCount = new Array<number>(33).fill(0);
  for (let sym = 0; sym < symbolCount; sym++) if (depth[sym] > 0) bitsCount[depth[sym]]++;
  limitLengths(bitsCount);
  const real = Array.from({ length: 17 }, (_, sym) => sym)
    .filter((sym) => depth[sym] > 0)
    .sort((a, b) => depth[a] - depth[b] || a - b);
  const counts = new Uint8Array(16);
  for (let len = 1; len <= 16; len++) counts[len - 1] = bitsCount[len];
  const values = Uint8Array.from(real);
  const codes = new Uint16Array(17);
  const lengths = new Uint8Array(17);
  let code = 0;
  let k = 0;
  for (let len = 1; len <= 16; len++) {
    for (let j = 0; j < counts[len - 1]; j++, k++, code++) {
      codes[values[k]] = code;
      lengths[values[k]] = len;
    }
    code <<= 1;
  }
  return { counts, values, codes, lengths };
}

/** T.81 K.3: moves codes longer than 16 bits up the tree, then drops the reserved code. */
function limitLengths(bitsCount: number[]): void {
  for (let i = 32; i > 16; i--) {
    while (bitsCount[i] > 0) {
      let j = i - 2;
      while (bitsCount[j] === 0) j--;
      bitsCount[i] -= 2;
      bitsCount[i - 1] += 1;
      bitsCount[j + 1] += 2;
      bitsCount[j] -= 1;
    }
  }
  let longest = 16;
  while (bitsCount[longest] === 0) longest--;
  bitsCount[longest]--;
}

function writeFrameHeader(w: ByteWriter, width: number, height: number, nc: number, bits: number): void {
  w.marker(Marker.SOF3);
  w.u16(8 + 3 * nc);
  w.u8(bits);
  w.u16(height);
  w.u16(width);
  w.u8(nc);
  for (let c = 0; c < nc; c++) {
    w.u8(c); // component id
    w.u8(0x11); // 1x1 sampling
    w.u8(0); // no quantization in lossless mode
  }
}

function writeHuffmanTables(w: ByteWriter, tables: HuffmanEncoder[]): void {
  w.marker(Marker.DHT);
  w.u16(2 + tables.reduce((sum, t) => sum + 17 + t.values.length, 0));
  tables.forEach((t, id) => {
    w.u8(id); // class 0 (the only class lossless scans use), table id
    for (const n of t.counts) w.u8(n);
    for (const v of t.values) w.u8(v);
  });
}

function writeScanHeader(w: ByteWriter, nc: number, predictor: number, pt: number): void {
  w.marker(Marker.SOS);
  w.u16(6 + 2 * nc);
  w.u8(nc);
  for (let c = 0; c < nc; c++) {
    w.u8(c);
    w.u8(c << 4); // component c uses table c
  }
  w.u8(predictor); // Ss
  w.u8(0); // Se
  w.u8(pt); // Ah = 0, Al = Pt
}

/** Growable byte buffer with a JPEG entropy-coded bit writer (0xFF is stuffed with 0x00). */
class ByteWriter {
  private buffer: Uint8Array;
  private length = 0;
  private acc = 0;
  private accBits = 0;

  constructor(capacity: number) {
    this.buffer = new Uint8Array(capacity);
  }

  u8(v: number): void {
    if (this.length === this.buffer.length) {
      const bigger = new Uint8Array(this.buffer.length * 2);
      bigger.set(this.buffer);
      this.buffer = bigger;
    }
    this.buffer[this.length++] = v;
  }

  u16(v: number): void {
    this.u8(v >> 8);
    this.u8(v & 0xff);
  }

  marker(code: number): void {
    this.u8(0xff);
    this.u8(code);
  }

  /** Appends the low `n` (≤ 16) bits of `value`, most significant first. */
  bits(value: number, n: number): void {
    this.acc = (this.acc << n) | (value & ((1 << n) - 1));
    this.accBits += n;
    while (this.accBits >= 8) {
      this.accBits -= 8;
      const byte = (this.acc >>> this.accBits) & 0xff;
      this.u8(byte);
      if (byte === 0xff) this.u8(0);
    }
  }

  /** Pads the last byte with 1 bits, as T.81 F.1.2.3 asks before a marker. */
  flushBits(): void {
    if (this.accBits > 0) this.bits(0x7f, 8 - this.accBits);
    this.acc = 0;
  }

  result(): Uint8Array {
    return this.buffer.slice(0, this.length);
  }
}
