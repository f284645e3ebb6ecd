/**
 * From stored values to scene-linear data, in the DNG order of operations: OpcodeList1 on
 * the stored raster, LinearizationTable, black subtraction and scaling to white, crop to the
 * ActiveArea, then OpcodeList2 on the normalized values. Nothing is clipped.
 */
import { float32ToOverwrite } from '../image/float-pool.ts';
import { codeStepNearBlack } from './code-step';
import { applyOpcodeList, type PlaneImage } from './opcodes';
import type { DecodedDng, DngMetadata, LinearRaw } from './types';

/** OpcodeList1 works on stored 16-bit values; the DNG SDK hands them to opcodes as value / 65535. */
const STORED_VALUE_SCALE = 65535;

/**
 * Black and 1 / (white - black) for the samples of one active-area row. They repeat every
 * `period` samples: one repeat of the BlackLevel pattern, or the whole row with
 * BlackLevelDeltaH (which varies per column).
 */
interface RowLevels {
  period: number;
  blacks: Float64Array;
  scales: Float64Array;
}

export function linearize(decoded: DecodedDng): LinearRaw {
  const { metadata, stored } = decoded;
  const source = applyLinearizationTable(applyStoredOpcodes(decoded), metadata.linearizationTable);
  const { x: ax, y: ay, width, height } = metadata.activeArea;
  const planes = stored.samplesPerPixel;
  const rowSamples = width * planes;
  const data = float32ToOverwrite(rowSamples * height);
  const levels = rowLevelsOf(metadata, planes);
  for (let row = 0; row < height; row++) {
    const { period, blacks, scales } = levels(row);
    const from = ((ay + row) * stored.width + ax) * planes;
    const to = row * rowSamples;
    // One pass per site of the period, with its black and scale as constants: no per-sample
    // modulo or branch (a period of 1, the usual case, is a plain contiguous loop).
    for (let k = 0; k < period; k++) {
      const black = blacks[k]!;
      const scale = scales[k]!;
      for (let i = k; i < rowSamples; i += period) data[to + i] = (source[from + i]! - black) * scale;
    }
  }
  const active: PlaneImage = { width, height, planes, data };
  applyOpcodeList(active, metadata.opcodes, 2, 1);
  return metadata.cfaPattern
    ? { width, height, channels: 1, cfaPattern: metadata.cfaPattern, data, codeStep: codeStep(source, decoded) }
    : { width, height, channels: 3, data };
}

/** The code step of a mosaic, read on the sites of the black pattern's first entry. */
function codeStep(source: ArrayLike<number>, { metadata, stored }: DecodedDng): number {
  const { x, y, width, height } = metadata.activeArea;
  const { repeatRows, repeatCols, values } = metadata.blackLevel;
  return codeStepNearBlack({
    source, rowLength: stored.width, x0: x, y0: y, dx: repeatCols, dy: repeatRows,
    columns: Math.floor(width / repeatCols), rows: Math.floor(height / repeatRows),
    black: values[0]!, white: metadata.whiteLevel[0]!,
  });
}

/**
 * The black levels of each active-area row: the BlackLevel pattern (from the active-area
 * origin) plus BlackLevelDeltaV of the row and BlackLevelDeltaH of the column. Rows without
 * DeltaV share one result per pattern row, computed once.
 */
function rowLevelsOf(metadata: DngMetadata, planes: number): (row: number) => RowLevels {
  const { repeatRows, repeatCols, values: pattern } = metadata.blackLevel;
  const { blackLevelDeltaH: deltaH, blackLevelDeltaV: deltaV, whiteLevel } = metadata;
  const sites = repeatCols * planes;
  const period = deltaH ? metadata.activeArea.width * planes : sites;
  const levelsFor = (patternRow: number, rowDelta: number, into: RowLevels): RowLevels => {
    for (let i = 0; i < period; i++) {
      const plane = i % planes;
      const column = (i - plane) / planes;
      const black = pattern[patternRow * sites + (i % sites)]! + rowDelta + (deltaH ? deltaH[column]! : 0);
      into.blacks[i] = black;
      into.scales[i] = 1 / (whiteLevel[plane]! - black);
    }
    return into;
  };
  const blank = (): RowLevels => ({ period, blacks: new Float64Array(period), scales: new Float64Array(period) });
  if (deltaV) {
    const shared = blank();
    return (row) => levelsFor(row % repeatRows, deltaV[row]!, shared);
  }
  const perPatternRow = Array.from({ length: repeatRows }, (_, r) => levelsFor(r, 0, blank()));
  return (row) => perPatternRow[row % repeatRows]!;
}

/**
 * Stored values through the LinearizationTable (rounded, clamped to its ends), as one pass
 * before normalization. Table entries are 16-bit integers (SHORT), exact in a Float32Array.
 */
function applyLinearizationTable(source: Uint16Array | Float32Array, table: number[] | undefined): Uint16Array | Float32Array {
  if (!table) return source;
  const last = table.length - 1;
  const mapped = new Float32Array(source.length);
  for (let i = 0; i < source.length; i++) {
    const value = source[i]!;
    mapped[i] = table[value <= 0 ? 0 : value >= last ? last : Math.round(value)]!;
  }
  return mapped;
}

/** The stored raster as numbers, with OpcodeList1 applied when the file has one. */
function applyStoredOpcodes({ metadata, stored }: DecodedDng): Uint16Array | Float32Array {
  if (!metadata.opcodes.some((op) => op.list === 1 && op.applied)) return stored.data;
  const image: PlaneImage = {
    width: stored.width,
    height: stored.height,
    planes: stored.samplesPerPixel,
    data: Float32Array.from(stored.data),
  };
  applyOpcodeList(image, metadata.opcodes, 1, STORED_VALUE_SCALE);
  return image.data;
}
