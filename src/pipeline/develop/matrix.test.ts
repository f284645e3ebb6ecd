import { describe, expect, it } from 'vitest';
import { TapetumError } from '../errors.ts';
import type { Matrix3 } from '../dng/types.ts';
import { IDENTITY, apply, chain, invert, mix, multiply } from './matrix.ts';

const SONY_A7S2_COLOR_MATRIX: Matrix3 = [0.5838, -0.143, -0.0246, -0.3497, 1.1477, 0.2297, -0.0748, 0.1885, 0.5778];

function expectMatrixClose(actual: Matrix3, expected: Matrix3, digits: number) {
  actual.forEach((v, i) => expect(v).toBeCloseTo(expected[i]!, digits));
}

describe('3x3 matrices', () => {
  it('invert gives the inverse on both sides', () => {
    const inverse = invert(SONY_A7S2_COLOR_MATRIX);
    expectMatrixClose(multiply(SONY_A7S2_COLOR_MATRIX, inverse), IDENTITY, 12);
    expectMatrixClose(multiply(inverse, SONY_A7S2_COLOR_MATRIX), IDENTITY, 12);
  });
  it('inverts a known matrix exactly', () => {
    // [[2,0,0],[0,4,0],[1,0,1]]^-1 = [[0.5,0,0],[0,0.25,0],[-0.5,0,1]]
    expectMatrixClose(invert([2, 0, 0, 0, 4, 0, 1, 0, 1]), [0.5, 0, 0, 0, 0.25, 0, -0.5, 0, 1], 15);
  });
  it('refuses a singular matrix with a TapetumError', () => {
    expect(() => invert([1, 2, 3, 2, 4, 6, 0, 1, 1])).toThrowError(TapetumError);
  });
  it('multiplies row-major with column vectors, chain left to right', () => {
    const a: Matrix3 = [1, 2, 0, 0, 1, 0, 0, 0, 3];
    const b: Matrix3 = [0, 1, 0, 1, 0, 0, 0, 0, 1];
    expect(apply(chain(a, b), [1, 2, 3])).toEqual(apply(a, apply(b, [1, 2, 3])));
    expect(apply(a, [1, 1, 1])).toEqual([3, 1, 3]);
  });
  it('mix blends element-wise', () => {
    expect(mix(IDENTITY, [3, 0, 0, 0, 3, 0, 0, 0, 3], 0.25)).toEqual([1.5, 0, 0, 0, 1.5, 0, 0, 0, 1.5]);
  });
});
