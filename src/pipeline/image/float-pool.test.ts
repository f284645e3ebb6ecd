import { describe, expect, it } from 'vitest';
import { float32ToOverwrite, pooledLengths, recycleFloat32, reserveFloat32, zeroedFloat32 } from './float-pool.ts';

// Identity checks compare with ===: a failed toBe on these arrays would print megabytes.
const LARGE = 2 ** 20;

describe('float pool', () => {
  it('hands a recycled array to the next request of its length, zeroed', () => {
    const first = zeroedFloat32(LARGE);
    first.fill(7);
    recycleFloat32(first);
    const second = zeroedFloat32(LARGE);
    expect(second === first).toBe(true);
    expect(second.every((v) => v === 0)).toBe(true);
    // Taken: the next request gets a new array.
    expect(zeroedFloat32(LARGE) === first).toBe(false);
  });

  it('hands a recycled array to a caller that overwrites it, without zeroing it', () => {
    const first = zeroedFloat32(LARGE + 1);
    first.fill(7);
    recycleFloat32(first);
    const second = float32ToOverwrite(LARGE + 1);
    expect(second === first).toBe(true);
    expect(second[0]).toBe(7);
    expect(float32ToOverwrite(LARGE + 1) === first).toBe(false);
  });

  it('gives new zeroed arrays for other lengths, and keeps the pooled one for its own', () => {
    const pooled = zeroedFloat32(LARGE + 3);
    recycleFloat32(pooled);
    const other = zeroedFloat32(LARGE + 5);
    expect(other === pooled).toBe(false);
    expect(other.length).toBe(LARGE + 5);
    expect(other.every((v) => v === 0)).toBe(true);
    expect(zeroedFloat32(LARGE + 3) === pooled).toBe(true);
  });

  it('keeps no views into larger buffers, no small arrays and no array twice', () => {
    const view = new Float32Array(LARGE + 16).subarray(16);
    recycleFloat32(view);
    expect(zeroedFloat32(LARGE) === view).toBe(false);
    const small = new Float32Array(1024);
    recycleFloat32(small);
    expect(zeroedFloat32(1024) === small).toBe(false);
    const twice = new Float32Array(LARGE + 7);
    recycleFloat32(twice);
    recycleFloat32(twice);
    expect(zeroedFloat32(LARGE + 7) === twice).toBe(true);
    expect(zeroedFloat32(LARGE + 7) === twice).toBe(false);
  });

  it('serves a shorter request from the start of a longer recycled array, and takes the whole array back', () => {
    const longer = new Float32Array(LARGE + 1000).fill(7);
    recycleFloat32(longer);
    const view = zeroedFloat32(LARGE + 10);
    expect(view.length).toBe(LARGE + 10);
    expect(view.buffer === longer.buffer).toBe(true);
    expect(view.every((v) => v === 0)).toBe(true);
    recycleFloat32(view);
    expect(pooledLengths()).toEqual([LARGE + 1000]);
    expect(float32ToOverwrite(LARGE + 1000).buffer === longer.buffer).toBe(true);
  });

  it('picks the shortest array that fits, and none over 1.5 times the length asked for', () => {
    const [short, long] = [new Float32Array(2 * LARGE), new Float32Array(3 * LARGE)];
    recycleFloat32(long);
    recycleFloat32(short);
    expect(zeroedFloat32(2 * LARGE - 1).buffer === short.buffer).toBe(true);
    // 3 LARGE is more than 1.5 times 1.9 LARGE: a new array.
    expect(zeroedFloat32(1.9 * LARGE).buffer === long.buffer).toBe(false);
    expect(zeroedFloat32(2.5 * LARGE).buffer === long.buffer).toBe(true);
  });

  it('drops the oldest arrays beyond its 320 MB', () => {
    // Up to 64 MB each: five fit, the sixth pushes the first out.
    const arrays = Array.from({ length: 6 }, (_, i) => new Float32Array(16 * 2 ** 20 - i));
    arrays.forEach(recycleFloat32);
    expect(zeroedFloat32(arrays[0]!.length) === arrays[0]).toBe(false);
    for (const array of arrays.slice(1)) expect(zeroedFloat32(array.length) === array).toBe(true);
  });

  it('reserves arrays ahead, zeroed, as far as it keeps them', () => {
    expect(pooledLengths()).toEqual([]);
    // 48 MB and 144 MB (a 12 MP photo's linear data and output) fit; a small one and a third
    // that would pass 320 MB do not.
    const [linear, output] = [12_000_000, 36_000_000];
    reserveFloat32([linear, 1024, output, 36_000_001]);
    expect(pooledLengths()).toEqual([output, linear]);
    expect(zeroedFloat32(linear).every((v) => v === 0)).toBe(true);
    expect(pooledLengths()).toEqual([output]);
    zeroedFloat32(output);
  });
});
