import { describe, expect, it } from 'vitest';
import { contextMargin, planTiles } from '../pipeline/enhance/tiles.ts';
import { wasmHeapBytesPerPixel } from '../pipeline/model/memory.ts';
import { backendDetail, backendOrder, defaultModelTier, defaultTileSize, wasmThreadCount, type BackendProbe } from './backend-choice.ts';

const everything: BackendProbe = { webgpuAdapter: true, wasm: true, wasmSimd: true, wasmThreads: true, crossOriginIsolated: true, cores: 2 };
const noGpu: BackendProbe = { ...everything, webgpuAdapter: false };
const notIsolated: BackendProbe = { ...noGpu, wasmThreads: false, crossOriginIsolated: false };
const noWasm: BackendProbe = { ...noGpu, wasm: false, wasmSimd: false, wasmThreads: false };

// The shipped network (public/model/*/model.json: both tiers) and the wider one that served the
// quality tier until stop 22.
const fast = { widths: [8, 16, 32, 64, 128], inChannels: 4, outChannels: 3, sizeMultiple: 16 };
const wide = { widths: [16, 32, 64, 128, 256], inChannels: 4, outChannels: 3, sizeMultiple: 16 };

describe('backendOrder', () => {
  it('prefers WebGPU, then WASM, then plain JavaScript', () => {
    expect(backendOrder(everything)).toEqual(['webgpu', 'wasm', 'cpu']);
    expect(backendOrder(noGpu)).toEqual(['wasm', 'cpu']);
    expect(backendOrder(noWasm)).toEqual(['cpu']);
  });

  it('puts a forced backend first and keeps the others as fallbacks', () => {
    expect(backendOrder(everything, 'wasm')).toEqual(['wasm', 'webgpu', 'cpu']);
    expect(backendOrder(everything, 'cpu')).toEqual(['cpu', 'webgpu', 'wasm']);
  });

  it('ignores a forced backend this environment does not have', () => {
    expect(backendOrder(noGpu, 'webgpu')).toEqual(['wasm', 'cpu']);
  });
});

describe('wasmThreadCount', () => {
  it('uses every core (tfjs alone would use half of them)', () => {
    expect(wasmThreadCount(everything)).toBe(2);
    expect(wasmThreadCount({ ...everything, cores: 6 })).toBe(6);
  });

  it('stays within the 8 pre-started pthread workers', () => {
    expect(wasmThreadCount({ ...everything, cores: 32 })).toBe(8);
  });

  it('is 1 without threads, without SIMD (tfjs has no threaded non-SIMD build) or without a core count', () => {
    expect(wasmThreadCount(notIsolated)).toBe(1);
    expect(wasmThreadCount({ ...everything, wasmSimd: false })).toBe(1);
    expect(wasmThreadCount({ ...everything, cores: 0 })).toBe(1);
  });
});

describe('defaults per backend', () => {
  it('runs the quality model on WebGPU and the fast one on CPUs', () => {
    expect(defaultModelTier('webgpu')).toBe('quality');
    expect(defaultModelTier('wasm')).toBe('fast');
    expect(defaultModelTier('cpu')).toBe('fast');
  });

  it('describes each backend for the capabilities panel', () => {
    expect(backendDetail(everything, 'wasm')).toBe('SIMD + 2 threads');
    expect(backendDetail(notIsolated, 'wasm')).toBe('SIMD + 1 thread (page not cross-origin isolated)');
    expect(backendDetail(noGpu, 'webgpu')).toBe('no WebGPU adapter in this browser');
  });
});

describe('tile size', () => {
  const GiB = 2 ** 30;
  it('is the side of the largest window the WASM budget holds (1 GiB where the device memory is unknown)', () => {
    for (const architecture of [fast, wide]) {
      const side = defaultTileSize('wasm', architecture);
      const bytes = wasmHeapBytesPerPixel(architecture);
      expect(side * side * bytes).toBeLessThanOrEqual(GiB);
      expect((side + 1) ** 2 * bytes).toBeGreaterThan(GiB);
    }
  });

  it('takes a 12 MP raw (2000 x 1504 packed) in two windows of the fast model on an 8 GB device, three on 4 GB or unknown', () => {
    const windows = (limits: { deviceMemoryGiB?: number }) =>
      planTiles(1504, 2000, { tileSize: defaultTileSize('wasm', fast, limits), margin: contextMargin(fast.widths.length), blend: 16, multiple: 16, scale: 2 }).count;
    expect(windows({ deviceMemoryGiB: 8 })).toBe(2);
    expect(windows({ deviceMemoryGiB: 4 })).toBe(3);
    expect(windows({})).toBe(3);
  });

  it('takes at most a quarter of the reported device memory, and 1.25 GiB at most', () => {
    const bytes = wasmHeapBytesPerPixel(fast);
    const within = (deviceMemoryGiB: number, budget: number) => {
      const side = defaultTileSize('wasm', fast, { deviceMemoryGiB });
      expect(side * side * bytes).toBeLessThanOrEqual(budget);
      expect((side + 1) ** 2 * bytes).toBeGreaterThan(budget);
    };
    within(2, 0.5 * GiB);
    within(4, GiB);
    within(8, 1.25 * GiB);
  });

  it('keeps the largest WebGPU tensor within one buffer binding', () => {
    const binding = 128 * 2 ** 20; // the WebGPU default maxStorageBufferBindingSize
    const side = defaultTileSize('webgpu', wide, { maxBufferBytes: binding, deviceMemoryGiB: 8 });
    // The level-0 concatenation of the wider network: 32 channels at the tile's size.
    expect(side * side * 32 * 4).toBeLessThanOrEqual(binding);
  });
});
