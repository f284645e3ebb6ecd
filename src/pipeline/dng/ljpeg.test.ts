import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { mulberry32, randomInt } from '../../../tests/prng';
import { TapetumError } from '../errors';
import { decodeLosslessJpeg } from './ljpeg';
import { encodeLosslessJpeg } from './ljpeg-encode';

const SAMPLES = '../shared/data/dng-samples/decodable';

/** The TapetumError `fn` throws, or undefined when it returns; any other exception fails. */
function tapetumErrorOf(fn: () => unknown): TapetumError | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof TapetumError) return e;
    throw e;
  }
  return undefined;
}

function randomData(random: () => number, length: number, bits: number): Uint16Array {
  return Uint16Array.from({ length }, () => randomInt(random, 2 ** bits));
}

/** A smooth gradient with a little noise, per component, the kind of data predictors exploit. */
function smoothData(random: () => number, width: number, height: number, nc: number, bits: number): Uint16Array {
  const data = new Uint16Array(width * height * nc);
  const max = 2 ** bits - 1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < nc; c++) {
        const v = max * (0.5 + 0.4 * Math.sin((x + 3 * c) / 7) * Math.cos(y / 5)) + (random() - 0.5) * 6;
        data[(y * width + x) * nc + c] = Math.max(0, Math.min(max, Math.round(v)));
      }
    }
  }
  return data;
}

/** Marker segments of an encoder-made stream (SOI .. SOS) and its entropy-coded data. */
function splitStream(jpeg: Uint8Array): { segments: { marker: number; body: Uint8Array }[]; entropy: Uint8Array } {
  const segments: { marker: number; body: Uint8Array }[] = [];
  let p = 2;
  for (;;) {
    const marker = jpeg[p + 1];
    const length = (jpeg[p + 2] << 8) | jpeg[p + 3];
    segments.push({ marker, body: jpeg.subarray(p + 4, p + 2 + length) });
    p += 2 + length;
    if (marker === 0xda) return { segments, entropy: jpeg.subarray(p, jpeg.length - 2) };
  }
}

function segment(marker: number, body: ArrayLike<number>): number[] {
  return [0xff, marker, (body.length + 2) >> 8, (body.length + 2) & 0xff, ...Array.from(body)];
}

describe('lossless JPEG round trip', () => {
  const random = mulberry32(20240601);
  for (const bits of [8, 12, 14, 16]) {
    for (let nc = 1; nc <= 4; nc++) {
      it(`${bits}-bit, ${nc} component(s), predictors 1–7, random and smooth data, with and without restarts`, () => {
        for (let predictor = 1; predictor <= 7; predictor++) {
          const width = 1 + randomInt(random, 37);
          const height = 1 + randomInt(random, 23);
          for (const data of [randomData(random, width * height * nc, bits), smoothData(random, width, height, nc, bits)]) {
            for (const restartInterval of [0, width, width * 3]) {
              const jpeg = encodeLosslessJpeg(data, width, height, nc, bits, { predictor, restartInterval });
              const image = decodeLosslessJpeg(jpeg);
              expect({ width: image.width, height: image.height, components: image.components, bits: image.bits }).toEqual({
                width,
                height,
                components: nc,
                bits,
              });
              expect(image.data).toEqual(data);
            }
          }
        }
      });
    }
  }

  it('handles 2-bit samples and a single sample', () => {
    const random = mulberry32(7);
    const data = randomData(random, 40 * 9 * 2, 2);
    expect(decodeLosslessJpeg(encodeLosslessJpeg(data, 40, 9, 2, 2, { predictor: 4 })).data).toEqual(data);
    const one = Uint16Array.of(1234);
    expect(decodeLosslessJpeg(encodeLosslessJpeg(one, 1, 1, 1, 12)).data).toEqual(one);
  });

  it('codes the 16-bit difference of 32768 (SSSS 16) for every predictor', () => {
    // Alternating 0 / 32768 / 65535 makes differences of exactly ±32768 modulo 2^16.
    const width = 12;
    const height = 6;
    const data = Uint16Array.from({ length: width * height }, (_, i) => [0, 32768, 65535][(i * 7 + (i >> 2)) % 3]);
    for (let predictor = 1; predictor <= 7; predictor++) {
      const jpeg = encodeLosslessJpeg(data, width, height, 1, 16, { predictor, restartInterval: width * 2 });
      expect(decodeLosslessJpeg(jpeg).data).toEqual(data);
    }
  });

  it('applies the point transform (low bits dropped, samples shifted back)', () => {
    const random = mulberry32(99);
    const data = randomData(random, 30 * 10 * 3, 14);
    for (const pointTransform of [1, 2, 5]) {
      for (const predictor of [1, 4, 7]) {
        const jpeg = encodeLosslessJpeg(data, 30, 10, 3, 14, { predictor, pointTransform, restartInterval: 60 });
        const expected = data.map((v) => (v >> pointTransform) << pointTransform);
        expect(decodeLosslessJpeg(jpeg).data).toEqual(expected);
      }
    }
  });

  it('decodes components spread over several scans, each with its own table and predictor', () => {
    const random = mulberry32(5);
    const width = 19;
    const height = 11;
    const planes = [0, 1, 2].map(() => smoothData(random, width, height, 1, 12));
    const frame = [12, 0, height, 0, width, 3, ...[0, 1, 2].flatMap((c) => [c, 0x11, 0])];
    const stream: number[] = [0xff, 0xd8, ...segment(0xc3, frame)];
    planes.forEach((plane, c) => {
      const { segments, entropy } = splitStream(encodeLosslessJpeg(plane, width, height, 1, 12, { predictor: 2 * c + 1 }));
      const table = segments.find((s) => s.marker === 0xc4)!.body.slice();
      table[0] = c; // class 0, table id c
      stream.push(...segment(0xc4, table), ...segment(0xda, [1, c, c << 4, 2 * c + 1, 0, 0]), ...entropy);
    });
    stream.push(0xff, 0xd9);
    const image = decodeLosslessJpeg(Uint8Array.from(stream));
    const expected = new Uint16Array(width * height * 3);
    planes.forEach((plane, c) => plane.forEach((v, i) => (expected[i * 3 + c] = v)));
    expect(image.components).toBe(3);
    expect(image.data).toEqual(expected);
  });
});

describe('lossless JPEG decoder on hand-made streams', () => {
  // Table: SSSS 0 -> 0, 1 -> 10, 2 -> 110, 8 -> 1110 (BITS 1,1,1,1).
  const header = (bits: number, width: number, height: number, predictor: number) =>
    [0xff, 0xd8]
      .concat(segment(0xc3, [bits, 0, height, 0, width, 1, 1, 0x11, 0]))
      .concat(segment(0xc4, [0x00, 1, 1, 1, 1, ...new Array(12).fill(0), 0, 1, 2, 8]))
      .concat(segment(0xda, [1, 1, 0x00, predictor, 0, 0]));

  it('decodes a 3x2 8-bit image with predictor 7 worked out by hand', () => {
    // Samples 130 129 129 / 131 129 0. Line 1 predicts from the left (128 for the first),
    // line 2 starts from above, then (Ra + Rb) / 2. Differences: 2, -1, 0 / 1, -1, -129:
    // 110|10 10|0 0 | 10|1 10|0 1110|01111110, then 1-bit padding.
    const jpeg = Uint8Array.from([...header(8, 3, 2, 7), 0xd4, 0x59, 0xcf, 0xdf, 0xff, 0xd9]);
    expect(Array.from(decodeLosslessJpeg(jpeg).data)).toEqual([130, 129, 129, 131, 129, 0]);
  });

  it('decodes SSSS 16 as +32768 with no extra bits', () => {
    // Table: SSSS 0 -> 00, 16 -> 01. Two samples, each 01: 32768 + 32768 = 0 (mod 2^16), then 0 + 32768.
    const jpeg = Uint8Array.from([
      0xff, 0xd8,
      ...segment(0xc3, [16, 0, 1, 0, 2, 1, 1, 0x11, 0]),
      ...segment(0xc4, [0x00, 0, 2, ...new Array(14).fill(0), 0, 16]),
      ...segment(0xda, [1, 1, 0x00, 1, 0, 0]),
      0x5f, 0xff, 0xd9,
    ]);
    expect(Array.from(decodeLosslessJpeg(jpeg).data)).toEqual([0, 32768]);
  });

  it('reads 0xFF 0x00 as a stuffed 0xFF data byte', () => {
    // Samples 128 x 4 with SSSS 8 codes of all-ones extra bits: 1110|11111111 four times.
    // 11101111 11111110 11111111 11101111 11111110 11111111 -> EF FE FF(00) EF FE FF(00)
    const jpeg = Uint8Array.from([...header(8, 4, 1, 1), 0xef, 0xfe, 0xff, 0x00, 0xef, 0xfe, 0xff, 0x00, 0xff, 0xd9]);
    // 128 + 255 = 383 -> wraps modulo 2^8 to 127, then 127 + 255 -> 126, 125, 124.
    expect(Array.from(decodeLosslessJpeg(jpeg).data)).toEqual([127, 126, 125, 124]);
  });
});

describe('lossless JPEG decoder rejects bad streams', () => {
  const random = mulberry32(42);
  const width = 23;
  const height = 9;
  const data = smoothData(random, width, height, 2, 14);
  const good = encodeLosslessJpeg(data, width, height, 2, 14, { predictor: 6, restartInterval: width * 2 });
  const { segments, entropy } = splitStream(good);
  const body = (marker: number) => segments.find((s) => s.marker === marker)!.body;
  const build = (...parts: number[][]) => Uint8Array.from([0xff, 0xd8, ...parts.flat()]);
  const sof = segment(0xc3, body(0xc3));
  const dht = segment(0xc4, body(0xc4));
  const dri = segment(0xdd, body(0xdd));
  const sos = segment(0xda, body(0xda));
  const tail = [...entropy, 0xff, 0xd9];
  const expectError = (bytes: Uint8Array, code: string, message?: RegExp) => {
    const error = tapetumErrorOf(() => decodeLosslessJpeg(bytes));
    expect(error?.code).toBe(code);
    if (message) expect(error?.message).toMatch(message);
  };

  it('accepts the unmodified stream (the baseline for the cases below)', () => {
    expect(decodeLosslessJpeg(build(sof, dht, dri, sos, tail)).data).toEqual(data);
  });

  it('missing markers', () => {
    expectError(good.subarray(2), 'corrupt', /start-of-image/);
    expectError(build(dht, dri, sos, tail), 'corrupt', /before the frame header/);
    expectError(build(sof, dri, sos, tail), 'corrupt', /Huffman table 0/);
    expectError(build(sof, dht, dri, [0xff, 0xd9]), 'corrupt', /every colour component/);
    expectError(build([0xff, 0xd9]), 'corrupt', /no frame header/);
    expectError(build(sof, dht, sos, tail), 'corrupt', /stops at marker 0xFFD0/);
  });

  it('bad frame and scan headers', () => {
    const withFrame = (edit: (b: Uint8Array) => void) => {
      const b = body(0xc3).slice();
      edit(b);
      return build(segment(0xc3, b), dht, dri, sos, tail);
    };
    expectError(withFrame((b) => (b[0] = 17)), 'corrupt', /precision 17/);
    expectError(withFrame((b) => (b[0] = 1)), 'corrupt', /precision 1/);
    expectError(withFrame((b) => (b[3] = b[4] = 0)), 'corrupt', /zero width/);
    expectError(withFrame((b) => (b[1] = b[2] = 0)), 'unsupported', /DNL/);
    expectError(withFrame((b) => (b[7] = 0x21)), 'unsupported', /subsampled/);
    expectError(withFrame((b) => (b[9] = b[6])), 'corrupt', /defined twice/);
    expectError(withFrame((b) => (b[1] = b[3] = b[2] = b[4] = 0xff)), 'too-large');
    expectError(withFrame((b) => (b[1] = b[3] = 0x20)), 'truncated', /too short for its 8215x8201 image/);
    expect(tapetumErrorOf(() => decodeLosslessJpeg(good, width * height * 2 - 1))?.code).toBe('too-large');
    expectError(build(segment(0xc3, [14, 0, 9, 0, 23, 5, ...new Array(15).fill(0x11)]), dht, sos, tail), 'unsupported', /5 components/);
    const withScan = (edit: (b: Uint8Array) => void) => {
      const b = body(0xda).slice();
      edit(b);
      return build(sof, dht, dri, segment(0xda, b), tail);
    };
    expectError(withScan((b) => (b[5] = 0)), 'corrupt', /predictor 0/);
    expectError(withScan((b) => (b[5] = 8)), 'corrupt', /predictor 8/);
    expectError(withScan((b) => (b[7] = 14)), 'corrupt', /point transform/);
    expectError(withScan((b) => (b[1] = 9)), 'corrupt', /component 9/);
    expectError(withScan((b) => (b[3] = b[1])), 'corrupt', /already decoded/);
    expectError(withScan((b) => (b[0] = 3)), 'corrupt', /scan header/);
    expectError(build(sof, dht, segment(0xdd, [0, 5]), sos, tail), 'unsupported', /whole lines/);
    expectError(build(segment(0xc1, body(0xc3)), dht, sos, tail), 'unsupported', /SOF1/);
    expectError(build(sof, dht, [0xff, 0xd0], sos, tail), 'corrupt', /restart marker appears/);
    expectError(build(sof, dht, [0xff, 0xe1, 0x00, 0x01], sos, tail), 'corrupt', /impossible length/);
  });

  it('bad Huffman tables', () => {
    const table = (counts: number[], values: number[]) => segment(0xc4, [0x00, ...counts, ...new Array(16 - counts.length).fill(0), ...values]);
    expectError(build(sof, table([3], [0, 1, 2]), dri, sos, tail), 'corrupt', /too many codes/);
    expectError(build(sof, table([0, 2], [0, 17]), dri, sos, tail), 'corrupt', /above 16/);
    expectError(build(sof, table([], []), dri, sos, tail), 'corrupt', /0 codes/);
    expectError(build(sof, table([0, 4], [0, 1]), dri, sos, tail), 'corrupt', /cut short/);
    expectError(build(sof, segment(0xc4, [0x25, ...new Array(16).fill(0)]), dri, sos, tail), 'corrupt', /class 2/);
    // Only 0 and 10 exist; the entropy data is all ones, so 11 is read.
    const sparse = build(segment(0xc3, [8, 0, 1, 0, 4, 1, 0, 0x11, 0]), table([1, 1], [0, 1]), segment(0xda, [1, 0, 0, 1, 0, 0]), [0xf0, 0xff, 0xd9]);
    expectError(sparse, 'corrupt', /Huffman code that its table does not define/);
  });

  it('wrong or missing restart markers', () => {
    const rst = entropy.findIndex((b, i) => b === 0xff && entropy[i + 1] === 0xd0);
    expect(rst).toBeGreaterThan(0);
    const renumbered = entropy.slice();
    renumbered[rst + 1] = 0xd3;
    expectError(build(sof, dht, dri, sos, [...renumbered, 0xff, 0xd9]), 'corrupt', /RST0 is missing/);
    const removed = [...entropy.subarray(0, rst), ...entropy.subarray(rst + 2)];
    expectError(build(sof, dht, dri, sos, [...removed, 0xff, 0xd9]), 'corrupt');
  });

  it('every truncation ends in "truncated" (only cutting the final EOI still decodes)', () => {
    for (let cut = 0; cut < good.length; cut++) {
      const error = tapetumErrorOf(() => decodeLosslessJpeg(good.subarray(0, cut)));
      if (cut >= good.length - 2) expect(error).toBeUndefined();
      else expect(error?.code, `cut at ${cut}`).toBe(cut < 2 ? 'corrupt' : 'truncated');
    }
  });

  it('mutated streams decode or throw TapetumError, quickly', () => {
    const mutate = mulberry32(1234);
    const streams = [good, encodeLosslessJpeg(randomData(mutate, 16 * 16 * 3, 16), 16, 16, 3, 16, { predictor: 5 })];
    let slowest = 0;
    const codes = new Map<string, number>();
    for (let n = 0; n < 3000; n++) {
      const bytes = streams[n % streams.length].slice();
      const flips = 1 + randomInt(mutate, 4);
      for (let f = 0; f < flips; f++) bytes[randomInt(mutate, bytes.length)] = randomInt(mutate, 256);
      const start = performance.now();
      const code = tapetumErrorOf(() => decodeLosslessJpeg(bytes, 1e6))?.code ?? 'decoded';
      slowest = Math.max(slowest, performance.now() - start);
      codes.set(code, (codes.get(code) ?? 0) + 1);
    }
    expect(slowest).toBeLessThan(1000);
    expect(codes.get('corrupt')).toBeGreaterThan(0);
  });
});

/** Geometry, tile offsets and sizes (and LinearizationTable) of the main image, as exiftool reads them. */
function tileLayout(file: string) {
  const tags = ['ImageWidth', 'ImageHeight', 'TileWidth', 'TileLength', 'TileOffsets', 'TileByteCounts', 'LinearizationTable'];
  const json = execFileSync('exiftool', ['-j', '-n', '-b', ...tags.map((t) => `-${t}`), file], { encoding: 'utf8' });
  const info = (JSON.parse(json) as Record<string, number | string>[])[0];
  const list = (tag: string) => (info[tag] === undefined ? undefined : String(info[tag]).trim().split(/\s+/).map(Number));
  return {
    width: Number(info.ImageWidth),
    height: Number(info.ImageHeight),
    tileWidth: Number(info.TileWidth),
    tileHeight: Number(info.TileLength),
    offsets: list('TileOffsets')!,
    counts: list('TileByteCounts')!,
    linearizationTable: list('LinearizationTable'),
  };
}

/** LibRaw's unscaled RGB output (16-bit PPM) for a LinearRaw DNG: black 0, white 65535, unity WB. */
function libRawLinear(file: string): { width: number; height: number; data: Uint16Array } {
  const args = ['-disinterp', '-o', '0', '-4', '-j', '-M', '-k', '0', '-S', '65535', '-r', '1', '1', '1', '1', '-t', '0', '-Z', '-', file];
  const ppm = execFileSync('dcraw_emu', args, { maxBuffer: 1 << 28 });
  const match = /^P6\s+(\d+)\s+(\d+)\s+65535\s/.exec(ppm.subarray(0, 40).toString('latin1'))!;
  const [width, height] = [Number(match[1]), Number(match[2])];
  const body = ppm.subarray(match[0].length);
  const data = new Uint16Array(width * height * 3);
  for (let i = 0; i < data.length; i++) data[i] = (body[2 * i] << 8) | body[2 * i + 1];
  return { width, height, data };
}

const commandExists = (command: string) => {
  try {
    execFileSync('sh', ['-c', `command -v ${command}`]);
    return true;
  } catch {
    return false;
  }
};
const haveTools = commandExists('exiftool') && commandExists('dcraw_emu');
if (!existsSync(SAMPLES) || !haveTools) console.log(`lossless JPEG reference tests skipped: need ${SAMPLES}, exiftool and dcraw_emu`);

describe.skipIf(!existsSync(SAMPLES) || !haveTools)('lossless JPEG tiles of real DNGs against LibRaw', () => {
  for (const [name, bits] of [
    ['lightroom-tiff2dng-16bit-lj92.dng', 16],
    ['lightroom-tiff2dng-8bit-lj92.dng', 8],
  ] as const) {
    it(`${name}: every tile matches dcraw_emu`, () => {
      const file = `${SAMPLES}/${name}`;
      const bytes = new Uint8Array(readFileSync(file));
      const layout = tileLayout(file);
      // LibRaw maps the samples through the LinearizationTable (only the 8-bit file has one).
      const curve = layout.linearizationTable;
      expect(curve === undefined).toBe(bits === 16);
      const reference = libRawLinear(file);
      expect([reference.width, reference.height]).toEqual([layout.width, layout.height]);
      const across = Math.ceil(layout.width / layout.tileWidth);
      let mismatches = 0;
      let compared = 0;
      layout.offsets.forEach((offset, t) => {
        const tile = decodeLosslessJpeg(bytes.subarray(offset, offset + layout.counts[t]));
        expect([tile.width, tile.height, tile.components, tile.bits]).toEqual([layout.tileWidth, layout.tileHeight, 3, bits]);
        const x0 = (t % across) * layout.tileWidth;
        const y0 = Math.floor(t / across) * layout.tileHeight;
        for (let y = 0; y < layout.tileHeight && y0 + y < layout.height; y++) {
          for (let x = 0; x < layout.tileWidth && x0 + x < layout.width; x++) {
            for (let c = 0; c < 3; c++) {
              const ours = tile.data[(y * tile.width + x) * 3 + c];
              const theirs = reference.data[((y0 + y) * layout.width + x0 + x) * 3 + c];
              if ((curve ? curve[ours] : ours) !== theirs) mismatches++;
              compared++;
            }
          }
        }
      });
      expect(compared).toBe(layout.width * layout.height * 3);
      expect(mismatches).toBe(0);
    }, 60_000);
  }

  it('blackmagic-pocket-4k.dng tiles are 12-bit DCT JPEG (SOF1), which is reported as unsupported', () => {
    const file = `${SAMPLES}/blackmagic-pocket-4k.dng`;
    const bytes = new Uint8Array(readFileSync(file));
    const layout = tileLayout(file);
    expect(layout.offsets.length).toBe(4);
    layout.offsets.forEach((offset, t) => {
      const error = tapetumErrorOf(() => decodeLosslessJpeg(bytes.subarray(offset, offset + layout.counts[t])));
      expect(error?.code).toBe('unsupported');
      expect(error?.message).toMatch(/SOF1/);
    });
  }, 30_000);
});
