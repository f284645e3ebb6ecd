/**
 * From stored values to scene-linear data, in the DNG order of operations: OpcodeList1 on
 * the stored raster, LinearizationTable, black subtraction and scaling to white, crop to the
 * ActiveArea, then OpcodeList2 on the normalized values. Nothing is clipped.
 */
import { applyOpcodeList, type PlaneImage } from './opcodes';
import type { DecodedDng, LinearRaw } from './types';

/** OpcodeList1 works on stored 16-bit values; the DNG SDK hands them to opcodes as value / 65535. */
const STORED_VALUE_SCALE = 65535;

export function linearize(decoded: DecodedDng): LinearRaw {
  const { metadata, stored } = decoded;
  const source = applyStoredOpcodes(decoded);
  const { x: ax, y: ay, width, height } = metadata.activeArea;
  const planes = stored.samplesPerPixel;
  const data = new Float32Array(width * height * planes);
  // LinearizationTable, clamped to its last entry; values are integers unless OpcodeList1 scaled them.
  const table = metadata.linearizationTable ? Float64Array.from(metadata.linearizationTable) : undefined;
  const last = table ? table.length - 1 : 0;
  const { repeatRows, repeatCols, values: blackPattern } = metadata.blackLevel;
  const { blackLevelDeltaH: deltaH, blackLevelDeltaV: deltaV, whiteLevel } = metadata;
  // Black and 1 / (white - black) per site of one row of the black pattern, refreshed per row:
  // a multiplication per sample instead of a division (BlackLevelDeltaH, rare, goes per pixel).
  const sites = repeatCols * planes;
  const blacks = new Float64Array(sites);
  const scales = new Float64Array(sites);
  for (let row = 0; row < height; row++) {
    const patternRow = (row % repeatRows) * repeatCols;
    const rowDelta = deltaV ? deltaV[row] : 0;
    for (let k = 0; k < sites; k++) {
      blacks[k] = blackPattern[patternRow * planes + k] + rowDelta;
      scales[k] = 1 / (whiteLevel[k % planes] - blacks[k]);
    }
    let from = ((ay + row) * stored.width + ax) * planes;
    let to = row * width * planes;
    for (let col = 0, site = 0; col < width; col++, site = (site + planes) % sites) {
      for (let s = 0; s < planes; s++, from++, to++) {
        let value = source[from];
        if (table) value = table[value <= 0 ? 0 : value >= last ? last : Math.round(value)];
        if (deltaH) {
          const black = blacks[site + s] + deltaH[col];
          data[to] = (value - black) / (whiteLevel[s] - black);
        } else {
          data[to] = (value - blacks[site + s]) * scales[site + s];
        }
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
