/**
 * The step between raw codes near black. ADCs record a signal as the code below it (truncating)
 * or nearest to it (rounding), so codes sit up to half a step below the signal; a 12-bit step
 * amplified 30x is a visible shadow shift. The network is trained for codes moved up by a
 * fraction of a step (model.json `conventions.codeCentreShift`), and the step is only known from
 * the data: files keep 12-bit codes in 14-bit containers (steps of 4), 10-bit codes in 16-bit
 * ones (steps of 64), and so on.
 */

/** Codes near black: the darkest 1/64 of the range, where dark photos have most of their pixels. */
const NEAR_BLACK_FRACTION = 1 / 64;
/** Fewer distinct codes than this near black say nothing about the grid. */
const MIN_CODES = 4;
/**
 * Rows of sites read at most, evenly spaced: a dark photo uses every code near black thousands of
 * times over, and reading all 3 M sites of a 12 MP mosaic took 50-60 ms of `linearize`.
 */
const MAX_ROWS = 256;

export interface CodeSites {
  /** Values in stored order (after the LinearizationTable), `planes` per pixel. */
  source: ArrayLike<number>;
  rowLength: number;
  /** First site and spacing of the sampled sites: one site of the black-level pattern. */
  x0: number;
  y0: number;
  dx: number;
  dy: number;
  columns: number;
  rows: number;
  black: number;
  white: number;
}

/**
 * The upper median gap between the distinct codes of the sampled sites near black (rows of
 * sites spaced to read at most MAX_ROWS), in normalized units (1 = white - black); 1 DN when too
 * few codes lie near black to see a grid.
 */
export function codeStepNearBlack(sites: CodeSites): number {
  const { source, rowLength, x0, y0, dx, dy, columns, rows, black, white } = sites;
  const range = Math.max(1, Math.ceil((white - black) * NEAR_BLACK_FRACTION));
  const present = new Uint8Array(range + 1);
  const rowStride = Math.ceil(rows / MAX_ROWS);
  for (let r = 0; r < rows; r += rowStride) {
    const end = (y0 + r * dy) * rowLength + x0 + columns * dx;
    for (let i = end - columns * dx; i < end; i += dx) {
      const offset = Math.round(source[i]! - black);
      if (offset >= 0 && offset <= range) present[offset] = 1;
    }
  }
  const gaps: number[] = [];
  let previous = -1;
  for (let i = 0; i <= range; i++) {
    if (!present[i]) continue;
    if (previous >= 0) gaps.push(i - previous);
    previous = i;
  }
  if (gaps.length + 1 < MIN_CODES) return 1 / (white - black);
  gaps.sort((a, b) => a - b);
  return gaps[gaps.length >> 1]! / (white - black);
}
