import { describe, expect, it } from 'vitest';
import { mulberry32 } from '../../../tests/prng';
import { linearize } from './linearize';
import type { DecodedDng, DngMetadata, OpcodeInfo } from './types';

interface Variant {
  planes: 1 | 3;
  table: boolean;
  deltaH: boolean;
  deltaV: boolean;
  /** OpcodeList1 doubles every stored value, so linearize reads a float raster. */
  list1: boolean;
}

/** A 13 x 11 raster, active area at the odd offset (3, 2), 2x2 black pattern per plane. */
function randomDng({ planes, table, deltaH, deltaV, list1 }: Variant, random: () => number): DecodedDng {
  const stored = { width: 13, height: 11, samplesPerPixel: planes };
  const activeArea = { x: 3, y: 2, width: 9, height: 7 };
  const int = (max: number) => Math.floor(random() * max);
  const doubling: OpcodeInfo = {
    list: 1,
    id: 8,
    name: 'MapPolynomial',
    applied: true,
    params: { kind: 'MapPolynomial', coefficients: [0, 2], area: { top: 0, left: 0, bottom: stored.height, right: stored.width, plane: 0, planes, rowPitch: 1, colPitch: 1 } },
  };
  const metadata: DngMetadata = {
    width: stored.width,
    height: stored.height,
    bitsPerSample: 16,
    compression: 1,
    photometric: planes === 1 ? 'cfa' : 'linear',
    samplesPerPixel: planes,
    ...(planes === 1 && { cfaPattern: [0, 1, 1, 2] as DngMetadata['cfaPattern'] }),
    activeArea,
    defaultCrop: { x: 0, y: 0, width: activeArea.width, height: activeArea.height },
    blackLevel: { repeatRows: 2, repeatCols: 2, values: Array.from({ length: 4 * planes }, () => 200 + int(100)) },
    ...(deltaH && { blackLevelDeltaH: Array.from({ length: activeArea.width }, () => random() * 40 - 20) }),
    ...(deltaV && { blackLevelDeltaV: Array.from({ length: activeArea.height }, () => random() * 40 - 20) }),
    whiteLevel: Array.from({ length: planes }, () => 9000 + int(3000)),
    // Shorter than the stored range, so large values clamp to the last entry.
    ...(table && { linearizationTable: Array.from({ length: 3000 }, (_, i) => Math.round(i * 3 + i * i * 0.0004)) }),
    orientation: 1,
    opcodes: list1 ? [doubling] : [],
  };
  const data = Uint16Array.from({ length: stored.width * stored.height * planes }, () => int(4000));
  return { metadata, stored: { ...stored, data }, warnings: [] };
}

/** The DNG formula sample by sample, written out directly. */
function referenceSample({ metadata, stored }: DecodedDng, row: number, col: number, plane: number): number {
  const planes = stored.samplesPerPixel;
  const { x: ax, y: ay } = metadata.activeArea;
  let value = stored.data[((ay + row) * stored.width + ax + col) * planes + plane]!;
  if (metadata.opcodes.length > 0) value *= 2;
  const table = metadata.linearizationTable;
  if (table) value = table[Math.min(Math.max(Math.round(value), 0), table.length - 1)]!;
  const { repeatRows, repeatCols, values } = metadata.blackLevel;
  const black =
    values[((row % repeatRows) * repeatCols + (col % repeatCols)) * planes + plane]! +
    (metadata.blackLevelDeltaV?.[row] ?? 0) +
    (metadata.blackLevelDeltaH?.[col] ?? 0);
  return (value - black) / (metadata.whiteLevel[plane]! - black);
}

const variants: Variant[] = [];
for (const planes of [1, 3] as const) {
  for (let bits = 0; bits < 16; bits++) {
    variants.push({ planes, table: (bits & 1) > 0, deltaH: (bits & 2) > 0, deltaV: (bits & 4) > 0, list1: (bits & 8) > 0 });
  }
}

describe('linearize against the per-sample formula', () => {
  it.each(variants)('planes $planes, table $table, deltaH $deltaH, deltaV $deltaV, OpcodeList1 $list1', (variant) => {
    const random = mulberry32(0x9e3779b9 ^ (variants.indexOf(variant) + 1));
    const decoded = randomDng(variant, random);
    const linear = linearize(decoded);
    const { width, height } = decoded.metadata.activeArea;
    const planes = variant.planes;
    expect(linear.data.length).toBe(width * height * planes);
    let worst = 0;
    for (let row = 0; row < height; row++) {
      for (let col = 0; col < width; col++) {
        for (let plane = 0; plane < planes; plane++) {
          const expected = referenceSample(decoded, row, col, plane);
          const got = linear.data[(row * width + col) * planes + plane]!;
          // The output is float32: allow one float32 step of the expected value, no more.
          worst = Math.max(worst, Math.abs(got - expected) / (Math.abs(expected) * 2 ** -23 + Number.MIN_VALUE));
        }
      }
    }
    expect(worst).toBeLessThanOrEqual(1);
  });
});
