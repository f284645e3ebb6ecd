/**
 * Feature maps for the model explorer: one layer's output on a small tile, its most varied
 * channels as grey images. Runs on whatever tf backend is active.
 */
import * as tf from '@tensorflow/tfjs-core';
import { TapetumError } from '../errors.ts';
import type { PixelGrid } from '../enhance/tiled-inference.ts';
import type { UNet } from './unet.ts';

/** Largest tile side (packed pixels) the explorer may ask for: its activations stay small. */
export const MAX_FEATURE_TILE = 512;

export interface FeatureMap {
  channel: number;
  width: number;
  height: number;
  /** RGBA 8-bit grey levels, normalized from min (0) to max (255); a flat channel is all 0. */
  pixels: Uint8ClampedArray;
  min: number;
  max: number;
}

export interface LayerFeatureMaps {
  layer: string;
  /** The layer's output for the tile run: [height, width, channels]. */
  shape: [number, number, number];
  maps: FeatureMap[];
}

/**
 * The tile side to run: `requested` (a multiple of `multiple`, at most MAX_FEATURE_TILE),
 * reduced to the largest multiple that fits in a `width` x `height` image.
 */
export function featureTileSide(requested: number, width: number, height: number, multiple: number): number {
  if (!Number.isInteger(requested) || requested < multiple || requested % multiple || requested > MAX_FEATURE_TILE) {
    throw new TapetumError('internal', `The feature map tile must be a multiple of ${multiple} pixels up to ${MAX_FEATURE_TILE}, not ${requested}.`);
  }
  const fits = Math.floor(Math.min(width, height) / multiple) * multiple;
  if (fits < multiple) {
    throw new TapetumError('unsupported', `This photo is too small to show feature maps: they need at least ${2 * multiple} by ${2 * multiple} pixels.`);
  }
  return Math.min(requested, fits);
}

/** The `side` x `side` square at the centre of `grid`. */
export function centreTile(grid: PixelGrid, side: number): PixelGrid {
  const { width, height, channels } = grid;
  if (side > width || side > height) throw new TapetumError('internal', `A ${side}-pixel tile does not fit in ${width} x ${height}.`);
  const x0 = (width - side) >> 1;
  const y0 = (height - side) >> 1;
  const data = new Float32Array(side * side * channels);
  for (let y = 0; y < side; y++) {
    const from = ((y0 + y) * width + x0) * channels;
    data.set(grid.data.subarray(from, from + side * channels), y * side * channels);
  }
  return { width: side, height: side, channels, data };
}

/** Per channel of HWC `values`: minimum, maximum and variance. */
function channelStatistics(values: Float32Array, channels: number) {
  const count = values.length / channels;
  return Array.from({ length: channels }, (_, channel) => {
    let min = Infinity;
    let max = -Infinity;
    let sum = 0;
    let sumSquares = 0;
    for (let i = channel; i < values.length; i += channels) {
      const v = values[i]!;
      min = Math.min(min, v);
      max = Math.max(max, v);
      sum += v;
      sumSquares += v * v;
    }
    const mean = sum / count;
    return { channel, min, max, variance: Math.max(sumSquares / count - mean * mean, 0) };
  });
}

function greyMap(values: Float32Array, channels: number, width: number, height: number, { channel, min, max }: { channel: number; min: number; max: number }): FeatureMap {
  const pixels = new Uint8ClampedArray(width * height * 4);
  const scale = max > min ? 255 / (max - min) : 0;
  for (let i = 0; i < width * height; i++) {
    const grey = Math.round((values[i * channels + channel]! - min) * scale);
    pixels[i * 4] = pixels[i * 4 + 1] = pixels[i * 4 + 2] = grey;
    pixels[i * 4 + 3] = 255;
  }
  return { channel, width, height, pixels, min, max };
}

/**
 * Runs `unet` on `tile` (HWC, sides multiples of sizeMultiple) and returns up to `maxMaps`
 * channels of `layer`'s output, the largest variance first (ties: lower channel first).
 */
export async function layerFeatureMaps(unet: UNet, tile: PixelGrid, layer: string, maxMaps: number): Promise<LayerFeatureMaps> {
  const input = tf.tensor4d(tile.data, [1, tile.height, tile.width, tile.channels]);
  let values: Float32Array;
  let height: number, width: number, channels: number;
  try {
    const { output, taps } = unet.runWithTaps(input, [layer]);
    try {
      [, height, width, channels] = taps[layer]!.shape;
      values = (await taps[layer]!.data()) as Float32Array;
    } finally {
      tf.dispose([output, ...Object.values(taps)]);
    }
  } finally {
    input.dispose();
  }
  const chosen = channelStatistics(values, channels)
    .sort((a, b) => b.variance - a.variance || a.channel - b.channel)
    .slice(0, Math.max(0, Math.floor(maxMaps)));
  return { layer, shape: [height, width, channels], maps: chosen.map((stats) => greyMap(values, channels, width, height, stats)) };
}
