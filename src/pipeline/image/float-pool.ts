/**
 * Large Float32Arrays of finished images, handed on to the next image of the same size. A new
 * array of tens of megabytes is fresh memory, and its pages fault in as it is first written:
 * on this project's 2-core VM that is 0.8-1.9 ms per MB, about 0.3 s of a 12 MP photo's
 * enhancement (its linear data and the network output) in Chromium. A recycled array at most
 * needs zeroing. Only an array's owner may recycle it, once nothing reads or writes it any more.
 */

/** At most this much is kept: a 12 MP photo's linear data and network output (192 MB) fit. */
const MAX_POOLED_BYTES = 320 * 2 ** 20;

/** Smaller arrays are not worth keeping: the allocator reuses their memory itself. */
const MIN_POOLED_LENGTH = 2 ** 20;

/** Most recently recycled first. */
const pooled: Float32Array[] = [];

function takePooled(length: number): Float32Array | undefined {
  const i = pooled.findIndex((array) => array.length === length);
  return i < 0 ? undefined : pooled.splice(i, 1)[0];
}

/** `new Float32Array(length)`, from a recycled array of that length when there is one. */
export function zeroedFloat32(length: number): Float32Array {
  return takePooled(length)?.fill(0) ?? new Float32Array(length);
}

/**
 * A Float32Array of `length` for a caller that writes every element: a recycled one keeps its
 * old contents, so zeroing it would be a wasted pass over tens of megabytes.
 */
export function float32ToOverwrite(length: number): Float32Array {
  return takePooled(length) ?? new Float32Array(length);
}

/**
 * Keeps `array` for a later request of its length; the oldest arrays go beyond
 * MAX_POOLED_BYTES. Views that do not span their whole buffer, and detached or small arrays,
 * are left to the garbage collector.
 */
export function recycleFloat32(array: Float32Array): void {
  if (array.length < MIN_POOLED_LENGTH || array.byteOffset !== 0 || array.byteLength !== array.buffer.byteLength || pooled.includes(array)) return;
  pooled.unshift(array);
  let bytes = 0;
  const kept = pooled.filter((a) => (bytes += a.byteLength) <= MAX_POOLED_BYTES);
  pooled.splice(0, pooled.length, ...kept);
}

/** Lengths of the arrays held, most recently pooled first. */
export function pooledLengths(): number[] {
  return pooled.map((array) => array.length);
}

/**
 * Pools new zeroed arrays of these lengths, written once so that their pages are faulted in now,
 * while nothing waits, rather than during the next image. Lengths the pool would not keep (small,
 * or beyond MAX_POOLED_BYTES with what it holds) are skipped.
 */
export function reserveFloat32(lengths: readonly number[]): void {
  let bytes = pooled.reduce((sum, array) => sum + array.byteLength, 0);
  for (const length of lengths) {
    const arrayBytes = length * Float32Array.BYTES_PER_ELEMENT;
    if (length < MIN_POOLED_LENGTH || bytes + arrayBytes > MAX_POOLED_BYTES) continue;
    bytes += arrayBytes;
    recycleFloat32(new Float32Array(length).fill(0));
  }
}
