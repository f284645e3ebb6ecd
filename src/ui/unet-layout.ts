/**
 * The U-Net of model.json's `architecture` as a list of layers with their output shapes for a
 * tile, in the order data flows, plus the skip connections: what the model explorer draws.
 * Layer ids match the weight names (down/i/conv1, upsample/k, up/k/conv2, head) so a layer
 * can be asked for its feature maps.
 */
import type { UNetArchitecture } from '../pipeline/model/manifest.ts';

export type LayerKind = 'input' | 'conv' | 'pool' | 'upsample' | 'head' | 'output';

export interface LayerInfo {
  id: string;
  kind: LayerKind;
  /** Resolution level: 0 is the packed input's, each pooling adds one. */
  level: number;
  path: 'contracting' | 'expansive' | 'output';
  /** Height, width, channels of the output for the tile. */
  shape: [number, number, number];
  /** What the layer computes, in words. */
  operation: string;
}

export interface SkipConnection {
  from: string;
  to: string;
  channels: number;
}

export interface UNetLayout {
  layers: LayerInfo[];
  skips: SkipConnection[];
}

type Architecture = Pick<UNetArchitecture, 'widths' | 'inChannels' | 'outChannels'>;

export function unetLayout({ widths, inChannels, outChannels }: Architecture, tile: number): UNetLayout {
  const depth = widths.length;
  const side = (level: number) => tile / 2 ** level;
  const layers: LayerInfo[] = [{ id: 'input', kind: 'input', level: 0, path: 'contracting', shape: [tile, tile, inChannels], operation: 'packed Bayer quads R, G1, B, G2' }];
  const conv = (id: string, level: number, path: LayerInfo['path'], cin: number, cout: number) =>
    layers.push({ id, kind: 'conv', level, path, shape: [side(level), side(level), cout], operation: `3×3 convolution ${cin}→${cout}, leaky ReLU` });

  widths.forEach((width, level) => {
    if (level > 0) {
      const previous = widths[level - 1]!;
      layers.push({ id: `down/${level - 1}/pool`, kind: 'pool', level, path: 'contracting', shape: [side(level), side(level), previous], operation: '2×2 max-pool' });
    }
    conv(`down/${level}/conv1`, level, 'contracting', level === 0 ? inChannels : widths[level - 1]!, width);
    conv(`down/${level}/conv2`, level, 'contracting', width, width);
  });

  const skips: SkipConnection[] = [];
  for (let k = 0; k < depth - 1; k++) {
    const level = depth - 2 - k;
    const width = widths[level]!;
    layers.push({
      id: `upsample/${k}`,
      kind: 'upsample',
      level,
      path: 'expansive',
      shape: [side(level), side(level), width],
      operation: `1×1 convolution ${widths[level + 1]}→${4 * width}, depth-to-space 2`,
    });
    skips.push({ from: `down/${level}/conv2`, to: `up/${k}/conv1`, channels: width });
    conv(`up/${k}/conv1`, level, 'expansive', 2 * width, width);
    conv(`up/${k}/conv2`, level, 'expansive', width, width);
  }

  layers.push({ id: 'head', kind: 'head', level: 0, path: 'output', shape: [tile, tile, 4 * outChannels], operation: `1×1 convolution ${widths[0]}→${4 * outChannels}` });
  layers.push({ id: 'output', kind: 'output', level: -1, path: 'output', shape: [2 * tile, 2 * tile, outChannels], operation: 'depth-to-space 2: full-resolution RGB' });
  return { layers, skips };
}
