import { describe, expect, it } from 'vitest';
import type { RgbImage } from '../image/rgb-image.ts';
import { scorePrediction } from './sid-score.ts';

/** Standard formulas, written out here independently of transfer.ts. */
const encodeSrgb = (l: number) => (l <= 0.0031308 ? 12.92 * l : 1.055 * l ** (1 / 2.4) - 0.055);
const encodeBt709 = (l: number) => (l < 0.018 ? 4.5 * l : 1.099 * l ** 0.45 - 0.099);

function encodedScene(encode: (linear: number) => number): RgbImage {
  const [width, height] = [40, 32];
  const data = new Uint16Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        const linear = ((x + 3 * y + 11 * c) % 37) / 36;
        data[(y * width + x) * 3 + c] = Math.round(encode(linear) * 65535);
      }
    }
  }
  return { width, height, data };
}

describe('scorePrediction', () => {
  const reference = encodedScene(encodeBt709);

  it('scores the same scene as near-perfect when ours is sRGB-encoded and the reference BT.709', () => {
    const score = scorePrediction(encodedScene(encodeSrgb), reference);
    expect(score.psnr).toBeGreaterThan(70);
    expect(score.ssim).toBeGreaterThan(0.9999);
  });

  it('sees the tone difference when ours carries BT.709 codes (the curves are applied)', () => {
    const score = scorePrediction(reference, reference);
    expect(score.psnr).toBeLessThan(35);
  });
});
