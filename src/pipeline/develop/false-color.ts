/**
 * False-colour suppression after demosaicing (dcraw's "-m" median filter): each pass replaces
 * R - G and B - G by their 3x3 median, then rebuilds R and B from G. It removes colour
 * fringes and speckles of chroma noise without touching green, which carries the detail.
 */

/**
 * `condition ? yes : no` without a branch: on noisy differences these comparisons are coin
 * flips, and the mispredicted branches of plain ternaries cost more than two stores and a load
 * (measured on 12 MP: about 20 % faster overall; Math.min/max was slower still). Float64 slots
 * keep every value exact.
 */
const slots = new Float64Array(2);
function pick(yes: number, no: number, condition: boolean): number {
  slots[0] = no;
  slots[1] = yes;
  return slots[+condition]!;
}

function min3(a: number, b: number, c: number): number {
  const ab = pick(a, b, a < b);
  return pick(ab, c, ab < c);
}

function max3(a: number, b: number, c: number): number {
  const ab = pick(a, b, a > b);
  return pick(ab, c, ab > c);
}

function median3(a: number, b: number, c: number): number {
  const lt = a < b;
  const low = pick(a, b, lt);
  const high = pick(b, a, lt);
  return pick(low, pick(high, c, c > high), c < low);
}

/**
 * Writes the colour differences of image row `y` into `red` and `blue` (Float32, like the
 * image), at 1..width with the edge values repeated at 0 and width + 1, so the median loop
 * never clamps.
 */
function fillDifferenceRow(rgb: Float32Array, width: number, y: number, red: Float32Array, blue: Float32Array): void {
  for (let x = 0, i = y * width * 3; x < width; x++, i += 3) {
    const green = rgb[i + 1]!;
    red[x + 1] = rgb[i]! - green;
    blue[x + 1] = rgb[i + 2]! - green;
  }
  red[0] = red[1]!;
  blue[0] = blue[1]!;
  red[width + 1] = red[width]!;
  blue[width + 1] = blue[width]!;
}

/**
 * Sets `channel` of image row `y` to green plus the 3x3 median of the padded difference rows.
 * Each window column is sorted once: the median of nine is the median of (largest low, median
 * of middles, smallest high) of its three columns. The last two columns roll along in locals.
 */
function applyMedianRow(
  rgb: Float32Array, width: number, y: number, channel: number,
  above: Float32Array, here: Float32Array, below: Float32Array,
): void {
  let low0 = 0, middle0 = 0, high0 = 0, low1 = 0, middle1 = 0, high1 = 0;
  for (let k = 0, i = (y * width - 2) * 3; k < width + 2; k++, i += 3) {
    // Sorts the column with two or three comparisons. Every branch makes the same choices as
    // min3/max3/median3 (ties and NaN included), so results are bit-identical to those. Branches
    // here, not pick(): more pick() calls than this exceed V8's inlining budget (measured 3x slower).
    const a = above[k]!, b = here[k]!, c = below[k]!;
    let lo: number, hi: number, top: number, low2: number, middle2: number, high2: number;
    if (a < b) { lo = a; hi = b; top = b; } else { lo = b; hi = a; top = a > b ? a : b; }
    if (c < lo) { low2 = c; middle2 = lo; high2 = top; }
    else if (c > hi) { low2 = lo < c ? lo : c; middle2 = hi; high2 = c; }
    else { low2 = lo < c ? lo : c; middle2 = c; high2 = top > c ? top : c; }
    if (k >= 2) {
      const median = median3(max3(low0, low1, low2), median3(middle0, middle1, middle2), min3(high0, high1, high2));
      rgb[i + channel] = rgb[i + 1]! + median;
    }
    low0 = low1; middle0 = middle1; high0 = high1;
    low1 = low2; middle1 = middle2; high1 = high2;
  }
}

/**
 * Runs `passes` median passes on interleaved RGB, in place. Edge pixels repeat outward.
 * One sweep per pass serves red and blue: the differences of three rows live in a ring, and
 * the row below is read before the current row is overwritten, so every median sees the
 * differences from before the pass.
 */
export function suppressFalseColor(rgb: Float32Array, width: number, height: number, passes: number): void {
  if (width < 1 || height < 1) return;
  const rowLength = width + 2;
  const ring = new Float32Array(6 * rowLength);
  const redRows = [0, 1, 2].map((slot) => ring.subarray(slot * rowLength, (slot + 1) * rowLength));
  const blueRows = [3, 4, 5].map((slot) => ring.subarray(slot * rowLength, (slot + 1) * rowLength));
  const slotOf = (row: number) => (row < 0 ? 0 : row >= height ? height - 1 : row) % 3;
  for (let pass = 0; pass < passes; pass++) {
    fillDifferenceRow(rgb, width, 0, redRows[0]!, blueRows[0]!);
    for (let y = 0; y < height; y++) {
      if (y + 1 < height) fillDifferenceRow(rgb, width, y + 1, redRows[(y + 1) % 3]!, blueRows[(y + 1) % 3]!);
      const [above, here, below] = [slotOf(y - 1), y % 3, slotOf(y + 1)];
      applyMedianRow(rgb, width, y, 0, redRows[above]!, redRows[here]!, redRows[below]!);
      applyMedianRow(rgb, width, y, 2, blueRows[above]!, blueRows[here]!, blueRows[below]!);
    }
  }
}
