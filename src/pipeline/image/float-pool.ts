/**
 * Large Float32Arrays of finished images, handed on to the next image of about the same size. A
 * new array of tens of megabytes is fresh memory, and its pages fault in as it is first written:
 * on this project's 2-core VM that is 0.8-1.9 ms per MB, about 0.3 s of a 12 MP photo's
 * enhancement (its linear data and the network output) in Chromium. A recycled array at most
 * needs zeroing. A request may get the start of a somewhat longer recycled array, so that arrays
 * reserved ahead for a size class serve every photo of that class. Only an array's owner may
 * recycle it, once nothing reads or writes it any more.
 */

/** At most this much is kept: a 12 MP photo's linear data and network output (192 MB) fit. */
const MAX_POOLED_BYTES = 320 * 2 ** 20;

/** Smaller arrays are not worth keeping: the allocator reuses their memory itself. */
const MIN_POOLED_LENGTH = 2 ** 20;

/**
 * A request takes a pooled array at most this much longer than itself: a 10 MP photo may use a
 * 12.6 MP photo's arrays, a small render does not tie up a large photo's.
 */
const MAX_LENGTH_RATIO = 1.5;

/** Most recently recycled first; each spans its whole buffer. */
const pooled: Float32Array[] = [];

/** Views handed out over the start of a longer pooled array, to be recycled as that array. */
const handedOutViews = new WeakSet<Float32Array>();

/** The shortest pooled array that can serve `length`, taken out of the pool, as `length` long. */
function takePooled(length: number): Float32Array | undefined {
  let best = -1;
  pooled.forEach((array, i) => {
    const fits = array.length >= length && array.length <= length * MAX_LENGTH_RATIO;
    if (fits && (best < 0 || array.length < pooled[best]!.length)) best = i;
  });
  if (best < 0) return undefined;
  const array = pooled.splice(best, 1)[0]!;
  if (array.length === length) return array;
  const view = array.subarray(0, length);
  handedOutViews.add(view);
  return view;
}

/** `new Float32Array(length)`, from a recycled array when one fits. */
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
 * Keeps `array` (or, for a view the pool handed out, the whole array under it) for later
 * requests; the oldest arrays go beyond MAX_POOLED_BYTES. Other views that do not span their
 * whole buffer, and detached or small arrays, are left to the garbage collector.
 */
export function recycleFloat32(array: Float32Array): void {
  if (handedOutViews.delete(array)) array = new Float32Array(array.buffer);
  if (array.length < MIN_POOLED_LENGTH || array.byteOffset !== 0 || array.byteLength !== array.buffer.byteLength) return;
  if (pooled.some((kept) => kept.buffer === array.buffer)) return;
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
