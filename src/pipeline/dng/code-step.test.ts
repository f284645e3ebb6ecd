import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../tests/prng';
import { linearize } from './linearize';
import type { DecodedDng, DngMetadata } from './types';

/**
 * A dark 64 x 48 RGGB mosaic whose codes are `step` apart above each site's black (a sensor
 * with fewer bits than its container), with read noise of a few steps, so every code near
 * black is used.
 */
function darkMosaic(options: { blacks: number[]; white: number; step: number; table?: number[] }): DecodedDng {
  const random = mulberry32(7);
  const width = 64;
  const height = 48;
  const data = new Uint16Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const black = options.blacks[(y % 2) * 2 + (x % 2)]!;
      const signal = Math.max(0, 3 * options.step * (random() + random() + random() - 1));
      data[y * width + x] = black + options.step * Math.floor(signal / options.step);
    }
  }
  const metadata: DngMetadata = {
    width, height, bitsPerSample: 16, compression: 1, photometric: 'cfa', samplesPerPixel: 1,
    cfaPattern: [0, 1, 1, 2],
    activeArea: { x: 0, y: 0, width, height },
    defaultCrop: { x: 0, y: 0, width, height },
    blackLevel: { repeatRows: 2, repeatCols: 2, values: options.blacks },
    whiteLevel: [options.white],
    ...(options.table && { linearizationTable: options.table }),
    orientation: 1,
    opcodes: [],
  };
  return { metadata, stored: { width, height, samplesPerPixel: 1, data }, warnings: [] };
}

const codeStepOf = (decoded: DecodedDng) => linearize(decoded).codeStep! * (decoded.metadata.whiteLevel[0]! - decoded.metadata.blackLevel.values[0]!);

describe('ADC code step near black (linearize)', () => {
  it('finds the step of 12-bit codes in a 14-bit container, 10-bit codes in a 16-bit one, and dense codes', () => {
    expect(codeStepOf(darkMosaic({ blacks: [512, 512, 512, 512], white: 16383, step: 4 }))).toBeCloseTo(4, 9);
    expect(codeStepOf(darkMosaic({ blacks: [4096, 4096, 4096, 4096], white: 65535, step: 64 }))).toBeCloseTo(64, 9);
    expect(codeStepOf(darkMosaic({ blacks: [64, 64, 64, 64], white: 1023, step: 1 }))).toBeCloseTo(1, 9);
  });

  it('reads one site of the black pattern, so per-site blacks off the grid do not halve the step', () => {
    expect(codeStepOf(darkMosaic({ blacks: [512, 514, 513, 515], white: 16383, step: 4 }))).toBeCloseTo(4, 9);
  });

  it('measures the step of the LinearizationTable output, which is what black is subtracted from', () => {
    const table = Array.from({ length: 4096 }, (_, code) => 3 * code);
    expect(codeStepOf(darkMosaic({ blacks: [0, 0, 0, 0], white: 3 * 4095, step: 1, table }))).toBeCloseTo(3, 9);
  });

  it('falls back to 1 DN when too few codes lie near black to show a grid', () => {
    const bright = darkMosaic({ blacks: [512, 512, 512, 512], white: 16383, step: 4 });
    bright.stored.data.fill(9000);
    bright.stored.data[0] = 512;
    expect(codeStepOf(bright)).toBeCloseTo(1, 9);
  });

  it('leaves RGB (LinearRaw) data without a step', () => {
    const rgb = darkMosaic({ blacks: [0, 0, 0, 0], white: 4095, step: 1 });
    const { cfaPattern: _, ...metadata } = rgb.metadata;
    const planes = { ...rgb, metadata: { ...metadata, photometric: 'linear' as const, samplesPerPixel: 3, blackLevel: { repeatRows: 1, repeatCols: 1, values: [0, 0, 0] }, whiteLevel: [4095, 4095, 4095] } };
    planes.stored = { width: 64, height: 16, samplesPerPixel: 3, data: rgb.stored.data };
    planes.metadata.activeArea = { x: 0, y: 0, width: 64, height: 16 };
    expect(linearize(planes).codeStep).toBeUndefined();
  });
});
