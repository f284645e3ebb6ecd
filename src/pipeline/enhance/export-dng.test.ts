import { describe, expect, it } from 'vitest';
import { develop } from '../develop/develop.ts';
import { decodeDng } from '../dng/index.ts';
import type { DngMetadata, LinearRaw } from '../dng/types.ts';
import { renderEnhanced } from './enhance.ts';
import { enhancedDng } from './export-dng.ts';

const METADATA: DngMetadata = {
  make: 'Test',
  model: 'Export',
  width: 150,
  height: 100,
  bitsPerSample: 14,
  compression: 1,
  photometric: 'cfa',
  samplesPerPixel: 1,
  cfaPattern: [0, 1, 1, 2],
  activeArea: { x: 0, y: 0, width: 150, height: 100 },
  defaultCrop: { x: 4, y: 2, width: 140, height: 94 },
  blackLevel: { repeatRows: 1, repeatCols: 1, values: [512] },
  whiteLevel: [16383],
  orientation: 3,
  asShotNeutral: [0.45, 1, 0.6],
  colorMatrix1: [0.5838, -0.143, -0.0246, -0.3497, 1.1477, 0.2297, -0.0748, 0.1885, 0.5778],
  calibrationIlluminant1: 21,
  baselineExposure: 0.5,
  noiseProfile: [1e-4, 1e-6],
  iso: 12800,
  opcodes: [],
};

/** White-balanced RGB with smooth colour variation, within [0, 1]. */
function balancedImage(width: number, height: number): LinearRaw {
  const data = new Float32Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      data[i] = 0.05 + 0.6 * (x / width);
      data[i + 1] = 0.1 + 0.5 * (y / height);
      data[i + 2] = 0.3 + 0.2 * Math.sin(x / 9) * Math.cos(y / 7);
    }
  }
  return { width, height, channels: 3, data };
}

describe('enhancedDng', () => {
  it('reads back as LinearRaw camera RGB that develops to the same image as renderEnhanced', async () => {
    const image = balancedImage(150, 100);
    const decoded = await decodeDng(enhancedDng(image, METADATA));
    const m = decoded.metadata;
    expect(m).toMatchObject({ photometric: 'linear', samplesPerPixel: 3, bitsPerSample: 16, width: 150, height: 100, whiteLevel: [65535, 65535, 65535] });
    for (const tag of ['make', 'model', 'defaultCrop', 'orientation', 'asShotNeutral', 'colorMatrix1', 'calibrationIlluminant1', 'baselineExposure', 'iso'] as const) {
      expect(m[tag]).toEqual(METADATA[tag]);
    }
    expect(m.noiseProfile).toBeUndefined();
    // Stored as camera RGB: balanced x neutral, so a converter's own white balance restores it.
    expect(decoded.stored.data[1]! / 65535).toBeCloseTo(image.data[1]! * 1, 4);
    expect(decoded.stored.data[0]! / 65535).toBeCloseTo(image.data[0]! * 0.45, 4);
    expect(decoded.stored.data[2]! / 65535).toBeCloseTo(image.data[2]! * 0.6, 4);

    const ours = renderEnhanced(image, METADATA);
    const developed = develop(decoded, { ratio: 1 });
    expect([developed.width, developed.height]).toEqual([ours.width, ours.height]);
    let worst = 0;
    for (let i = 0; i < ours.data.length; i++) worst = Math.max(worst, Math.abs(ours.data[i]! - developed.data[i]!));
    // 16-bit storage of linear values: a few codes after the sRGB curve's steep start.
    expect(worst).toBeLessThanOrEqual(64);
  });
});
