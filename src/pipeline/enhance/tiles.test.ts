import { describe, expect, it } from 'vitest';
import { contextMargin, minimumTileSize, planTiles, type AxisTiles, type TileOptions } from './tiles.ts';

const OPTIONS: TileOptions = { tileSize: 256, margin: 80, blend: 16, multiple: 16, scale: 2 };

/** Each window's share of the output at every output pixel (its weight over the total). */
function shares(axis: AxisTiles, scale: number): number[][] {
  return axis.starts.map((start, i) =>
    Array.from(axis.totals, (total, p) => {
      const local = p - start * scale;
      return local >= 0 && local < axis.size * scale ? axis.weights[i]![local]! / total : 0;
    }),
  );
}

describe('contextMargin', () => {
  it('is the receptive radius of the U-Net (2 px per conv pair per level scale) rounded up to the size multiple', () => {
    // 5 levels: down 2+4+8+16+32, up 16+8+4+2 = 92 packed pixels -> 96 (multiple 16).
    expect(contextMargin(5)).toBe(96);
    // 3 levels: down 2+4+8, up 4+2 = 20 (multiple 4 -> 20).
    expect(contextMargin(3)).toBe(20);
  });
});

describe('planTiles', () => {
  it('uses one window for an image no larger than a tile', () => {
    const plan = planTiles(96, 256, OPTIONS);
    expect(plan.count).toBe(1);
    expect(plan.rows).toMatchObject({ starts: [0], size: 96 });
    expect(plan.cols).toMatchObject({ starts: [0], size: 256 });
    expect([...plan.cols.totals].every((t) => t === 1)).toBe(true);
  });

  it.each([
    [272, 16, 256],
    [512, 16, 256],
    [1000 - (1000 % 16), 16, 256],
    [1504, 2000, 1024],
    [2000, 1504, 1216],
    [4000, 512, 512],
    [3008, 2000, 300],
  ])('covers %i x %i with windows of at most %i² pixels on the pooling grid, trusting only pixels with full context', (height, width, tileSize) => {
    const options = { ...OPTIONS, tileSize };
    const plan = planTiles(height, width, options);
    const { scale, margin, multiple } = options;
    const smallest = (length: number) => Math.min(length, minimumTileSize(options));
    const budget = Math.max(Math.round(tileSize ** 2), smallest(height) * smallest(width));
    expect(plan.rows.size * plan.cols.size).toBeLessThanOrEqual(budget);
    expect(plan.count).toBe(plan.rows.starts.length * plan.cols.starts.length);
    for (const [axis, length] of [[plan.rows, height], [plan.cols, width]] as const) {
      expect(axis.size % multiple === 0 || axis.size === length).toBe(true);
      expect(axis.starts[0]).toBe(0);
      expect(axis.starts.at(-1)! + axis.size).toBe(length);
      axis.starts.forEach((s, i) => {
        expect(s % multiple).toBe(0);
        if (i > 0) expect(s).toBeGreaterThan(axis.starts[i - 1]!);
      });
      expect(axis.totals.length).toBe(length * scale);
      expect(Math.min(...axis.totals)).toBeGreaterThan(0);
      // A window contributes nowhere within `margin` of one of its edges inside the image.
      axis.starts.forEach((s, i) => {
        const w = axis.weights[i]!;
        const inner = (p: number) => (s > 0 && p < margin * scale) || (s + axis.size < length && p >= (axis.size - margin) * scale);
        for (let p = 0; p < w.length; p++) if (inner(p)) expect(w[p]).toBe(0);
      });
    }
    // Never more work than square windows of the budget's side: count those per axis by hand.
    const side = Math.max(tileSize - (tileSize % multiple), minimumTileSize(options));
    const squareStride = Math.floor((side - 2 * margin - options.blend) / multiple) * multiple;
    const squareWindows = (length: number) => (length <= side ? 1 : Math.ceil((length - side) / squareStride) + 1);
    const squareSize = (length: number) => Math.min(length, side);
    const computed = plan.count * plan.rows.size * plan.cols.size;
    expect(computed).toBeLessThanOrEqual(squareWindows(height) * squareSize(height) * squareWindows(width) * squareSize(width));
  });

  it('cuts a 12 MP raw (2000 x 1504 packed) into three full-height windows rather than four squares', () => {
    // Margin 96 and blend 16 make neighbours overlap by 208 packed pixels. Three columns of
    // ceil((2000 + 2 x 208) / 3) = 806 -> 816 (a multiple of 16) start at 0, 608 and 1184;
    // 816 x 1504 = 1.23 M pixels fits the 1216² = 1.48 M budget, 1104 x 1504 (two columns)
    // does not. Computed: 3.68 M pixels, against 4 x 864 x 1104 = 3.82 M for a 2 x 2 grid.
    const plan = planTiles(1504, 2000, { ...OPTIONS, margin: 96, tileSize: 1216 });
    expect(plan.rows).toMatchObject({ starts: [0], size: 1504 });
    expect(plan.cols).toMatchObject({ starts: [0, 608, 1184], size: 816 });
    expect(plan.count).toBe(3);
    // With a budget of 1296² = 1.68 M pixels, two columns of 1104 fit.
    const roomier = planTiles(1504, 2000, { ...OPTIONS, margin: 96, tileSize: 1296 });
    expect(roomier.cols).toMatchObject({ starts: [0, 896], size: 1104 });
    expect(roomier.count).toBe(2);
  });

  it('cross-fades smoothly: shares sum to 1 and change by at most the raised cosine\'s steepest step', () => {
    const { rows: axis } = planTiles(1024, 1024, OPTIONS);
    expect(axis.starts.length).toBeGreaterThan(2);
    const all = shares(axis, OPTIONS.scale);
    const ramp = OPTIONS.blend * OPTIONS.scale;
    // Steps of 0.5 - 0.5 cos(pi (t + 1/2) / n) are sin(pi (t + 1) / n) sin(pi / 2n) <= sin(pi / 2n).
    const steepest = Math.sin(Math.PI / (2 * ramp)) + 1e-6;
    for (let p = 0; p < axis.totals.length; p++) {
      expect(all.reduce((sum, s) => sum + s[p]!, 0)).toBeCloseTo(1, 6);
      if (p > 0) for (const s of all) expect(Math.abs(s[p]! - s[p - 1]!)).toBeLessThanOrEqual(steepest);
    }
  });

  it('raises a tile size too small to advance to the smallest workable one', () => {
    const { rows } = planTiles(1024, 1024, { ...OPTIONS, tileSize: 64 });
    expect(rows.size).toBe(minimumTileSize(OPTIONS));
    expect(rows.size - 2 * OPTIONS.margin - OPTIONS.blend).toBeGreaterThanOrEqual(OPTIONS.multiple);
  });
});
