import { encode } from 'jpeg-js';
import type { RgbImage8 } from './rgb-image.ts';

export interface JpegOptions {
  /** 1..100, default 92. */
  quality?: number;
}

/** A baseline JPEG of the image (jpeg-js wants RGBA input; alpha is ignored). */
export function encodeJpeg(image: RgbImage8, options: JpegOptions = {}): Uint8Array {
  const pixels = image.width * image.height;
  const rgba = new Uint8Array(pixels * 4);
  for (let i = 0; i < pixels; i++) {
    rgba[i * 4] = image.data[i * 3]!;
    rgba[i * 4 + 1] = image.data[i * 3 + 1]!;
    rgba[i * 4 + 2] = image.data[i * 3 + 2]!;
    rgba[i * 4 + 3] = 255;
  }
  const { data } = withBufferStandIn(() => encode({ width: image.width, height: image.height, data: rgba }, options.quality ?? 92));
  return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
}

/**
 * jpeg-js ends with `Buffer.from(bytes)` whenever a CommonJS `module` exists, which bundlers
 * provide, while browsers and workers have no `Buffer`. For that call only, a stand-in whose
 * `from` copies into a Uint8Array is installed.
 */
function withBufferStandIn<T>(run: () => T): T {
  const scope = globalThis as { Buffer?: unknown };
  if (scope.Buffer !== undefined) return run();
  scope.Buffer = { from: (bytes: ArrayLike<number>) => Uint8Array.from(bytes) };
  try {
    return run();
  } finally {
    delete scope.Buffer;
  }
}
