/**
 * False-colour suppression after demosaicing (dcraw's "-m" median filter): each pass replaces
 * R - G and B - G by their 3x3 median, then rebuilds R and B from G. It removes colour
 * fringes and speckles of chroma noise without touching green, which carries the detail.
 */

// Plain comparisons: several times faster than Math.min/max in this inner loop.
function min3(a: number, b: number, c: number): number {
  const ab = a < b ? a : b;
  return ab < c ? ab : c;
}

function max3(a: number, b: number, c: number): number {
  const ab = a > b ? a : b;
  return ab > c ? ab : c;
}

function median3(a: number, b: number, c: number): number {
  const low = a < b ? a : b;
  const high = a < b ? b : a;
  return c < low ? low : c > high ? high : c;
}

/** Runs `passes` median passes on interleaved RGB, in place. Edge pixels repeat outward. */
export function suppressFalseColor(rgb: Float32Array, width: number, height: number, passes: number): void {
  const pixels = width * height;
  const difference = new Float32Array(pixels);
  // Each window column sorted once per row: the 3x3 median is then the median of
  // (largest low, median of middles, smallest high) of its three columns.
  const low = new Float32Array(width + 2);
  const middle = new Float32Array(width + 2);
  const high = new Float32Array(width + 2);
  for (let pass = 0; pass < passes; pass++) {
    for (const channel of [0, 2]) {
      for (let i = 0; i < pixels; i++) difference[i] = rgb[i * 3 + channel]! - rgb[i * 3 + 1]!;
      for (let y = 0; y < height; y++) {
        const above = Math.max(y - 1, 0) * width;
        const here = y * width;
        const below = Math.min(y + 1, height - 1) * width;
        for (let k = 0; k < width + 2; k++) {
          const x = k === 0 ? 0 : k > width ? width - 1 : k - 1;
          const a = difference[above + x]!;
          const b = difference[here + x]!;
          const c = difference[below + x]!;
          low[k] = min3(a, b, c);
          high[k] = max3(a, b, c);
          middle[k] = median3(a, b, c);
        }
        for (let x = 0; x < width; x++) {
          const largestLow = max3(low[x]!, low[x + 1]!, low[x + 2]!);
          const smallestHigh = min3(high[x]!, high[x + 1]!, high[x + 2]!);
          const i = (here + x) * 3;
          rgb[i + channel] = rgb[i + 1]! + median3(largestLow, median3(middle[x]!, middle[x + 1]!, middle[x + 2]!), smallestHigh);
        }
      }
    }
  }
}
