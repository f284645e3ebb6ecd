import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { decodeDng, linearize } from '../dng/index.ts';
import type { DngMetadata, LinearRaw } from '../dng/types.ts';
import { AUTO_RATIO_MAX, AUTO_RATIO_MIN, autoRatio } from './auto-ratio.ts';

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
