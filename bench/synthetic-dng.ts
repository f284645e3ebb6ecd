/**
 * Deterministic synthetic 14-bit RGGB DNGs for the benchmarks: a scene with gradients, soft
 * blobs and hard-edged shapes, with shot and read noise, so compression and the network see
 * something like a real raw rather than a flat field.
 */
import { writeDng, type DngWriteOptions } from '../src/pipeline/dng/writer.ts';

export const BLACK = 512;
export const WHITE = 16383;

export interface SyntheticScene {
  width: number;
  height: number;
  /** Scales the scene's light: 1 is a dim but normally exposed scene, 0.02 a very dark one. */
  exposure?: number;
  seed?: number;
}

/** xorshift32: fast deterministic randomness, so every run benchmarks the same bytes. */
function randomSource(seed: number): () => number {
  let state = seed >>> 0 || 1;
  return () => {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    return (state >>> 0) / 2 ** 32;
  };
}

export function syntheticMosaic({ width, height, exposure = 1, seed = 2024 }: SyntheticScene): Uint16Array {
  const random = randomSource(seed);
  const channelGain = [0.5, 1, 0.42]; // R, G, B as a daylight scene looks to a camera
  const data = new Uint16Array(width * height);
  for (let y = 0; y < height; y++) {
    const v = y / height;
    for (let x = 0; x < width; x++) {
      const u = x / width;
      const color = (y & 1) + (x & 1); // RGGB: 0 red, 1 green, 2 blue
      let light = 0.15 + 0.35 * u * (1 - v) + 0.12 * Math.sin(9 * u + 4 * v) * Math.cos(7 * v);
      if ((Math.floor(u * 12) + Math.floor(v * 8)) % 5 === 0) light *= 0.4; // hard edges
      const signal = Math.max(0, exposure * light * channelGain[color]!) * (WHITE - BLACK);
      // Approximately Gaussian: the sum of four uniforms, scaled to unit variance.
      const gaussian = (random() + random() + random() + random() - 2) * Math.sqrt(3);
      const sigma = Math.sqrt(2 * signal + 36);
      data[y * width + x] = Math.min(WHITE, Math.max(0, Math.round(BLACK + signal + sigma * gaussian)));
    }
  }
  return data;
}

/** The mosaic as a DNG with a plausible camera's colour tags. */
export function syntheticDng(mosaic: Uint16Array, width: number, height: number, options: DngWriteOptions = {}): Uint8Array {
  return writeDng(
    {
      stored: { width, height, samplesPerPixel: 1, data: mosaic },
      metadata: {
        make: 'Tapetum',
        model: 'Benchmark',
        bitsPerSample: 14,
        cfaPattern: [0, 1, 1, 2],
        blackLevel: { repeatRows: 1, repeatCols: 1, values: [BLACK] },
        whiteLevel: [WHITE],
        colorMatrix1: [0.5838, -0.143, -0.0246, -0.3497, 1.1477, 0.2297, -0.0748, 0.1885, 0.5778],
        calibrationIlluminant1: 21,
        asShotNeutral: [0.5, 1, 0.42],
      },
    },
    options,
  );
}
