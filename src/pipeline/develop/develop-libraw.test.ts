/**
 * `develop` against LibRaw's rendering (dcraw_emu) of every decodable sample, with the same
 * white balance (the camera's, -w) and the file's matrix to sRGB (-o 1).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeDng, readDngMetadata } from '../dng/index.ts';
import type { Matrix3 } from '../dng/types.ts';
import type { RgbImage } from '../image/rgb-image.ts';
import { balancedCameraToSrgb, develop } from './develop.ts';
import { diagonal, multiply } from './matrix.ts';
import { cameraNeutral } from './white-balance.ts';

const samples = '../shared/data/dng-samples/decodable';
const hasDcrawEmu = spawnSync('sh', ['-c', 'command -v dcraw_emu']).status === 0;
if (!hasDcrawEmu || !existsSync(samples)) console.warn('develop-libraw.test: dcraw_emu or the decodable samples missing, skipping the LibRaw comparison');

interface Rendering {
  width: number;
  height: number;
  /** 16-bit sRGB-coded samples, interleaved RGB. */
  at: (i: number) => number;
}

/**
 * dcraw_emu with camera WB (-w), sRGB (-o 1), AHD (-q 3), no auto brightness (-W), no automatic
 * white-level adjustment (-c 0), the sRGB curve (-g 2.4 12.92), 16 bits.
 */
function librawRender(path: string): Rendering {
  const ppm = spawnSync('dcraw_emu', ['-w', '-o', '1', '-q', '3', '-W', '-c', '0', '-g', '2.4', '12.92', '-6', '-Z', '-', path], { maxBuffer: 1 << 30 }).stdout;
  const header = ppm.subarray(0, 40).toString('latin1').match(/^P6\s+(\d+)\s+(\d+)\s+\d+\s/)!;
  return { width: Number(header[1]), height: Number(header[2]), at: (i) => ppm.readUInt16BE(header[0].length + 2 * i) };
}

/**
 * LibRaw applies DefaultCrop to some files and not to others (the Blackmagic file comes out at
 * its full active area); where it does not, our crop origin is the offset into its image.
 */
function librawOffset(ours: RgbImage, libraw: Rendering, crop: { x: number; y: number }): [number, number] {
  if (libraw.width === ours.width && libraw.height === ours.height) return [0, 0];
  expect(libraw.width).toBeGreaterThanOrEqual(ours.width + crop.x);
  expect(libraw.height).toBeGreaterThanOrEqual(ours.height + crop.y);
  return [crop.x, crop.y];
}

/** PSNR (dB, 0..1 scale) and per-channel mean difference, ours minus LibRaw, 8 px borders left out. */
function compare(ours: RgbImage, libraw: Rendering, [dx, dy]: [number, number]): { psnr: number; meanDifference: number[] } {
  const border = 8;
  let squared = 0;
  let count = 0;
  const difference = [0, 0, 0];
  for (let y = border; y < ours.height - border; y++) {
    for (let x = border; x < ours.width - border; x++) {
      for (let c = 0; c < 3; c++) {
        const d = (ours.data[(y * ours.width + x) * 3 + c]! - libraw.at(((y + dy) * libraw.width + x + dx) * 3 + c)) / 65535;
        squared += d * d;
        difference[c]! += d;
      }
      count++;
    }
  }
  return { psnr: 10 * Math.log10((3 * count) / squared), meanDifference: difference.map((d) => d / count) };
}

interface Expectation {
  file: string;
  /** Lowest PSNR accepted, and largest |mean difference| per channel (sRGB-coded, 0..1). */
  minPsnr: number;
  maxMeanDifference: number;
  why: string;
}

const EXPECTATIONS: Expectation[] = [
  {
    file: 'canon-550d-magiclantern-colorchart.dng',
    minPsnr: 38,
    maxMeanDifference: 0.002,
    why: 'Bayer, flat chart patches: only the demosaic (Malvar + median vs AHD) differs, on patch edges',
  },
  {
    file: 'blackmagic-pocket-4k.dng',
    minPsnr: 40,
    maxMeanDifference: 0.008,
    why: 'Bayer 12-bit with fine detail; LibRaw leaves DefaultCrop out (offset 16, 8). Red differs by ~0.005 in mean',
  },
  {
    file: 'canon-eos-6d-lossy.dng',
    minPsnr: 50,
    maxMeanDifference: 0.002,
    why: 'lossy LinearRaw: no demosaic, so only rounding differs',
  },
  {
    file: 'lg-g4-iso800.dng',
    minPsnr: 40,
    maxMeanDifference: 0.006,
    why: 'lossy LinearRaw with per-channel MapPolynomial opcodes; red differs by ~0.003 in mean',
  },
  {
    file: 'lg-g4-sample_1mp.dng',
    minPsnr: 45,
    maxMeanDifference: 0.006,
    why: 'lossy LinearRaw with per-channel MapPolynomial opcodes; red and green differ by ~0.003 in mean',
  },
];

describe.skipIf(!hasDcrawEmu || !existsSync(samples))('develop agrees with LibRaw on every decodable sample', () => {
  // Not compared here: axiom-beta-2x2.dng, which LibRaw refuses ("Unsupported file format or not
  // RAW file"); the Lightroom files (below); synthetic-mock-opcodes.dng (32x32, GainMaps in all
  // three opcode lists, LinearizationTable, ForwardMatrix), where LibRaw's rendering differs from
  // ours entirely (about 7 dB at any offset) and the cause is not yet known.
  for (const { file, minPsnr, maxMeanDifference, why } of EXPECTATIONS) {
    it(`${file}: PSNR >= ${minPsnr} dB, channel means within ${maxMeanDifference} (${why})`, async () => {
      const path = `${samples}/${file}`;
      const decoded = await decodeDng(new Uint8Array(readFileSync(path)));
      // LibRaw ignores BaselineExposure (Blackmagic +2.65 EV, Canon 6D +0.25 EV); so do we here.
      const ours = develop({ ...decoded, metadata: { ...decoded.metadata, baselineExposure: 0 } }, { ratio: 1 });
      const libraw = librawRender(path);
      const offset = librawOffset(ours, libraw, decoded.metadata.defaultCrop);
      const { psnr, meanDifference } = compare(ours, libraw, offset);
      console.log(`${file}: ours vs LibRaw ${psnr.toFixed(2)} dB, mean difference R G B ${meanDifference.map((d) => d.toFixed(4)).join(' ')}, LibRaw offset ${offset.join(',')}`);
      expect(psnr).toBeGreaterThanOrEqual(minPsnr);
      for (const d of meanDifference) expect(Math.abs(d)).toBeLessThanOrEqual(maxMeanDifference);
    }, 120_000);
  }
});

/** Bruce Lindbloom's published RGB <-> XYZ(D50) matrices (Bradford-adapted where the space is D65). */
const XYZ_D50_TO_SRGB_PUBLISHED: Matrix3 = [3.1338561, -1.6168667, -0.4906146, -0.9787684, 1.9161415, 0.033454, 0.0719453, -0.2289914, 1.4052427];
const PROPHOTO_TO_XYZ_D50: Matrix3 = [0.7976749, 0.1351917, 0.0313534, 0.2880402, 0.7118741, 0.0000857, 0, 0, 0.82521];
const ADOBE_RGB_TO_XYZ_D50: Matrix3 = [0.6097559, 0.2052401, 0.149224, 0.3111242, 0.625656, 0.0632197, 0.0194811, 0.0608902, 0.7448387];

/**
 * Lightroom's TIFF-to-DNG files store the TIFF's RGB as LinearRaw with the inverse of that RGB
 * space as ColorMatrix1 (ProPhoto, Adobe RGB), CalibrationIlluminant Unknown and AsShotWhiteXY
 * D50: the right rendering is that RGB space converted to sRGB. LibRaw does not render them so
 * (its means differ by up to 0.09, see the log), so the reference here is the published matrices.
 */
describe.skipIf(!existsSync(samples))('develop renders Lightroom TIFF-to-DNG files as their RGB space in sRGB', () => {
  for (const [file, rgbToXyz] of [['lightroom-tiff2dng-16bit-lj92.dng', PROPHOTO_TO_XYZ_D50], ['lightroom-tiff2dng-8bit-lj92.dng', ADOBE_RGB_TO_XYZ_D50]] as const) {
    it(`${file}: camera RGB -> sRGB is the published conversion`, async () => {
      const path = `${samples}/${file}`;
      const metadata = readDngMetadata(new Uint8Array(readFileSync(path)));
      const neutral = cameraNeutral(metadata);
      // The spec's path ('xyz'); the default 'camera' path takes an Unknown illuminant for D65, as
      // LibRaw does, and misses these files (e.g. 1.31 for 1.40 in Adobe RGB's red row).
      const cameraToSrgb = multiply(balancedCameraToSrgb(metadata, 'xyz'), diagonal([1 / neutral[0], 1 / neutral[1], 1 / neutral[2]]));
      const expected = multiply(XYZ_D50_TO_SRGB_PUBLISHED, rgbToXyz);
      // The file's matrix is rounded to 4 decimals.
      cameraToSrgb.forEach((v, i) => expect(Math.abs(v - expected[i]!)).toBeLessThan(0.003));
      if (hasDcrawEmu) {
        const decoded = await decodeDng(new Uint8Array(readFileSync(path)));
        const { psnr, meanDifference } = compare(develop(decoded, { ratio: 1, colorAdaptation: 'xyz' }), librawRender(path), [0, 0]);
        console.log(`${file}: ours vs LibRaw ${psnr.toFixed(2)} dB, mean difference R G B ${meanDifference.map((d) => d.toFixed(4)).join(' ')} (not asserted, see above)`);
      }
    }, 120_000);
  }
});
