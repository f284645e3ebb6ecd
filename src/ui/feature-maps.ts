/** Feature maps as the model explorer shows them (computed by the worker's `featureMaps`). */
import type { FeatureMapsResult } from '../worker/api.ts';

export type { FeatureMapsResult };

export type FeatureMapLoader = (layer: string, tileSize: number) => Promise<FeatureMapsResult>;

/** A dark-to-bright palette (deep violet, red, orange, pale yellow) that reads well on a dark page. */
const STOPS: [number, number, number][] = [
  [8, 6, 24],
  [72, 18, 110],
  [170, 40, 90],
  [238, 110, 40],
  [252, 224, 140],
];

/** Colours a grey feature map with the palette, in place. */
export function colourize(pixels: Uint8ClampedArray): Uint8ClampedArray {
  const segments = STOPS.length - 1;
  for (let i = 0; i < pixels.length; i += 4) {
    const t = (pixels[i]! / 255) * segments;
    const s = Math.min(Math.floor(t), segments - 1);
    const f = t - s;
    const [a, b] = [STOPS[s]!, STOPS[s + 1]!];
    pixels[i] = a[0] + (b[0] - a[0]) * f;
    pixels[i + 1] = a[1] + (b[1] - a[1]) * f;
    pixels[i + 2] = a[2] + (b[2] - a[2]) * f;
    pixels[i + 3] = 255;
  }
  return pixels;
}
