/** EXIF/TIFF Orientation (1..8) applied to an image so it displays upright. */

/**
 * Where the stored pixel (x, y) of a w x h image lands for each orientation; orientations
 * 5..8 swap width and height.
 *   1 as stored   2 mirrored left-right   3 rotated 180   4 mirrored top-bottom
 *   5 transposed  6 rotated 90 clockwise  7 transversed   8 rotated 90 counter-clockwise
 */
function destination(orientation: number, x: number, y: number, w: number, h: number): [number, number] {
  switch (orientation) {
    case 2: return [w - 1 - x, y];
    case 3: return [w - 1 - x, h - 1 - y];
    case 4: return [x, h - 1 - y];
    case 5: return [y, x];
    case 6: return [h - 1 - y, x];
    case 7: return [h - 1 - y, w - 1 - x];
    case 8: return [y, w - 1 - x];
    default: return [x, y];
  }
}

/** Interleaved pixels of any channel count (16-bit RGB for export, 8-bit RGBA for display). */
type Pixels = { width: number; height: number; data: Uint16Array | Uint8ClampedArray };

export function orient<T extends Pixels>(image: T, orientation: number): T {
  if (orientation < 2 || orientation > 8) return image;
  const { width: w, height: h, data: source } = image;
  const c = source.length / (w * h);
  const swaps = orientation >= 5;
  const outWidth = swaps ? h : w;
  const data = source instanceof Uint16Array ? new Uint16Array(source.length) : new Uint8ClampedArray(source.length);
  // Each stored row maps to a straight line in the output: find its start and step once.
  for (let y = 0; y < h; y++) {
    const [x0, y0] = destination(orientation, 0, y, w, h);
    const [x1, y1] = w > 1 ? destination(orientation, 1, y, w, h) : [x0, y0];
    const step = ((y1 - y0) * outWidth + (x1 - x0)) * c;
    let o = (y0 * outWidth + x0) * c;
    for (let x = 0, i = y * w * c; x < w; x++, i += c, o += step) {
      for (let k = 0; k < c; k++) data[o + k] = source[i + k]!;
    }
  }
  return { ...image, width: outWidth, height: swaps ? w : h, data };
}
