import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { psnr } from './psnr.ts';
import { ssim } from './ssim.ts';
import type { UnitImage } from './unit-image.ts';

const C1 = 0.01 ** 2;

function constantImage(width: number, height: number, value: number): UnitImage {
  return { width, height, channels: 3, data: new Float64Array(width * height * 3).fill(value) };
}

/** Deterministic smooth gradient plus pseudo-random noise, so windows differ from each other. */
function texturedImage(width: number, height: number, seed: number, noise: number): UnitImage {
  let state = seed;
  const random = () => {
    state = (state * 1664525 + 1013904223) >>> 0;
    return state / 2 ** 32;
  };
  const data = new Float64Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        const smooth = 0.5 + 0.3 * Math.sin((x + 7 * c) / 6) * Math.cos(y / 9);
        data[(y * width + x) * 3 + c] = Math.min(1, Math.max(0, smooth + noise * (random() - 0.5)));
      }
    }
  }
  return { width, height, channels: 3, data };
}

/**
 * Independent reference: SSIM and PSNR with NumPy and OpenCV's Gaussian blur (Wang et al.
 * formulation), cropping the 5-pixel border where the window leaves the image.
 */
const PYTHON_REFERENCE = `
import sys, numpy as np, cv2
h, w = int(sys.argv[1]), int(sys.argv[2])
raw = np.frombuffer(sys.stdin.buffer.read(), dtype='<f8')
a = raw[: h * w * 3].reshape(h, w, 3); b = raw[h * w * 3 :].reshape(h, w, 3)
def blur(img): return cv2.GaussianBlur(img, (11, 11), 1.5)
c1, c2 = 0.01 ** 2, 0.03 ** 2
scores = []
for c in range(3):
    x = a[:, :, c].copy(); y = b[:, :, c].copy()
    mx, my = blur(x), blur(y)
    vx = blur(x * x) - mx * mx; vy = blur(y * y) - my * my; cxy = blur(x * y) - mx * my
    m = ((2 * mx * my + c1) * (2 * cxy + c2)) / ((mx * mx + my * my + c1) * (vx + vy + c2))
    scores.append(m[5:-5, 5:-5].mean())
print(repr(float(np.mean(scores))), repr(float(10 * np.log10(1 / np.mean((a - b) ** 2)))))
`;

function pythonReference(a: UnitImage, b: UnitImage): { ssim: number; psnr: number } | undefined {
  const input = Buffer.concat([Buffer.from(a.data.buffer), Buffer.from(b.data.buffer)]);
  const result = spawnSync('/usr/bin/python3', ['-c', PYTHON_REFERENCE, `${a.height}`, `${a.width}`], {
    input,
    encoding: 'utf8',
  });
  if (result.status !== 0) return undefined;
  const [s, p] = result.stdout.trim().split(' ').map(Number);
  return { ssim: s, psnr: p };
}

describe('psnr', () => {
  it('is -20 log10(d) for a constant difference d', () => {
    expect(psnr(constantImage(8, 8, 0.5), constantImage(8, 8, 0.6))).toBeCloseTo(20, 10);
    expect(psnr(constantImage(8, 8, 0.25), constantImage(8, 8, 0.26))).toBeCloseTo(40, 8);
  });

  it('rejects images of different sizes', () => {
    expect(() => psnr(constantImage(8, 8, 0), constantImage(8, 9, 0))).toThrow(/8x8x3.*8x9x3/);
  });
});

describe('ssim', () => {
  it('is 1 for identical images', () => {
    const image = texturedImage(32, 24, 1, 0.2);
    expect(ssim(image, image)).toBeCloseTo(1, 12);
  });

  it('reduces to the luminance term for constant images', () => {
    // No variance anywhere: contrast-structure is C2/C2 = 1, luminance is (2ab+C1)/(a²+b²+C1).
    const [a, b] = [0.2, 0.5];
    const expected = (2 * a * b + C1) / (a * a + b * b + C1);
    expect(ssim(constantImage(16, 16, a), constantImage(16, 16, b))).toBeCloseTo(expected, 12);
  });

  it('refuses images no larger than the window', () => {
    expect(() => ssim(constantImage(10, 40, 0), constantImage(10, 40, 0))).toThrow(RangeError);
  });

  const clean = texturedImage(48, 40, 7, 0);
  const noisy = texturedImage(48, 40, 11, 0.3);
  const reference = pythonReference(clean, noisy);
  describe.skipIf(!reference)('against NumPy + OpenCV', () => {
    it('matches SSIM and PSNR of an independent implementation', () => {
      expect(ssim(clean, noisy)).toBeCloseTo(reference!.ssim, 10);
      expect(psnr(clean, noisy)).toBeCloseTo(reference!.psnr, 10);
      // A meaningful case: noisy but related, far from both 0 and 1.
      expect(reference!.ssim).toBeGreaterThan(0.1);
      expect(reference!.ssim).toBeLessThan(0.9);
    });
  });
  if (!reference) console.warn('metrics.test: /usr/bin/python3 with numpy and cv2 not available, skipping the reference comparison');
});
