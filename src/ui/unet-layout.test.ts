import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parseManifest } from '../pipeline/model/manifest.ts';
import { unetLayout } from './unet-layout.ts';

const TIERS = ['fast', 'quality'].filter((tier) => {
  try {
    readFileSync(new URL(`../../public/model/${tier}/model.json`, import.meta.url));
    return true;
  } catch {
    return false;
  }
});

describe.each(TIERS)('unetLayout of the shipped %s model', (tier) => {
  const manifest = parseManifest(new Uint8Array(readFileSync(new URL(`../../public/model/${tier}/model.json`, import.meta.url))));
  const kernels = new Map(manifest.weightsManifest.flatMap((g) => g.weights).filter((w) => w.name.endsWith('/kernel')).map((w) => [w.name.replace(/\/kernel$/, ''), w.shape]));
  const { layers, skips } = unetLayout(manifest.architecture, 256);
  const byId = new Map(layers.map((l) => [l.id, l]));

  it('has one layer per weighted operation, with the channel count of its kernel', () => {
    for (const [name, shape] of kernels) {
      const layer = byId.get(name);
      expect(layer, name).toBeDefined();
      const outChannels = shape[3]!;
      // Upsampling and the head produce 4x channels, folded by depth-to-space (upsample) or not (head).
      expect(layer!.shape[2], name).toBe(layer!.kind === 'upsample' ? outChannels / 4 : outChannels);
    }
    expect(layers.filter((l) => l.kind === 'conv' || l.kind === 'upsample' || l.kind === 'head')).toHaveLength(kernels.size);
  });

  it('feeds each expansive block the upsampled map and its skip (kernel input = both widths)', () => {
    for (const skip of skips) {
      const target = kernels.get(skip.to)!;
      const k = skip.to.split('/')[1];
      expect(target[2]).toBe(byId.get(skip.from)!.shape[2] + byId.get(`upsample/${k}`)!.shape[2]);
      expect(byId.get(skip.from)!.shape.slice(0, 2)).toEqual(byId.get(skip.to)!.shape.slice(0, 2));
    }
  });

  it('halves the resolution per level and ends at twice the tile, in RGB', () => {
    const depth = manifest.architecture.widths.length;
    expect(byId.get(`down/${depth - 1}/conv2`)!.shape.slice(0, 2)).toEqual([256 / 2 ** (depth - 1), 256 / 2 ** (depth - 1)]);
    expect(byId.get('output')!.shape).toEqual([512, 512, manifest.architecture.outChannels]);
  });
});
