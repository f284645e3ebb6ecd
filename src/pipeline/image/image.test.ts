import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode as decodePng } from 'fast-png';
import { decode as decodeJpeg } from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { encodeJpeg } from './encode-jpeg.ts';
import { encodePng } from './encode-png.ts';
import { to8bit, type RgbImage } from './rgb-image.ts';
import { mulberry32, randomInt } from '../../../tests/prng.ts';

/** A smooth 16-bit gradient image with every channel different. */
function gradient(width: number, height: number): RgbImage {
  const data = new Uint16Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      data[i] = Math.round((x / (width - 1)) * 65535);
      data[i + 1] = Math.round((y / (height - 1)) * 65535);
      data[i + 2] = Math.round(((x + y) / (width + height - 2)) * 65535);
    }
  }
  return { width, height, data };
}

/** Uniform 16-bit noise from a fixed seed: the worst case for prediction and compression. */
function noise(width: number, height: number): RgbImage {
  const random = mulberry32(0x9e3779b9);
  const data = Uint16Array.from({ length: width * height * 3 }, () => randomInt(random, 65536));
  return { width, height, data };
}

const PYTHON = '/usr/bin/python3';
const hasOpenCv = spawnSync(PYTHON, ['-c', 'import cv2'], { stdio: 'ignore' }).status === 0;
const hasExiftool = spawnSync('exiftool', ['-ver'], { stdio: 'ignore' }).status === 0;
if (!hasOpenCv) console.log(`PNG tests: no OpenCV for ${PYTHON}, skipping the OpenCV round trips`);
if (!hasExiftool) console.log('PNG tests: no exiftool, skipping the chunk validation');

/** The PNG's samples as OpenCV decodes them, reordered from its BGR to RGB, in native byte order. */
function openCvSamples(png: Uint8Array): Uint8Array {
  const script =
    'import sys, cv2, numpy as np\n' +
    'a = cv2.imdecode(np.frombuffer(sys.stdin.buffer.read(), np.uint8), cv2.IMREAD_UNCHANGED)\n' +
    'sys.stdout.buffer.write(np.ascontiguousarray(a[..., ::-1]).tobytes())\n';
  const result = spawnSync(PYTHON, ['-c', script], { input: png, maxBuffer: 1 << 26 });
  expect(result.status, result.stderr.toString()).toBe(0);
  return new Uint8Array(result.stdout);
}

/** exiftool's warnings and errors about the PNG's structure (bad CRC, bad chunk, truncation); none expected. */
function exiftoolProblems(png: Uint8Array): string {
  const file = join(mkdtempSync(join(tmpdir(), 'tapetum-png-')), 'image.png');
  writeFileSync(file, png);
  const result = spawnSync('exiftool', ['-validate', '-warning', '-error', '-a', '-s', file]);
  return result.stdout.toString();
}

const roundTripCases = [
  { name: '16-bit gradient 33x17', image: gradient(33, 17) },
  { name: '16-bit noise 31x9', image: noise(31, 9) },
  { name: '16-bit noise 1x5', image: noise(1, 5) },
  { name: '8-bit gradient 33x17', image: to8bit(gradient(33, 17)) },
  { name: '8-bit noise 31x9', image: to8bit(noise(31, 9)) },
  { name: '8-bit noise 1x5', image: to8bit(noise(1, 5)) },
];

describe('to8bit', () => {
  it('maps 16-bit codes to the nearest 8-bit code', () => {
    const image: RgbImage = { width: 2, height: 1, data: Uint16Array.from([0, 128, 129, 65535, 257 * 100, 257 * 100 + 129]) };
    expect(Array.from(to8bit(image).data)).toEqual([0, 0, 1, 255, 100, 101]);
  });
});

describe('encodePng', () => {
  it('writes 16-bit RGB that decodes to the same samples', () => {
    const image = gradient(33, 17);
    const png = encodePng(image);
    // IHDR: bit depth at byte 24, colour type 2 (truecolour) at byte 25.
    expect([png[24], png[25]]).toEqual([16, 2]);
    const back = decodePng(png);
    expect([back.width, back.height, back.channels, back.depth]).toEqual([33, 17, 3, 16]);
    expect(back.data).toEqual(image.data);
  });
  it('writes 8-bit RGB from an RgbImage8', () => {
    const image = to8bit(gradient(9, 5));
    const png = encodePng(image);
    expect([png[24], png[25]]).toEqual([8, 2]);
    expect(Array.from(decodePng(png).data)).toEqual(Array.from(image.data));
  });
  it.each(roundTripCases)('$name comes back exactly from fast-png', ({ image }) => {
    const back = decodePng(encodePng(image));
    expect([back.width, back.height, back.channels]).toEqual([image.width, image.height, 3]);
    expect(Array.from(back.data)).toEqual(Array.from(image.data));
  });
  it.skipIf(!hasOpenCv).each(roundTripCases)('$name comes back exactly from OpenCV', ({ image }) => {
    const bytes = openCvSamples(encodePng(image));
    const samples = image.data instanceof Uint16Array ? new Uint16Array(bytes.buffer, 0, bytes.length / 2) : bytes;
    expect(Array.from(samples)).toEqual(Array.from(image.data));
  });
  it.skipIf(!hasExiftool).each(roundTripCases)('$name has chunks exiftool accepts', ({ image }) => {
    const report = exiftoolProblems(encodePng(image));
    expect(report).toMatch(/Validate\s*:\s*OK/);
    expect(report).not.toMatch(/Warning|Error/);
  });
});

describe('encodeJpeg', () => {
  const image = to8bit(gradient(64, 48));
  const psnrAgainst = (jpeg: Uint8Array) => {
    const back = decodeJpeg(jpeg, { useTArray: true });
    let sum = 0;
    for (let i = 0; i < 64 * 48; i++) {
      for (let c = 0; c < 3; c++) sum += (back.data[i * 4 + c]! - image.data[i * 3 + c]!) ** 2;
    }
    return 10 * Math.log10((255 * 255) / (sum / (64 * 48 * 3)));
  };
  it('encodes a JPEG close to the input, better at higher quality', () => {
    const high = encodeJpeg(image, { quality: 95 });
    const low = encodeJpeg(image, { quality: 30 });
    expect([high[0], high[1]]).toEqual([0xff, 0xd8]);
    expect(psnrAgainst(high)).toBeGreaterThan(40);
    expect(psnrAgainst(high)).toBeGreaterThan(psnrAgainst(low));
    expect(high.length).toBeGreaterThan(low.length);
  });
  it('works where there is no Buffer (browser, worker)', () => {
    const scope = globalThis as { Buffer?: unknown };
    const saved = scope.Buffer;
    delete scope.Buffer;
    try {
      const jpeg = encodeJpeg(image);
      expect(jpeg).toBeInstanceOf(Uint8Array);
      expect(scope.Buffer).toBeUndefined();
      scope.Buffer = saved;
      expect(psnrAgainst(jpeg)).toBeGreaterThan(35);
    } finally {
      scope.Buffer = saved;
    }
  });
});
