import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decode as decodePng } from 'fast-png';
import { afterAll, describe, expect, it } from 'vitest';
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

/**
 * The README's per-file anchors come from RawTherapee 5.9 with the tuned profile; running
 * that program ourselves and scoring its output must give the same numbers, which checks
 * the whole protocol (curves, PSNR, SSIM) against the figures the project is measured by.
 */
const SID_DEV = join(import.meta.dirname, '../../../../shared/data/sid-dev');
const PROFILE = join(import.meta.dirname, '../../../../shared/tools/rawtherapee-tuned-nr.pp3');
const README_PSNR: Record<string, number> = { '00004_14': 34.42, '00024_1': 30.4 };
const haveRawTherapee = spawnSync('sh', ['-c', 'command -v rawtherapee-cli']).status === 0;
const haveAnchors = haveRawTherapee && existsSync(SID_DEV) && existsSync(PROFILE);
if (!haveAnchors) console.warn('sid-score.test: rawtherapee-cli (Debian rawtherapee) or ../shared absent, skipping the README anchor check');

function readPng16(bytes: Uint8Array): RgbImage {
  const png = decodePng(bytes);
  return { width: png.width, height: png.height, data: png.data as Uint16Array };
}

/** RawTherapee writes a 16-bit TIFF; OpenCV turns it into a PNG fast-png can read. */
function rawTherapeeOutput(dir: string, name: string): RgbImage {
  const { ratio } = JSON.parse(readFileSync(join(SID_DEV, `${name}.json`), 'utf8'));
  const exposure = join(dir, `${name}.pp3`);
  writeFileSync(exposure, `[Exposure]\nCompensation=${Math.log2(ratio)}\n`);
  const tiff = join(dir, `${name}.tif`);
  execFileSync('rawtherapee-cli', ['-q', '-o', tiff, '-p', PROFILE, '-p', exposure, '-t', '-b16', '-Y', '-c', join(SID_DEV, `${name}.dng`)], { stdio: 'ignore' });
  const png = join(dir, `${name}.png`);
  execFileSync('/usr/bin/python3', ['-c', 'import cv2, sys; cv2.imwrite(sys.argv[2], cv2.imread(sys.argv[1], cv2.IMREAD_UNCHANGED))', tiff, png]);
  return readPng16(readFileSync(png));
}

describe.skipIf(!haveAnchors)('scorePrediction against the README anchors', () => {
  const dir = mkdtempSync(join(tmpdir(), 'tapetum-rawtherapee-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));
  it.each(Object.entries(README_PSNR))('reproduces RawTherapee tuned on %s (%f dB)', (name, psnr) => {
    const reference = readPng16(readFileSync(join(SID_DEV, `${name}.ref.png`)));
    const score = scorePrediction(rawTherapeeOutput(dir, name), reference);
    expect(score.psnr).toBeCloseTo(psnr, 2);
  }, 60_000);
});
