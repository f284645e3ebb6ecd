import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeDng, linearize } from '../dng/index.ts';
import type { DngMetadata, LinearRaw } from '../dng/types.ts';
import { AUTO_RATIO_MAX, AUTO_RATIO_MIN, autoRatio } from './auto-ratio.ts';
import { mulberry32 } from '../../../tests/prng.ts';
import { networkInput } from './network-input.ts';
import { isTapetumError } from '../errors.ts';

const SID_DEV = join(import.meta.dirname, '../../../../shared/data/sid-dev');
const hasSidDev = existsSync(SID_DEV);
if (!hasSidDev) console.warn(`auto-ratio sid-dev test skipped: ${SID_DEV} not found`);

const METADATA = { asShotNeutral: [0.5, 1, 0.4] } as DngMetadata;

/** An RGGB mosaic whose sites follow `level(x, y)` (before the neutral's per-colour response). */
function mosaic(width: number, height: number, level: (x: number, y: number) => number): LinearRaw {
  const response = [0.5, 1, 0.4];
  const pattern = [0, 1, 1, 2] as const;
  const data = new Float32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) data[y * width + x] = level(x, y) * response[pattern[(y & 1) * 2 + (x & 1)]!]!;
  }
  return { width, height, channels: 1, cfaPattern: [...pattern], data };
}

/**
 * The auto ratio as first specified, built independently of auto-ratio.ts: pack the mosaic
 * with networkInput at ratio 1, mean the four channels over 4x4 packed blocks, sort, take the
 * 99th percentile, aim it at 0.18 and clamp.
 */
function packedReferenceRatio(linear: LinearRaw, metadata: DngMetadata): number {
  const packed = networkInput(linear, metadata, 1, 0);
  const blocksX = Math.floor(packed.width / 4);
  const blocksY = Math.floor(packed.height / 4);
  const means = new Float32Array(blocksX * blocksY);
  for (let y = 0; y < blocksY * 4; y++) {
    for (let x = 0; x < blocksX * 4; x++) {
      const i = (y * packed.width + x) * 4;
      means[Math.floor(y / 4) * blocksX + Math.floor(x / 4)] += packed.data[i]! + packed.data[i + 1]! + packed.data[i + 2]! + packed.data[i + 3]!;
    }
  }
  for (let i = 0; i < means.length; i++) means[i] = means[i]! / 64;
  means.sort();
  if (means.length === 0) return AUTO_RATIO_MIN;
  const level = means[Math.min(means.length - 1, Math.floor(0.99 * means.length))]!;
  return level > 0 ? Math.min(Math.max(0.18 / level, AUTO_RATIO_MIN), AUTO_RATIO_MAX) : AUTO_RATIO_MAX;
}

describe('autoRatio', () => {
  it('scales inversely with the exposure between the limits', () => {
    const scene = (x: number, y: number) => 0.2 + 0.6 * ((x * 13 + y * 7) % 64) / 64;
    const dim = autoRatio(mosaic(128, 96, (x, y) => scene(x, y) / 100), METADATA);
    const dimmer = autoRatio(mosaic(128, 96, (x, y) => scene(x, y) / 400), METADATA);
    expect(dimmer / dim).toBeCloseTo(4, 4);
  });

  it('brings a uniform grey to 0.18 of full scale', () => {
    expect(autoRatio(mosaic(64, 64, () => 0.0018), METADATA)).toBeCloseTo(100, 3);
  });

  it(`clamps to [${AUTO_RATIO_MIN}, ${AUTO_RATIO_MAX}]: black stays at the maximum, a bright frame is not darkened`, () => {
    expect(autoRatio(mosaic(64, 64, () => 0), METADATA)).toBe(AUTO_RATIO_MAX);
    expect(autoRatio(mosaic(64, 64, () => 1e-6), METADATA)).toBe(AUTO_RATIO_MAX);
    expect(autoRatio(mosaic(64, 64, () => 0.7), METADATA)).toBe(AUTO_RATIO_MIN);
  });

  it('equals the packed-array formulation (networkInput at ratio 1, sorted block means) exactly', () => {
    const random = mulberry32(20240611);
    const metadata = { asShotNeutral: [0.47, 1, 0.61] } as DngMetadata;
    const patterns = [[0, 1, 1, 2], [1, 0, 2, 1], [1, 2, 0, 1], [2, 1, 1, 0]] as const;
    // Odd and even sizes (partial blocks, a dropped last row/column), every Bayer phase, values
    // below 0 and above 1 (clipped by packing), a bright tail (the percentile), equal values.
    for (const [width, height] of [[67, 45], [96, 80], [130, 71], [41, 33]] as const) {
      for (const pattern of patterns) {
        const data = Float32Array.from({ length: width * height }, () => {
          const u = random();
          return u < 0.05 ? 0.25 : u < 0.1 ? -0.01 * random() : u > 0.98 ? 1.5 * random() : 0.02 * random();
        });
        const linear: LinearRaw = { width, height, channels: 1, cfaPattern: [...pattern], data };
        expect(autoRatio(linear, metadata)).toBe(packedReferenceRatio(linear, metadata));
      }
    }
  });

  it('refuses input without a Bayer mosaic as packing does', () => {
    const rgb: LinearRaw = { width: 8, height: 8, channels: 3, data: new Float32Array(8 * 8 * 3) };
    const codeOf = (f: () => unknown) => {
      try {
        f();
      } catch (error) {
        return isTapetumError(error) ? `${error.code}: ${error.message}` : 'not a TapetumError';
      }
      return 'no error';
    };
    expect(codeOf(() => autoRatio(rgb, METADATA))).toBe(codeOf(() => networkInput(rgb, METADATA, 1, 0)));
    expect(codeOf(() => autoRatio(rgb, METADATA))).toMatch(/^unsupported: /);
  });

  it.skipIf(!hasSidDev)("lands within a factor 1.5 of sid-dev's ratio for most files", async () => {
    const rows: { file: string; ratio: number; auto: number; factor: number }[] = [];
    for (const file of readdirSync(SID_DEV).filter((f) => f.endsWith('.json')).sort()) {
      const ratio = JSON.parse(readFileSync(join(SID_DEV, file), 'utf8')).ratio;
      if (typeof ratio !== 'number') continue;
      const decoded = await decodeDng(new Uint8Array(readFileSync(join(SID_DEV, file.replace(/\.json$/, '.dng')))));
      const auto = autoRatio(linearize(decoded), decoded.metadata);
      rows.push({ file: file.slice(0, -5), ratio, auto: Number(auto.toFixed(1)), factor: Number((auto / ratio).toFixed(2)) });
    }
    console.table(rows);
    const within = rows.filter((r) => r.factor >= 1 / 1.5 && r.factor <= 1.5).length;
    console.log(`auto ratio within a factor 1.5 of the given ratio: ${within} of ${rows.length}`);
    expect(rows.length).toBeGreaterThan(0);
    expect(within).toBeGreaterThan(rows.length / 2);
  });
});
