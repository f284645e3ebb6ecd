/**
 * DNG opcode lists (OpcodeList1/2/3): parsing, and applying the two opcodes that matter for
 * raw data from phones and lens-corrected files, GainMap and MapPolynomial. Opcode lists are
 * always big-endian, whatever the byte order of the TIFF file (DNG 1.6, chapter 7).
 */
import { TapetumError } from '../errors';
import type { GainMapParams, MapPolynomialParams, OpcodeArea, OpcodeInfo, OpcodeParams } from './types';

const OPCODE_NAMES: Record<number, string> = {
  1: 'WarpRectilinear',
  2: 'WarpFisheye',
  3: 'FixVignetteRadial',
  4: 'FixBadPixelsConstant',
  5: 'FixBadPixelsList',
  6: 'TrimBounds',
  7: 'MapTable',
  8: 'MapPolynomial',
  9: 'GainMap',
  10: 'DeltaPerRow',
  11: 'DeltaPerColumn',
  12: 'ScalePerRow',
  13: 'ScalePerColumn',
  14: 'WarpRectilinear2',
};

const MAP_POLYNOMIAL = 8;
const GAIN_MAP = 9;
/** Header of one opcode: id, DNG version, flags, parameter byte count. */
const OPCODE_HEADER_BYTES = 16;
const AREA_BYTES = 32;
const GAIN_MAP_HEADER_BYTES = AREA_BYTES + 44;
/** DNG limits MapPolynomial to degree 8. */
const MAX_POLYNOMIAL_DEGREE = 8;

function opcodeName(id: number): string {
  return OPCODE_NAMES[id] ?? `Opcode${id}`;
}

export interface ParsedOpcodeList {
  opcodes: OpcodeInfo[];
  warnings: string[];
}

/**
 * Parses one opcode list. GainMap and MapPolynomial get their parameters and are marked
 * applied (list 3 ones only when they do nothing, since list 3 acts after demosaicing,
 * which is outside the decoder); every other opcode is listed with a warning.
 */
export function parseOpcodeList(bytes: Uint8Array, list: 1 | 2 | 3): ParsedOpcodeList {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const damaged = (why: string) => new TapetumError('corrupt', `The file is damaged: OpcodeList${list} ${why}.`);
  if (bytes.length < 4) throw damaged('is too short');
  const count = view.getUint32(0);
  if (count > (bytes.length - 4) / OPCODE_HEADER_BYTES) throw damaged(`claims ${count} opcodes`);

  const opcodes: OpcodeInfo[] = [];
  const warnings: string[] = [];
  let p = 4;
  for (let i = 0; i < count; i++) {
    if (p + OPCODE_HEADER_BYTES > bytes.length) throw damaged('ends inside an opcode');
    const id = view.getUint32(p);
    const paramBytes = view.getUint32(p + 12);
    const start = p + OPCODE_HEADER_BYTES;
    if (paramBytes > bytes.length - start) throw damaged('ends inside an opcode');
    const name = opcodeName(id);
    const params = readParams(id, new DataView(bytes.buffer, bytes.byteOffset + start, paramBytes));
    const applied = params !== undefined && (list !== 3 || isIdentity(params));
    if (!applied) warnings.push(skipWarning(id, list, params));
    opcodes.push(applied ? { list, id, name, applied, params } : { list, id, name, applied });
    p = start + paramBytes;
  }
  return { opcodes, warnings };
}

function skipWarning(id: number, list: 1 | 2 | 3, params: OpcodeParams | undefined): string {
  const name = opcodeName(id);
  if (params) return `skipped opcode ${name} (list ${list}: it applies after demosaicing)`;
  if (id === GAIN_MAP || id === MAP_POLYNOMIAL) return `skipped malformed opcode ${name} (list ${list})`;
  return `skipped opcode ${name} (list ${list})`;
}

function readParams(id: number, view: DataView): OpcodeParams | undefined {
  if (id === GAIN_MAP) return readGainMap(view);
  if (id === MAP_POLYNOMIAL) return readMapPolynomial(view);
  return undefined;
}

function readArea(view: DataView): OpcodeArea | undefined {
  const u = (i: number) => view.getUint32(i * 4);
  const area: OpcodeArea = {
    top: u(0),
    left: u(1),
    bottom: u(2),
    right: u(3),
    plane: u(4),
    planes: u(5),
    rowPitch: u(6),
    colPitch: u(7),
  };
  const valid =
    area.bottom > area.top && area.right > area.left && area.planes > 0 && area.rowPitch > 0 && area.colPitch > 0;
  return valid ? area : undefined;
}

function readGainMap(view: DataView): GainMapParams | undefined {
  if (view.byteLength < GAIN_MAP_HEADER_BYTES) return undefined;
  const area = readArea(view);
  const pointsV = view.getUint32(32);
  const pointsH = view.getUint32(36);
  const mapPlanes = view.getUint32(72);
  const gainCount = pointsV * pointsH * mapPlanes;
  if (!area || gainCount === 0 || view.byteLength !== GAIN_MAP_HEADER_BYTES + gainCount * 4) return undefined;
  // A single grid point along an axis has no spacing; DNG readers use spacing 1, origin 0.
  const spacingV = pointsV === 1 ? 1 : view.getFloat64(40);
  const spacingH = pointsH === 1 ? 1 : view.getFloat64(48);
  const originV = pointsV === 1 ? 0 : view.getFloat64(56);
  const originH = pointsH === 1 ? 0 : view.getFloat64(64);
  if (!(spacingV > 0 && spacingH > 0 && Number.isFinite(originV) && Number.isFinite(originH))) return undefined;
  const gains = new Array<number>(gainCount);
  for (let i = 0; i < gainCount; i++) gains[i] = view.getFloat32(GAIN_MAP_HEADER_BYTES + i * 4);
  if (!gains.every(Number.isFinite)) return undefined;
  return { kind: 'GainMap', area, pointsV, pointsH, spacingV, spacingH, originV, originH, mapPlanes, gains };
}

function readMapPolynomial(view: DataView): MapPolynomialParams | undefined {
  if (view.byteLength < AREA_BYTES + 4) return undefined;
  const area = readArea(view);
  const degree = view.getUint32(AREA_BYTES);
  if (!area || degree > MAX_POLYNOMIAL_DEGREE || view.byteLength !== AREA_BYTES + 4 + (degree + 1) * 8) {
    return undefined;
  }
  const coefficients: number[] = [];
  for (let i = 0; i <= degree; i++) coefficients.push(view.getFloat64(AREA_BYTES + 4 + i * 8));
  return coefficients.every(Number.isFinite) ? { kind: 'MapPolynomial', area, coefficients } : undefined;
}

/** True when applying the opcode would change nothing (so list 3 can count it as done). */
function isIdentity(params: OpcodeParams): boolean {
  if (params.kind === 'GainMap') return params.gains.every((g) => g === 1);
  return params.coefficients.every((c, i) => c === (i === 1 ? 1 : 0));
}

/** An image of float samples, `planes` interleaved per pixel. */
export interface PlaneImage {
  width: number;
  height: number;
  planes: number;
  data: Float32Array;
}

/** Calls visit(index, row, col, plane) for every sample in the opcode's area, honouring pitches. */
function forEachInArea(
  image: PlaneImage,
  area: OpcodeArea,
  visit: (index: number, row: number, col: number, plane: number) => void,
): void {
  const bottom = Math.min(area.bottom, image.height);
  const right = Math.min(area.right, image.width);
  const lastPlane = Math.min(area.plane + area.planes, image.planes);
  for (let row = area.top; row < bottom; row += area.rowPitch) {
    for (let col = area.left; col < right; col += area.colPitch) {
      const base = (row * image.width + col) * image.planes;
      for (let plane = area.plane; plane < lastPlane; plane++) visit(base + plane, row, col, plane);
    }
  }
}

/**
 * Grid position of an image coordinate along one axis, as the DNG SDK computes it: the
 * pixel centre in relative coordinates, clamped to the first and last grid points.
 */
function gridPosition(pixel: number, size: number, origin: number, spacing: number, points: number) {
  const index = ((pixel + 0.5) / size - origin) / spacing;
  if (index <= 0) return { i0: 0, i1: 0, fraction: 0 };
  const i0 = Math.floor(index);
  if (i0 >= points - 1) return { i0: points - 1, i1: points - 1, fraction: 0 };
  return { i0, i1: i0 + 1, fraction: index - i0 };
}

/** Multiplies each sample in the area by the bilinearly interpolated gain (no clipping). */
export function applyGainMap(image: PlaneImage, map: GainMapParams): void {
  const rows = Array.from({ length: image.height }, (_, row) =>
    gridPosition(row, image.height, map.originV, map.spacingV, map.pointsV),
  );
  const cols = Array.from({ length: image.width }, (_, col) =>
    gridPosition(col, image.width, map.originH, map.spacingH, map.pointsH),
  );
  const gain = (v: number, h: number, plane: number) => map.gains[(v * map.pointsH + h) * map.mapPlanes + plane];
  forEachInArea(image, map.area, (index, row, col, plane) => {
    const r = rows[row];
    const c = cols[col];
    const mapPlane = Math.min(plane, map.mapPlanes - 1);
    const top = gain(r.i0, c.i0, mapPlane) * (1 - c.fraction) + gain(r.i0, c.i1, mapPlane) * c.fraction;
    const bottom = gain(r.i1, c.i0, mapPlane) * (1 - c.fraction) + gain(r.i1, c.i1, mapPlane) * c.fraction;
    image.data[index] *= top * (1 - r.fraction) + bottom * r.fraction;
  });
}

/**
 * Replaces each sample x in the area by the polynomial of x / valueScale, times valueScale.
 * valueScale is 1 for normalized data and 65535 for stored 16-bit values (OpcodeList1),
 * where the DNG SDK evaluates the polynomial on value / 65535.
 */
export function applyMapPolynomial(image: PlaneImage, map: MapPolynomialParams, valueScale: number): void {
  const c = map.coefficients;
  forEachInArea(image, map.area, (index) => {
    const x = image.data[index] / valueScale;
    let y = 0;
    for (let i = c.length - 1; i >= 0; i--) y = y * x + c[i];
    image.data[index] = y * valueScale;
  });
}

/** Applies the applied opcodes of one list, in file order. */
export function applyOpcodeList(image: PlaneImage, opcodes: OpcodeInfo[], list: 1 | 2, valueScale: number): void {
  for (const op of opcodes) {
    if (op.list !== list || !op.applied || !op.params) continue;
    if (op.params.kind === 'GainMap') applyGainMap(image, op.params);
    else applyMapPolynomial(image, op.params, valueScale);
  }
}
