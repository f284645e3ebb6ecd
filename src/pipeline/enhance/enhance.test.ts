import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { decode as decodePng } from 'fast-png';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { folderReader, modelFolder, MODEL_TIERS, type ModelTierName } from '../../cli/model-files.ts';
import { useNodeBackend } from '../../cli/tf-backend.ts';
import { develop } from '../develop/develop.ts';
import { decodeDng } from '../dng/index.ts';
import type { DecodedDng } from '../dng/types.ts';
import { writeDng } from '../dng/writer.ts';
import { TapetumError } from '../errors.ts';
import { to8bit, type RgbImage } from '../image/rgb-image.ts';
import { loadModel } from '../model/load.ts';
import type { UNet } from '../model/unet.ts';
import { enhance, type EnhanceProgress } from './enhance.ts';

const REPO = join(import.meta.dirname, '../../..');
const SID_DEV = join(REPO, '../shared/data/sid-dev');
const hasSidDev = existsSync(SID_DEV);
const hasModels = MODEL_TIERS.every((tier) => existsSync(join(modelFolder(tier), 'model.json')));
if (!hasSidDev) console.warn(`sid-dev enhancement tests skipped: ${SID_DEV} not found`);
if (!hasModels) console.warn('enhancement tests skipped: public/model/{fast,quality} missing');

const pythonReady = (() => {
  try {
    execFileSync('/usr/bin/python3', ['-c', 'import torch, cv2'], { stdio: 'ignore' });
    return true;
  } catch {
    console.warn('PyTorch reference test skipped: /usr/bin/python3 with torch and cv2 not found');
    return false;
  }
})();

const models = new Map<ModelTierName, UNet>();
async function model(tier: ModelTierName): Promise<UNet> {
  if (!models.has(tier)) models.set(tier, (await loadModel(folderReader(modelFolder(tier)))).unet);
  return models.get(tier)!;
}

beforeAll(() => useNodeBackend('wasm'));
afterAll(() => models.forEach((unet) => unet.dispose()));

async function sidDev(name: string): Promise<{ decoded: DecodedDng; ratio: number }> {
  const decoded = await decodeDng(new Uint8Array(readFileSync(join(SID_DEV, `${name}.dng`))));
  return { decoded, ratio: JSON.parse(readFileSync(join(SID_DEV, `${name}.json`), 'utf8')).ratio };
}

/** PSNR of two 16-bit images, leaving out `border` pixels at each edge. */
function psnr16(a: RgbImage, b: RgbImage, border = 0): number {
  expect([a.width, a.height]).toEqual([b.width, b.height]);
  let se = 0;
  let n = 0;
  for (let y = border; y < a.height - border; y++) {
    for (let i = (y * a.width + border) * 3; i < (y * a.width + a.width - border) * 3; i++) {
      se += ((a.data[i]! - b.data[i]!) / 65535) ** 2;
      n++;
    }
  }
  return 10 * Math.log10(n / se);
}

function maxDifference8(a: RgbImage, b: RgbImage): number {
  const [x, y] = [to8bit(a).data, to8bit(b).data];
  let max = 0;
  for (let i = 0; i < x.length; i++) max = Math.max(max, Math.abs(x[i]! - y[i]!));
  return max;
}

describe.skipIf(!hasSidDev || !hasModels)('enhance on sid-dev', () => {
  const NAME = '00024_1';

  // The quality tier's mirrored passes: per window in TypeScript, over the whole mosaic in Python.
  // Python's mirrored members drop the mosaic's first line to restore the Bayer phase, TypeScript's
  // read one line further: their members sit one packed pixel apart (another pooling grid, another
  // reflected edge, which reaches 92 packed pixels in), so the two ensembles differ slightly
  // across the image (00024_1: 47.9 dB; one pass: 100 dB), not only on the outermost pixels.
  it.skipIf(!pythonReady).each(MODEL_TIERS)("gives the same image as training's PyTorch enhance_dng_ensemble (PSNR >= 45 dB, %s tier)", async (tier) => {
    const { decoded, ratio } = await sidDev(NAME);
    const dir = mkdtempSync(join(tmpdir(), 'tapetum-ref-'));
    try {
      const out = join(dir, 'ref.png');
      execFileSync('/usr/bin/python3', ['../scripts/enhance_reference.py', modelFolder(tier), join(SID_DEV, `${NAME}.dng`), String(ratio), out], {
        cwd: join(REPO, 'training'),
        env: { ...process.env, PYTHONPATH: '.' },
      });
      const png = decodePng(readFileSync(out));
      const reference: RgbImage = { width: png.width, height: png.height, data: png.data as Uint16Array };
      const ours = await enhance(decoded, await model(tier), { ratio });
      const score = psnr16(ours.rgb16, reference);
      const inside = psnr16(ours.rgb16, reference, 1);
      console.log(`TypeScript vs PyTorch enhance of ${NAME} (${tier}): PSNR ${score.toFixed(1)} dB, without the outermost pixels ${inside.toFixed(1)} dB`);
      expect(score).toBeGreaterThanOrEqual(45);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.each(MODEL_TIERS)('tiled equals untiled within 1/255 in 8-bit sRGB (%s model)', async (tier) => {
    const { decoded, ratio } = await sidDev(NAME);
    const unet = await model(tier);
    const whole = await enhance(decoded, unet, { ratio, tileSize: 4096 });
    let runs = 0;
    // 256 x 256 packed pixels in windows of 224 x 224 (the smallest workable): 3 x 3 windows,
    // inner edges in both directions; progress counts network runs, `passes` per window.
    const tiled = await enhance(decoded, unet, { ratio, tileSize: 224, onProgress: (p) => (runs = p.phase === 'infer' ? p.total : runs) });
    const windows = runs / unet.passes;
    const max = maxDifference8(whole.rgb16, tiled.rgb16);
    console.log(`tiled (${windows} windows) vs untiled, ${tier}: max 8-bit difference ${max}, PSNR ${psnr16(whole.rgb16, tiled.rgb16).toFixed(1)} dB`);
    expect(windows).toBe(9);
    expect(max).toBeLessThanOrEqual(1);
  });

  it('reports progress through prepare, every window and finish, and frees every tensor', async () => {
    const { decoded, ratio } = await sidDev(NAME);
    const unet = await model('fast');
    const start = tf.memory().numTensors;
    const seen: EnhanceProgress[] = [];
    // 256 x 256 packed pixels within 240² = 57,600 pixels: three windows of 256 x 224.
    const result = await enhance(decoded, unet, { ratio, tileSize: 240, onProgress: (p) => seen.push(p) });
    expect(tf.memory().numTensors).toBe(start);
    expect(seen.map((p) => `${p.phase} ${p.done}/${p.total}`)).toEqual(['prepare 0/1', 'infer 0/1', 'infer 1/3', 'infer 2/3', 'infer 3/3', 'finish 0/1', 'finish 1/1']);
    expect(seen.every((p, i) => i === 0 || p.elapsedMs >= seen[i - 1]!.elapsedMs)).toBe(true);
    expect(seen.find((p) => p.phase === 'infer' && p.done === 2)?.etaMs).toBeGreaterThan(0);
    expect(result.ratioUsed).toBe(ratio);
    expect(result.timings.totalMs).toBeGreaterThanOrEqual(result.timings.inferMs);
  });

  it('stops with a cancelled error when aborted between windows, and frees every tensor', async () => {
    const { decoded, ratio } = await sidDev(NAME);
    const unet = await model('fast');
    const start = tf.memory().numTensors;
    const controller = new AbortController();
    let windows = 0;
    const error = await enhance(decoded, unet, {
      ratio,
      tileSize: 240,
      signal: controller.signal,
      onProgress: (p) => {
        if (p.phase === 'infer' && p.done === 1) controller.abort();
        if (p.phase === 'infer' && p.done > 0) windows = p.done;
      },
    }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(TapetumError);
    expect((error as TapetumError).code).toBe('cancelled');
    expect(windows).toBe(1);
    expect(tf.memory().numTensors).toBe(start);
  });
});

/** A clean, smooth 14-bit scene in a GBRG mosaic with an odd size, a DefaultCrop and a rotation. */
function smoothSceneDng(): Uint8Array {
  const width = 201;
  const height = 139;
  const pattern = [1, 2, 0, 1] as const;
  const neutral = [0.5, 1, 0.4];
  const data = new Uint16Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const colour = pattern[(y & 1) * 2 + (x & 1)]!;
      // Scene reflectance: soft diagonal gradient and a gentle colour wash.
      const scene = 0.15 + 0.25 * (x / width) + 0.1 * (y / height) + (colour === 0 ? 0.1 * Math.sin(x / 40) : 0);
      data[y * width + x] = 512 + Math.round(scene * neutral[colour]! * (16383 - 512) * 0.02);
    }
  }
  return writeDng({
    stored: { width, height, samplesPerPixel: 1, data },
    metadata: {
      bitsPerSample: 14,
      cfaPattern: [...pattern],
      blackLevel: { repeatRows: 1, repeatCols: 1, values: [512] },
      whiteLevel: [16383],
      colorMatrix1: [0.5838, -0.143, -0.0246, -0.3497, 1.1477, 0.2297, -0.0748, 0.1885, 0.5778],
      calibrationIlluminant1: 21,
      asShotNeutral: neutral as [number, number, number],
      defaultCrop: { x: 3, y: 5, width: 190, height: 121 },
      orientation: 6,
    },
  });
}

describe.skipIf(!hasModels)('enhance geometry and colour', () => {
  it('gives the same size as develop and agrees with it on a clean scene (odd GBRG mosaic, crop, rotation)', async () => {
    const decoded = await decodeDng(smoothSceneDng());
    const classic = develop(decoded, { ratio: 50 });
    const ours = await enhance(decoded, await model('fast'), { ratio: 50 });
    expect([ours.rgb16.width, ours.rgb16.height]).toEqual([classic.width, classic.height]);
    expect([ours.rgb16.width, ours.rgb16.height]).toEqual([121, 190]);
    const score = psnr16(ours.rgb16, classic);
    console.log(`enhance vs develop on a clean smooth scene: PSNR ${score.toFixed(1)} dB`);
    expect(score).toBeGreaterThanOrEqual(30);
  });
});
