import { describe, expect, it } from 'vitest';
import { linearize } from './linearize';
import { applyGainMap, applyMapPolynomial, parseOpcodeList, type PlaneImage } from './opcodes';
import type { DecodedDng, DngMetadata, GainMapParams, MapPolynomialParams, OpcodeArea } from './types';

const wholeArea = (height: number, width: number, extra: Partial<OpcodeArea> = {}): OpcodeArea => ({
  top: 0,
  left: 0,
  bottom: height,
  right: width,
  plane: 0,
  planes: 1,
  rowPitch: 1,
  colPitch: 1,
  ...extra,
});

function image(width: number, height: number, planes: number, fill: number): PlaneImage {
  return { width, height, planes, data: new Float32Array(width * height * planes).fill(fill) };
}

/** A 2x2 grid of gains [[1, 2], [3, 4]] at the image corners (origin 0, spacing 1). */
function cornerGainMap(area: OpcodeArea, mapPlanes = 1, gains = [1, 2, 3, 4]): GainMapParams {
  return { kind: 'GainMap', area, pointsV: 2, pointsH: 2, spacingV: 1, spacingH: 1, originV: 0, originH: 0, mapPlanes, gains };
}

describe('applyGainMap', () => {
  it('interpolates bilinearly at pixel centres in relative coordinates', () => {
    // Gain at relative (v, h) is 1 + h + 2v; pixel centres of a 4x4 image are at (i + 0.5) / 4.
    const img = image(4, 4, 1, 1);
    applyGainMap(img, cornerGainMap(wholeArea(4, 4)));
    const expected: number[] = [];
    for (let row = 0; row < 4; row++) {
      for (let col = 0; col < 4; col++) expected.push(1 + (col + 0.5) / 4 + (2 * (row + 0.5)) / 4);
    }
    expect(Array.from(img.data)).toEqual(expected.map((g) => Math.fround(g)));
  });

  it('multiplies the samples, without clipping above 1', () => {
    const img = image(4, 4, 1, 0.8);
    applyGainMap(img, cornerGainMap(wholeArea(4, 4)));
    // Bottom-right pixel: gain 1 + 3.5/4 + 2 * 3.5/4 = 3.625.
    expect(img.data[15]).toBeCloseTo(0.8 * 3.625, 6);
  });

  it('clamps to the first and last grid points outside the grid', () => {
    // Grid from relative 0.5 to 0.75 (spacing 0.25): rows/cols before 0.5 use the first point,
    // after 0.75 the last one.
    const img = image(4, 1, 1, 1);
    const map: GainMapParams = { ...cornerGainMap(wholeArea(1, 4)), pointsV: 1, pointsH: 2, spacingH: 0.25, originH: 0.5, gains: [10, 20] };
    applyGainMap(img, map);
    // Column centres: 0.125, 0.375 (before the grid: 10), 0.625 (halfway: 15), 0.875 (after: 20).
    expect(Array.from(img.data)).toEqual([10, 10, 15, 20]);
  });

  it('honours Top/Left/Bottom/Right and the row and column pitch', () => {
    const img = image(4, 4, 1, 1);
    applyGainMap(img, cornerGainMap(wholeArea(4, 4, { top: 1, left: 1, rowPitch: 2, colPitch: 2 }), 1, [2, 2, 2, 2]));
    const changed = Array.from(img.data, (v, i) => (v === 2 ? i : -1)).filter((i) => i >= 0);
    // Rows 1 and 3, columns 1 and 3.
    expect(changed).toEqual([5, 7, 13, 15]);
  });

  it('honours Plane/Planes and uses the last map plane for planes beyond MapPlanes', () => {
    const img = image(1, 1, 3, 1);
    applyGainMap(img, cornerGainMap(wholeArea(1, 1, { plane: 1, planes: 2 }), 2, [5, 6, 5, 6, 5, 6, 5, 6]));
    // Plane 0 untouched, plane 1 uses map plane 1 (6), plane 2 uses map plane min(2, 1) = 1 (6).
    expect(Array.from(img.data)).toEqual([1, 6, 6]);
  });
});

describe('applyMapPolynomial', () => {
  const poly = (area: OpcodeArea, coefficients: number[]): MapPolynomialParams => ({ kind: 'MapPolynomial', area, coefficients });

  it('evaluates sum c_i x^i on normalized values', () => {
    const img: PlaneImage = { width: 4, height: 1, planes: 1, data: Float32Array.from([0, 0.5, 1, 0.25]) };
    applyMapPolynomial(img, poly(wholeArea(1, 4), [0.1, 2, 0.5]), 1);
    // 0.1 + 2x + 0.5x^2: 0.1, 1.225, 2.6, 0.63125.
    expect(Array.from(img.data)).toEqual([0.1, 1.225, 2.6, 0.63125].map(Math.fround));
  });

  it('works on value / 65535 for stored values (OpcodeList1)', () => {
    const img: PlaneImage = { width: 1, height: 1, planes: 1, data: Float32Array.from([13107]) };
    // x = 13107 / 65535 = 0.2; y = x^2 = 0.04; back to stored units: 2621.4.
    applyMapPolynomial(img, poly(wholeArea(1, 1), [0, 0, 1]), 65535);
    expect(img.data[0]).toBeCloseTo(2621.4, 2);
  });

  it('touches only its area and planes', () => {
    const img = image(2, 2, 3, 0.5);
    applyMapPolynomial(img, poly(wholeArea(2, 2, { left: 1, plane: 2, planes: 1 }), [0, 2]), 1);
    const changed = Array.from(img.data, (v, i) => (v === 1 ? i : -1)).filter((i) => i >= 0);
    // Column 1 of both rows, plane 2: sample indices (0*2+1)*3+2 = 5 and (1*2+1)*3+2 = 11.
    expect(changed).toEqual([5, 11]);
  });
});

/** Builds an opcode list as DNG stores it: big-endian count, then id/version/flags/size/params. */
function opcodeList(opcodes: { id: number; flags?: number; params: Uint8Array }[]): Uint8Array {
  const size = 4 + opcodes.reduce((n, op) => n + 16 + op.params.length, 0);
  const bytes = new Uint8Array(size);
  const view = new DataView(bytes.buffer);
  view.setUint32(0, opcodes.length);
  let p = 4;
  for (const op of opcodes) {
    view.setUint32(p, op.id);
    view.setUint32(p + 4, 0x01030000);
    view.setUint32(p + 8, op.flags ?? 0);
    view.setUint32(p + 12, op.params.length);
    bytes.set(op.params, p + 16);
    p += 16 + op.params.length;
  }
  return bytes;
}

function areaBytes(view: DataView, area: OpcodeArea): void {
  [area.top, area.left, area.bottom, area.right, area.plane, area.planes, area.rowPitch, area.colPitch].forEach((v, i) =>
    view.setUint32(i * 4, v),
  );
}

function gainMapBytes(map: GainMapParams): Uint8Array {
  const bytes = new Uint8Array(76 + map.gains.length * 4);
  const view = new DataView(bytes.buffer);
  areaBytes(view, map.area);
  view.setUint32(32, map.pointsV);
  view.setUint32(36, map.pointsH);
  view.setFloat64(40, map.spacingV);
  view.setFloat64(48, map.spacingH);
  view.setFloat64(56, map.originV);
  view.setFloat64(64, map.originH);
  view.setUint32(72, map.mapPlanes);
  map.gains.forEach((g, i) => view.setFloat32(76 + i * 4, g));
  return bytes;
}

function polynomialBytes(area: OpcodeArea, coefficients: number[]): Uint8Array {
  const bytes = new Uint8Array(36 + coefficients.length * 8);
  const view = new DataView(bytes.buffer);
  areaBytes(view, area);
  view.setUint32(32, coefficients.length - 1);
  coefficients.forEach((c, i) => view.setFloat64(36 + i * 8, c));
  return bytes;
}

describe('parseOpcodeList', () => {
  const gainMap = cornerGainMap(wholeArea(4, 4, { rowPitch: 2, colPitch: 2 }), 1, [1, 1.5, 2, 2.5]);

  it('decodes GainMap and MapPolynomial parameters and lists other opcodes as skipped', () => {
    const list = opcodeList([
      { id: 9, params: gainMapBytes(gainMap) },
      { id: 8, params: polynomialBytes(wholeArea(4, 4), [0, 0.5, 0.25]) },
      { id: 1, flags: 1, params: new Uint8Array(20) },
      { id: 99, params: new Uint8Array(0) },
    ]);
    const { opcodes, warnings } = parseOpcodeList(list, 2);
    expect(opcodes.map((o) => [o.list, o.id, o.name, o.applied])).toEqual([
      [2, 9, 'GainMap', true],
      [2, 8, 'MapPolynomial', true],
      [2, 1, 'WarpRectilinear', false],
      [2, 99, 'Opcode99', false],
    ]);
    expect(opcodes[0].params).toEqual(gainMap);
    expect(opcodes[1].params).toEqual({ kind: 'MapPolynomial', area: wholeArea(4, 4), coefficients: [0, 0.5, 0.25] });
    expect(warnings).toEqual(['skipped opcode WarpRectilinear (list 2)', 'skipped opcode Opcode99 (list 2)']);
  });

  it('reports list-3 opcodes as not applied unless they change nothing', () => {
    const identity = cornerGainMap(wholeArea(4, 4), 1, [1, 1, 1, 1]);
    const { opcodes, warnings } = parseOpcodeList(
      opcodeList([
        { id: 9, params: gainMapBytes(gainMap) },
        { id: 9, params: gainMapBytes(identity) },
      ]),
      3,
    );
    expect(opcodes.map((o) => o.applied)).toEqual([false, true]);
    expect(warnings).toEqual(['skipped opcode GainMap (list 3: it applies after demosaicing)']);
  });

  it('skips a GainMap whose size does not match its grid, with a warning', () => {
    const bad = gainMapBytes(gainMap).subarray(0, 76 + 8);
    const { opcodes, warnings } = parseOpcodeList(opcodeList([{ id: 9, params: bad }]), 1);
    expect(opcodes[0].applied).toBe(false);
    expect(warnings).toEqual(['skipped malformed opcode GainMap (list 1)']);
  });

  it('rejects a list that claims more opcodes than it holds', () => {
    const list = opcodeList([{ id: 8, params: polynomialBytes(wholeArea(1, 1), [0, 1]) }]);
    new DataView(list.buffer).setUint32(0, 1000);
    expect(() => parseOpcodeList(list, 2)).toThrow(expect.objectContaining({ code: 'corrupt' }));
    expect(() => parseOpcodeList(list.subarray(0, 30), 2)).toThrow(expect.objectContaining({ code: 'corrupt' }));
  });
});

/** A 4x4 RGGB mosaic with a 2x2 active area at (1, 1) and hand-picked levels. */
function smallCfa(metadata: Partial<DngMetadata>, stored: number[]): DecodedDng {
  const base: DngMetadata = {
    width: 4,
    height: 4,
    bitsPerSample: 16,
    compression: 1,
    photometric: 'cfa',
    samplesPerPixel: 1,
    cfaPattern: [0, 1, 1, 2],
    activeArea: { x: 1, y: 1, width: 2, height: 2 },
    defaultCrop: { x: 0, y: 0, width: 2, height: 2 },
    blackLevel: { repeatRows: 1, repeatCols: 1, values: [100] },
    whiteLevel: [1100],
    orientation: 1,
    opcodes: [],
  };
  return { metadata: { ...base, ...metadata }, stored: { width: 4, height: 4, samplesPerPixel: 1, data: Uint16Array.from(stored) }, warnings: [] };
}

// Stored raster; the active area holds 600, 350 / 850, 1100.
const STORED = [0, 0, 0, 0, 0, 600, 350, 0, 0, 850, 1100, 0, 0, 0, 0, 0];

describe('linearize', () => {
  it('subtracts black, divides by white - black and crops to the active area', () => {
    const linear = linearize(smallCfa({}, STORED));
    expect(linear.width).toBe(2);
    expect(linear.height).toBe(2);
    expect(linear.channels).toBe(1);
    expect(Array.from(linear.data)).toEqual([0.5, 0.25, 0.75, 1]);
  });

  it('uses the BlackLevel pattern from the active-area origin plus the row and column deltas', () => {
    const linear = linearize(
      smallCfa(
        {
          blackLevel: { repeatRows: 2, repeatCols: 2, values: [100, 50, 50, 100] },
          blackLevelDeltaH: [0, 10],
          blackLevelDeltaV: [0, 20],
        },
        STORED,
      ),
    );
    // Blacks: (0,0) 100, (0,1) 50+10, (1,0) 50+20, (1,1) 100+10+20.
    const expected = [(600 - 100) / 1000, (350 - 60) / (1100 - 60), (850 - 70) / (1100 - 70), (1100 - 130) / (1100 - 130)];
    expect(Array.from(linear.data)).toEqual(expected.map(Math.fround));
  });

  it('maps stored values through the LinearizationTable first, clamping past its end', () => {
    const table = Array.from({ length: 701 }, (_, i) => 2 * i); // 0..1400; values past 700 read 1400
    const linear = linearize(smallCfa({ linearizationTable: table, whiteLevel: [1400] }, STORED));
    // 600 -> 1200, 350 -> 700, 850 -> 1400 (clamped), 1100 -> 1400 (clamped); black 100, white 1400.
    expect(Array.from(linear.data)).toEqual([1100 / 1300, 600 / 1300, 1, 1].map(Math.fround));
  });

  it('applies OpcodeList1 to stored values and OpcodeList2 to normalized active-area values', () => {
    const list1 = { list: 1 as const, id: 8, name: 'MapPolynomial', applied: true, params: { kind: 'MapPolynomial' as const, area: wholeArea(4, 4), coefficients: [0, 2] } };
    // List 2 area (0,0)-(1,1) is the active area's top-left pixel, not the stored raster's.
    const list2 = { list: 2 as const, id: 8, name: 'MapPolynomial', applied: true, params: { kind: 'MapPolynomial' as const, area: wholeArea(1, 1), coefficients: [0.5, 1] } };
    const linear = linearize(smallCfa({ opcodes: [list1, list2], whiteLevel: [2100] }, STORED));
    // Stored doubled: 1200, 700, 1700, 2200; normalized by (2100 - 100): 0.55, 0.3, 0.8, 1.05; then +0.5 on the first.
    expect(Array.from(linear.data)).toEqual([1.05, 0.3, 0.8, 1.05].map(Math.fround));
  });

  it('does not clip below black or above white', () => {
    const linear = linearize(smallCfa({}, [0, 0, 0, 0, 0, 50, 2100, 0, 0, 0, 0, 0, 0, 0, 0, 0]));
    expect(Array.from(linear.data.subarray(0, 2))).toEqual([-0.05, 2].map(Math.fround));
  });

  it('reports the CFA pattern of the active area and leaves LinearRaw as 3 channels', () => {
    expect(linearize(smallCfa({ cfaPattern: [1, 0, 2, 1] }, STORED)).cfaPattern).toEqual([1, 0, 2, 1]);
    const rgb: DecodedDng = {
      metadata: {
        ...smallCfa({}, STORED).metadata,
        photometric: 'linear',
        samplesPerPixel: 3,
        cfaPattern: undefined,
        width: 1,
        height: 1,
        activeArea: { x: 0, y: 0, width: 1, height: 1 },
        blackLevel: { repeatRows: 1, repeatCols: 1, values: [0, 10, 20] },
        whiteLevel: [100, 110, 220],
      },
      stored: { width: 1, height: 1, samplesPerPixel: 3, data: Uint16Array.from([50, 60, 70]) },
      warnings: [],
    };
    const linear = linearize(rgb);
    expect(linear.channels).toBe(3);
    expect(linear.cfaPattern).toBeUndefined();
    expect(Array.from(linear.data)).toEqual([0.5, 0.5, 0.25]);
  });
});
