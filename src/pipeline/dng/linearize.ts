/**
 * From stored values to scene-linear data, in the DNG order of operations: OpcodeList1 on
 * the stored raster, LinearizationTable, black subtraction and scaling to white, crop to the
 * ActiveArea, then OpcodeList2 on the normalized values. Nothing is clipped.
 */
import { applyOpcodeList, type PlaneImage } from './opcodes';
import type { DecodedDng, DngMetadata, LinearRaw } from './types';

/** OpcodeList1 works on stored 16-bit values; the DNG SDK hands them to opcodes as value / 65535. */
const STORED_VALUE_SCALE = 65535;

export function linearize(decoded: DecodedDng): LinearRaw {
  const { metadata, stored } = decoded;
  const source = applyStoredOpcodes(decoded);
  const { x: ax, y: ay, width, height } = metadata.activeArea;
  const planes = stored.samplesPerPixel;
  const data = new Float32Array(width * height * planes);
  const table = metadata.linearizationTable;
  const lastEntry = table ? table.length - 1 : 0;
  const black = blackLevelAt(metadata);
  for (let row = 0; row < height; row++) {
    for (let col = 0; col < width; col++) {
      const from = ((ay + row) * stored.width + ax + col) * planes;
      const to = (row * width + col) * planes;
      for (let s = 0; s < planes; s++) {
        let value = source[from + s];
        if (table) value = table[Math.min(Math.max(Math.round(value), 0), lastEntry)];
        const b = black(row, col, s);
        data[to + s] = (value - b) / (metadata.whiteLevel[s] - b);
      }
    }
  }
  const active: PlaneImage = { width, height, planes, data };
  applyOpcodeList(active, metadata.opcodes, 2, 1);
  return metadata.cfaPattern
    ? { width, height, channels: 1, cfaPattern: metadata.cfaPattern, data }
    : { width, height, channels: 3, data };
}

/** The stored raster as numbers, with OpcodeList1 applied when the file has one. */
function applyStoredOpcodes({ metadata, stored }: DecodedDng): ArrayLike<number> {
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

/** Black level at an active-area position: the repeating pattern plus the row and column deltas. */
function blackLevelAt(metadata: DngMetadata): (row: number, col: number, sample: number) => number {
  const { repeatRows, repeatCols, values } = metadata.blackLevel;
  const planes = metadata.samplesPerPixel;
  const deltaH = metadata.blackLevelDeltaH;
  const deltaV = metadata.blackLevelDeltaV;
  return (row, col, sample) =>
    values[((row % repeatRows) * repeatCols + (col % repeatCols)) * planes + sample] +
    (deltaV ? deltaV[row] : 0) +
    (deltaH ? deltaH[col] : 0);
}
