/**
 * Writes public/sample-dark.dng, the app's "Try a sample" file, with the project's own code:
 * the synthetic scene (sample/scene.ts) seen by a camera with the Sony ILCE-7S's colour matrix
 * and measured ISO 25600 noise, exposed SAMPLE_RATIO times too dark, mosaicked RGGB,
 * quantized to 14 bits over a black level of 512 and saved as a lossless-JPEG DNG.
 *
 *   tsx scripts/make-sample.ts [OUT]      (deterministic: a fixed seed)
 */
import { writeFileSync } from 'node:fs';
import { writeDng } from '../src/pipeline/dng/writer.ts';
import type { Matrix3 } from '../src/pipeline/dng/types.ts';
import { apply, multiply, type Vec3 } from '../src/pipeline/develop/matrix.ts';
import { SRGB_TO_XYZ_D65 } from '../src/pipeline/develop/srgb.ts';
import { mulberry32 } from '../tests/prng.ts';
import { addSensorNoise, gaussian } from './sample/noise.ts';
import { SCENE_HEIGHT, SCENE_WIDTH, renderScene } from './sample/scene.ts';

/** How much darker than a good exposure the sample is; the amplification that restores it. */
export const SAMPLE_RATIO = 100;

/** XYZ -> camera ColorMatrix (D65) of the Sony ILCE-7S (shared/data/camera-matrices.json). */
const ILCE_7S_COLOR_MATRIX: Matrix3 = [0.5838, -0.143, -0.0246, -0.3497, 1.1477, 0.2297, -0.0748, 0.1885, 0.5778];

/** darktable's noise profile of the ILCE-7S at ISO 25600, R, G, B (shared/data/noise-profiles.json). */
const NOISE_A: Vec3 = [0.000273999621319339, 0.000123659180985631, 0.00028905299555926];
const NOISE_B: Vec3 = [4.12089109009503e-7, 2.38317710095906e-7, 4.33136812728134e-7];

const BLACK = 512;
const WHITE = 16383;
const SUPERSAMPLING = 4;
const SEED = 0x7a9e7;

/** Camera neutral of D65 white, largest component 1: what AsShotNeutral records for this light. */
function cameraNeutral(linearSrgbToCamera: Matrix3): Vec3 {
  const white = apply(linearSrgbToCamera, [1, 1, 1]);
  const max = Math.max(...white);
  return [white[0] / max, white[1] / max, white[2] / max];
}

export function makeSample(): Uint8Array {
  const scene = renderScene(SUPERSAMPLING);
  const toCamera = multiply(ILCE_7S_COLOR_MATRIX, SRGB_TO_XYZ_D65);
  const neutral = cameraNeutral(toCamera);
  // Scaled so that scene white reaches the sensor's clipping point in the brightest channel.
  const exposure = 1 / Math.max(...apply(toCamera, [1, 1, 1])) / SAMPLE_RATIO;
  const random = mulberry32(SEED);
  const normal = gaussian(random);
  const mosaic = new Uint16Array(SCENE_WIDTH * SCENE_HEIGHT);
  for (let y = 0; y < SCENE_HEIGHT; y++) {
    for (let x = 0; x < SCENE_WIDTH; x++) {
      const i = y * SCENE_WIDTH + x;
      const channel = (y & 1) + (x & 1); // RGGB: R 0, G 1, B 2
      const camera = apply(toCamera, [scene[i * 3]!, scene[i * 3 + 1]!, scene[i * 3 + 2]!]);
      const noisy = addSensorNoise(camera[channel]! * exposure, NOISE_A[channel]!, NOISE_B[channel]!, random, normal);
      mosaic[i] = Math.min(Math.max(Math.round(BLACK + noisy * (WHITE - BLACK)), 0), WHITE);
    }
  }
  return writeDng(
    {
      stored: { width: SCENE_WIDTH, height: SCENE_HEIGHT, samplesPerPixel: 1, data: mosaic },
      metadata: {
        make: 'Tapetum',
        model: 'Synthetic night scene',
        uniqueCameraModel: 'Tapetum synthetic (Sony ILCE-7S colour and noise)',
        bitsPerSample: 16,
        cfaPattern: [0, 1, 1, 2],
        blackLevel: { repeatRows: 1, repeatCols: 1, values: [BLACK] },
        whiteLevel: [WHITE],
        colorMatrix1: ILCE_7S_COLOR_MATRIX,
        calibrationIlluminant1: 21,
        asShotNeutral: neutral,
        noiseProfile: [NOISE_A[1], NOISE_B[1]],
        iso: 25600,
        exposureTime: 1 / 30,
        fNumber: 2.8,
        orientation: 1,
      },
    },
    { compression: 7 },
  );
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const out = process.argv[2] ?? 'public/sample-dark.dng';
  const bytes = makeSample();
  writeFileSync(out, bytes);
  console.log(`${out}: ${SCENE_WIDTH}x${SCENE_HEIGHT}, ${(bytes.length / 1e6).toFixed(2)} MB, ratio ${SAMPLE_RATIO}`);
}
