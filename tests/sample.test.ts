/**
 * The shipped sample (public/sample-dark.dng): the noise model it was made with behaves like
 * the training model's formula, the file is exactly what scripts/make-sample.ts writes, LibRaw
 * reads it, and its noisy raw still carries the ColorChecker.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SAMPLE_RATIO, makeSample } from '../scripts/make-sample.ts';
import { addSensorNoise, gaussian, poisson } from '../scripts/sample/noise.ts';
import { CHART, COLOR_CHECKER_SRGB, SCENE_HEIGHT, SCENE_WIDTH } from '../scripts/sample/scene.ts';
import { developLinear } from '../src/pipeline/develop/index.ts';
import { decodeDng, linearize, type CfaColor, type LinearRaw } from '../src/pipeline/dng/index.ts';
import { mulberry32 } from './prng.ts';

const SAMPLE = new URL('../public/sample-dark.dng', import.meta.url);

function meanAndVariance(values: Float64Array): [number, number] {
  const mean = values.reduce((s, v) => s + v, 0) / values.length;
  const variance = values.reduce((s, v) => s + (v - mean) ** 2, 0) / (values.length - 1);
  return [mean, variance];
}

/** A 4x4 mosaic whose sites all hold their colour's value. */
function flatMosaic(rgb: [number, number, number], pattern: [CfaColor, CfaColor, CfaColor, CfaColor]): LinearRaw {
  const data = new Float32Array(16).map((_, i) => rgb[pattern[((i >> 2) & 1) * 2 + (i & 1)]!]);
  return { width: 4, height: 4, channels: 1, cfaPattern: pattern, data };
}

function hasRawIdentify(): boolean {
  try {
    execFileSync('raw-identify', ['-v', '/dev/null'], { stdio: 'ignore' });
    return true;
  } catch (e) {
    return (e as { code?: string }).code !== 'ENOENT';
  }
}

describe('sample noise model', () => {
  it('has mean x and variance a*x + b (noise.py)', () => {
    const random = mulberry32(1);
    const normal = gaussian(random);
    const [x, a, b] = [0.002, 1.2e-4, 2.4e-7];
    const n = 200_000;
    const draws = new Float64Array(n).map(() => addSensorNoise(x, a, b, random, normal));
    const [mean, variance] = meanAndVariance(draws);
    const expected = a * x + b;
    expect(Math.abs(mean - x)).toBeLessThan(4 * Math.sqrt(expected / n));
    // Standard error of a sample variance is about var * sqrt(2 / n) = 0.3 % here.
    expect(Math.abs(variance / expected - 1)).toBeLessThan(0.015);
  });

  it('draws Poisson counts with mean = variance, also past the single-piece limit', () => {
    const random = mulberry32(2);
    for (const lambda of [3, 700]) {
      const draws = new Float64Array(50_000).map(() => poisson(lambda, random));
      const [mean, variance] = meanAndVariance(draws);
      expect(Math.abs(mean / lambda - 1)).toBeLessThan(0.02);
      expect(Math.abs(variance / lambda - 1)).toBeLessThan(0.03);
    }
  });
});

describe('public/sample-dark.dng', () => {
  const bytes = new Uint8Array(readFileSync(SAMPLE));

  it('is exactly what scripts/make-sample.ts writes', () => {
    expect(Buffer.from(makeSample()).equals(Buffer.from(bytes))).toBe(true);
  }, 60_000);

  it('is read by LibRaw as a 14-bit-range RGGB DNG of the scene size', { skip: !hasRawIdentify() }, () => {
    const report = execFileSync('raw-identify', ['-v', SAMPLE.pathname], { encoding: 'utf8' });
    expect(report).toContain('Camera: Tapetum Synthetic night scene');
    expect(report).toMatch(new RegExp(`Full size:\\s+${SCENE_WIDTH} x ${SCENE_HEIGHT}`));
    expect(report).toMatch(/Filter pattern:\s+RGGB/);
  });

  it('holds the ColorChecker: patch means of the noisy raw develop to the chart', async () => {
    // Noise this strong makes any per-pixel development biased (clipping, the sRGB curve), but
    // Poisson-Gaussian noise is zero-mean in raw space, so mean raw values per patch must
    // carry the chart's colours through the file's colour tags. Tolerances come from the noise:
    // a 48x48 patch mean has a standard error of 0.5-2 % in the bright greys (about 1.5 codes)
    // but up to 17 % in the black patch's red (up to 15 codes), so the bright greys (white
    // balance) are held to 4 codes each and the whole chart to a mean error of 4 codes.
    const decoded = await decodeDng(bytes);
    expect(decoded.metadata.iso).toBe(25600);
    const raw = linearize(decoded);
    const pitch = CHART.patch + CHART.gap;
    const margin = 8;
    const errors = COLOR_CHECKER_SRGB.map((expected, p) => {
      const x0 = CHART.x + (p % CHART.columns) * pitch + margin;
      const y0 = CHART.y + Math.floor(p / CHART.columns) * pitch + margin;
      const sums = [0, 0, 0];
      const counts = [0, 0, 0];
      for (let y = y0; y < y0 + CHART.patch - 2 * margin; y++) {
        for (let x = x0; x < x0 + CHART.patch - 2 * margin; x++) {
          const colour = raw.cfaPattern![(y & 1) * 2 + (x & 1)]!;
          sums[colour]! += raw.data[y * raw.width + x]!;
          counts[colour]!++;
        }
      }
      const flat = flatMosaic(sums.map((s, c) => s / counts[c]!) as [number, number, number], raw.cfaPattern!);
      const developed = developLinear(flat, { ...decoded.metadata, defaultCrop: { x: 0, y: 0, width: 4, height: 4 } }, { ratio: SAMPLE_RATIO });
      const centre = (1 * 4 + 1) * 3;
      return expected.map((value, c) => Math.abs(developed.data[centre + c]! / 257 - value));
    });
    const BRIGHT_GREYS = [18, 19, 20, 21];
    for (const p of BRIGHT_GREYS) errors[p]!.forEach((e, c) => expect(e, `patch ${p + 1} channel ${c}`).toBeLessThanOrEqual(4));
    const all = errors.flat();
    expect(all.reduce((s, e) => s + e, 0) / all.length).toBeLessThanOrEqual(4);
  });
});
