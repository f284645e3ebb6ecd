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
    [272, 256],
    [512, 256],
    [1000 - (1000 % 16), 256],
    [1504, 1024],
    [2000, 1024],
    [4000, 512],
    [3008, 300],
  ])('covers a length of %i with windows of at most %i on the pooling grid, trusting only pixels with full context', (length, tileSize) => {
    const options = { ...OPTIONS, tileSize };
    const { rows: axis } = planTiles(length, 16, options);
    const { scale, margin, multiple } = options;
    expect(axis.size % multiple).toBe(0);
    expect(axis.size).toBeLessThanOrEqual(Math.max(tileSize - (tileSize % multiple), minimumTileSize(options)));
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
    // No more windows than the largest allowed size would need.
    const largest = Math.max(tileSize - (tileSize % multiple), minimumTileSize(options));
    const largestStride = Math.floor((largest - 2 * margin - options.blend) / multiple) * multiple;
    const needed = length <= largest ? 1 : Math.ceil((length - largest) / largestStride) + 1;
    expect(axis.starts.length).toBeLessThanOrEqual(needed);
  });

  it('cross-fades smoothly: shares sum to 1 and change by at most the raised cosine\'s steepest step', () => {
    const { rows: axis } = planTiles(1024, 16, OPTIONS);
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
    const { rows } = planTiles(1024, 16, { ...OPTIONS, tileSize: 64 });
    expect(rows.size).toBe(minimumTileSize(OPTIONS));
    expect(rows.size - 2 * OPTIONS.margin - OPTIONS.blend).toBeGreaterThanOrEqual(OPTIONS.multiple);
  });
});
