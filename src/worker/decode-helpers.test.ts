import { describe, expect, it } from 'vitest';
import { helperCount } from './decode-helpers.ts';

describe('helperCount', () => {
  it('gives every core but the worker\'s own a helper, up to three', () => {
    expect([1, 2, 4, 8, 16].map((cores) => helperCount(cores, true))).toEqual([0, 1, 3, 3, 3]);
  });

  it('starts none without shared memory (no cross-origin isolation)', () => {
    expect(helperCount(8, false)).toBe(0);
  });
});
