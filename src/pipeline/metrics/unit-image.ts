/** An image of interleaved samples in [0, 1], the form the quality metrics compare. */
export interface UnitImage {
  width: number;
  height: number;
  channels: number;
  data: Float64Array;
}

export function assertSameShape(a: UnitImage, b: UnitImage): void {
  if (a.width !== b.width || a.height !== b.height || a.channels !== b.channels) {
    throw new RangeError(
      `cannot compare a ${a.width}x${a.height}x${a.channels} image with a ${b.width}x${b.height}x${b.channels} one`,
    );
  }
}
