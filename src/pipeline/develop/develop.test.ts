import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { decode as decodePng } from 'fast-png';
import { describe, expect, it } from 'vitest';
import { decodeDng } from '../dng/index.ts';
import type { CfaColor, DngMetadata, LinearRaw, Matrix3 } from '../dng/types.ts';
import { writeDng } from '../dng/writer.ts';
import { scorePrediction } from '../metrics/sid-score.ts';
import { srgbToLinear } from '../metrics/transfer.ts';
import { to8bit } from '../image/rgb-image.ts';
import { D65_XY, xyToXyz } from './chromaticity.ts';
import { develop, developLinear } from './develop.ts';
import { apply, multiply, type Vec3 } from './matrix.ts';
import { SRGB_TO_XYZ_D65 } from './srgb.ts';
import { srgbCode16 } from './tone.ts';

const SONY_A7S2_D65: Matrix3 = [0.5838, -0.143, -0.0246, -0.3497, 1.1477, 0.2297, -0.0748, 0.1885, 0.5778];

function metadata(overrides: Partial<DngMetadata> = {}): DngMetadata {
  return {
    width: 16,
    height: 12,
    bitsPerSample: 16,
    compression: 1,
    photometric: 'cfa',
    samplesPerPixel: 1,
    cfaPattern: [0, 1, 1, 2],
    activeArea: { x: 0, y: 0, width: 16, height: 12 },
    defaultCrop: { x: 0, y: 0, width: 16, height: 12 },
    blackLevel: { repeatRows: 1, repeatCols: 1, values: [0] },
    whiteLevel: [65535],
    orientation: 1,
    colorMatrix1: SONY_A7S2_D65,
    calibrationIlluminant1: 21,
    asShotNeutral: [0.5, 1, 0.4],
    opcodes: [],
    ...overrides,
  };
}

/** A flat CFA field whose camera colour is `camera` (normalized raw). */
function flatMosaic(width: number, height: number, camera: Vec3, pattern: [CfaColor, CfaColor, CfaColor, CfaColor] = [0, 1, 1, 2]): LinearRaw {
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++) for (let x = 0; x < width; x++) data[y * width + x] = camera[pattern[(y & 1) * 2 + (x & 1)]!];
  return { width, height, channels: 1, cfaPattern: pattern, data };
}

describe('developLinear on synthetic scenes', () => {
  const neutral: Vec3 = [0.5, 1, 0.4];

  it('renders a grey surface (the camera neutral) as neutral grey of the right brightness', () => {
    const grey: Vec3 = [0.18 * neutral[0], 0.18 * neutral[1], 0.18 * neutral[2]];
    for (const colorAdaptation of ['camera', 'xyz'] as const) {
      const image = developLinear(flatMosaic(16, 12, grey), metadata(), { ratio: 1, colorAdaptation });
      const code = srgbCode16(0.18);
      for (const v of image.data) expect(Math.abs(v - code)).toBeLessThanOrEqual(2);
    }
  });

  it('applies the ratio as an exposure multiplier', () => {
    const dark: Vec3 = [0.0018 * neutral[0], 0.0018 * neutral[1], 0.0018 * neutral[2]];
    const image = developLinear(flatMosaic(8, 8, dark), metadata(), { ratio: 100 });
    expect(Math.abs(image.data[0]! - srgbCode16(0.18))).toBeLessThanOrEqual(2);
  });

  it('refuses a ratio that is not a positive number', () => {
    expect(() => developLinear(flatMosaic(4, 4, [0.1, 0.1, 0.1]), metadata(), { ratio: 0 })).toThrowError(/positive number/);
  });

  it('turns clipped highlights into white, never magenta', () => {
    // Green saturated, red and blue still below their own clipping: WB would push them above green.
    for (const camera of [[1, 1, 1], [0.8, 1, 0.7], [0.6, 1, 0.5]] as Vec3[]) {
      const image = developLinear(flatMosaic(16, 12, camera), metadata(), { ratio: 1 });
      for (let i = 0; i < image.data.length; i += 3) expect([image.data[i], image.data[i + 1], image.data[i + 2]]).toEqual([65535, 65535, 65535]);
    }
  });

  it('gives LinearRaw the same colours as a CFA mosaic of the same scene', () => {
    const camera: Vec3 = [0.07, 0.12, 0.03];
    const rgb = new Float32Array(8 * 8 * 3).map((_, i) => camera[i % 3]!);
    const linear = developLinear({ width: 8, height: 8, channels: 3, data: rgb }, metadata({ photometric: 'linear', samplesPerPixel: 3, cfaPattern: undefined }), { ratio: 3 });
    const mosaic = developLinear(flatMosaic(8, 8, camera, [2, 1, 1, 0]), metadata({ cfaPattern: [2, 1, 1, 0] }), { ratio: 3 });
    for (let i = 0; i < linear.data.length; i++) expect(Math.abs(linear.data[i]! - mosaic.data[i]!)).toBeLessThanOrEqual(1);
  });

  it('applies BaselineExposure, then DefaultCrop, then Orientation', () => {
    const grey: Vec3 = [0.09 * neutral[0], 0.09 * neutral[1], 0.09 * neutral[2]];
    const meta = metadata({ baselineExposure: 1, defaultCrop: { x: 2, y: 1, width: 10, height: 6 }, orientation: 6 });
    const image = developLinear(flatMosaic(16, 12, grey), meta, { ratio: 1 });
    expect([image.width, image.height]).toEqual([6, 10]);
    expect(Math.abs(image.data[0]! - srgbCode16(0.18))).toBeLessThanOrEqual(2);
  });

  it('renders for display exactly the 16-bit image rounded to 8 bits, cropped and turned the same, with opaque alpha', () => {
    // A mosaic with detail everywhere, so that a misplaced pixel would show.
    const mosaic = flatMosaic(16, 12, [0.02, 0.05, 0.03]);
    mosaic.data.forEach((v, i) => (mosaic.data[i] = v * (1 + ((i * 37) % 23))));
    for (const orientation of [1, 3, 6, 8]) {
      const meta = metadata({ defaultCrop: { x: 3, y: 1, width: 9, height: 7 }, orientation });
      const rgb16 = developLinear(mosaic, meta, { ratio: 4 });
      const rgba8 = developLinear(mosaic, meta, { ratio: 4 }, 'rgba8');
      const expected = to8bit(rgb16).data;
      expect([rgba8.width, rgba8.height]).toEqual([rgb16.width, rgb16.height]);
      expect(Array.from(rgba8.data)).toEqual(Array.from({ length: rgb16.width * rgb16.height * 4 }, (_, i) => (i % 4 === 3 ? 255 : expected[(i >> 2) * 3 + (i % 4)]!)));
    }
  });
});

/** ColorChecker patches in 8-bit sRGB, as published for the chart (X-Rite / BabelColor). */
const COLOR_CHECKER: [number, number, number][] = [
  [115, 82, 68], [194, 150, 130], [98, 122, 157], [87, 108, 67], [133, 128, 177], [103, 189, 170],
  [214, 126, 44], [80, 91, 166], [193, 90, 99], [94, 60, 108], [157, 188, 64], [224, 163, 46],
  [56, 61, 150], [70, 148, 73], [175, 54, 60], [231, 199, 31], [187, 86, 149], [8, 133, 161],
  [243, 243, 242], [200, 200, 200], [160, 160, 160], [122, 122, 121], [85, 85, 85], [52, 52, 52],
];

describe('develop: a colour chart shot under D65, through writeDng and decodeDng', () => {
  const patch = 16;
  const [columns, rows] = [6, 4];
  const [width, height] = [columns * patch, rows * patch];
  const white = apply(SONY_A7S2_D65, xyToXyz(D65_XY));
  const whiteMax = Math.max(...white);
  /** Camera response to a linear sRGB colour, exposed so that camera `neutral` is sRGB white. */
  const cameraOf = (srgb8: [number, number, number]): Vec3 => {
    const linear = srgb8.map((v) => srgbToLinear(v / 255)) as Vec3;
    return apply(multiply(SONY_A7S2_D65, SRGB_TO_XYZ_D65), linear).map((v) => v / whiteMax) as Vec3;
  };
  const neutral = white.map((v) => v / whiteMax) as [number, number, number];
  const pattern: [CfaColor, CfaColor, CfaColor, CfaColor] = [1, 2, 0, 1];
  const stored = new Uint16Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const camera = cameraOf(COLOR_CHECKER[Math.floor(y / patch) * columns + Math.floor(x / patch)]!);
      const value = camera[pattern[(y & 1) * 2 + (x & 1)]!];
      stored[y * width + x] = 512 + Math.round(Math.min(Math.max(value, 0), 1) * (16383 - 512));
    }
  }
  const file = writeDng({
    stored: { width, height, samplesPerPixel: 1, data: stored },
    metadata: { bitsPerSample: 14, cfaPattern: pattern, blackLevel: { repeatRows: 1, repeatCols: 1, values: [512] }, whiteLevel: [16383], colorMatrix1: SONY_A7S2_D65, calibrationIlluminant1: 21, asShotNeutral: neutral },
  });

  for (const colorAdaptation of ['camera', 'xyz'] as const) {
    it(`gives back the published sRGB of every patch (${colorAdaptation} adaptation)`, async () => {
      const image = develop(await decodeDng(file), { ratio: 1, colorAdaptation });
      COLOR_CHECKER.forEach((expected, p) => {
        const [px, py] = [(p % columns) * patch + patch / 2, Math.floor(p / columns) * patch + patch / 2];
        const got = [0, 1, 2].map((c) => image.data[(py * width + px) * 3 + c]! / 257);
        got.forEach((v, c) => expect(Math.abs(v - expected[c]!)).toBeLessThanOrEqual(1));
      });
    });
  }
});

const sidDev = '../shared/data/sid-dev';
if (!existsSync(sidDev)) console.warn(`develop.test: ${sidDev} missing, skipping the sid-dev score`);

describe.skipIf(!existsSync(sidDev))('develop on sid-dev (shared/README.md protocol)', () => {
  it('scores at least the naive pipeline (22.5 dB mean PSNR)', async () => {
    const names = readdirSync(sidDev).filter((f) => f.endsWith('.json')).map((f) => f.slice(0, -5)).sort();
    const scores: number[] = [];
    for (const name of names) {
      const { ratio } = JSON.parse(readFileSync(`${sidDev}/${name}.json`, 'utf8')) as { ratio: number | null };
      if (ratio === null) continue;
      const image = develop(await decodeDng(new Uint8Array(readFileSync(`${sidDev}/${name}.dng`))), { ratio });
      const png = decodePng(readFileSync(`${sidDev}/${name}.ref.png`));
      scores.push(scorePrediction(image, { width: png.width, height: png.height, data: png.data as Uint16Array }).psnr);
    }
    const mean = scores.reduce((a, b) => a + b, 0) / scores.length;
    console.log(`sid-dev classic develop: ${scores.map((s) => s.toFixed(2)).join(' ')}; mean ${mean.toFixed(2)} dB`);
    expect(scores).toHaveLength(9);
    expect(mean).toBeGreaterThanOrEqual(22.5);
  }, 120_000);
});
