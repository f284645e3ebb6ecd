/**
 * Unpacking of uncompressed samples (Compression 1). 8-bit samples are bytes, 16-bit samples
 * follow the file's byte order, and every other depth is packed most-significant bit first
 * regardless of byte order, as DNG specifies. Each row starts on a byte boundary.
 */

/** Bytes one row of `samples` samples of `bits` bits occupies. */
export function packedRowBytes(samples: number, bits: number): number {
  return Math.ceil((samples * bits) / 8);
}

/**
 * Unpacks the first `count` samples of the row that starts at src[offset] into
 * dst[dstOffset...]. The caller has checked that the row lies inside src.
 */
export function unpackRow(
  src: Uint8Array,
  offset: number,
  count: number,
  bits: number,
  littleEndian: boolean,
  dst: Uint16Array,
  dstOffset: number,
): void {
  if (bits === 8) {
    dst.set(src.subarray(offset, offset + count), dstOffset);
  } else if (bits === 16) {
    const [lo, hi] = littleEndian ? [0, 1] : [1, 0];
    for (let i = 0, p = offset; i < count; i++, p += 2) dst[dstOffset + i] = src[p + lo] | (src[p + hi] << 8);
  } else {
    unpackBits(src, offset, count, bits, dst, dstOffset);
  }
}

/** MSB-first bit unpacking for depths other than 8 and 16 (at most 16 bits). */
function unpackBits(src: Uint8Array, offset: number, count: number, bits: number, dst: Uint16Array, dstOffset: number) {
  const mask = (1 << bits) - 1;
  let acc = 0;
  let accBits = 0;
  let p = offset;
  for (let i = 0; i < count; i++) {
    while (accBits < bits) {
      acc = ((acc << 8) | src[p++]) >>> 0;
      accBits += 8;
    }
    accBits -= bits;
    dst[dstOffset + i] = (acc >>> accBits) & mask;
    acc &= (1 << accBits) - 1;
  }
}
