import { decode as decodePng } from 'fast-png';
import { decode as decodeJpeg } from 'jpeg-js';
import { describe, expect, it } from 'vitest';
import { encodeJpeg } from './encode-jpeg.ts';
import { encodePng } from './encode-png.ts';
import { to8bit, type RgbImage } from './rgb-image.ts';

/** A smooth 16-bit gradient image with every channel different. */
function gradient(width: number, height: number): RgbImage {
  const data = new Uint16Array(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const i = (y * width + x) * 3;
      data[i] = Math.round((x / (width - 1)) * 65535);
      data[i + 1] = Math.round((y / (height - 1)) * 65535);
      data[i + 2] = Math.round(((x + y) / (width + height - 2)) * 65535);
    }
  }
  return { width, height, data };
}

describe('to8bit', () => {
  it('maps 16-bit codes to the nearest 8-bit code', () => {
    const image: RgbImage = { width: 2, height: 1, data: Uint16Array.from([0, 128, 129, 65535, 257 * 100, 257 * 100 + 129]) };
    expect(Array.from(to8bit(image).data)).toEqual([0, 0, 1, 255, 100, 101]);
  });
});

describe('encodePng', () => {
  it('writes 16-bit RGB that decodes to the same samples', () => {
    const image = gradient(33, 17);
    const png = encodePng(image);
    // IHDR: bit depth at byte 24, colour type 2 (truecolour) at byte 25.
    expect([png[24], png[25]]).toEqual([16, 2]);
    const back = decodePng(png);
    expect([back.width, back.height, back.channels, back.depth]).toEqual([33, 17, 3, 16]);
    expect(back.data).toEqual(image.data);
  });
  it('writes 8-bit RGB from an RgbImage8', () => {
    const image = to8bit(gradient(9, 5));
    const png = encodePng(image);
    expect([png[24], png[25]]).toEqual([8, 2]);
    expect(Array.from(decodePng(png).data)).toEqual(Array.from(image.data));
  });
});

describe('encodeJpeg', () => {
  const image = to8bit(gradient(64, 48));
  const psnrAgainst = (jpeg: Uint8Array) => {
    const back = decodeJpeg(jpeg, { useTArray: true });
    let sum = 0;
    for (let i = 0; i < 64 * 48; i++) {
      for (let c = 0; c < 3; c++) sum += (back.data[i * 4 + c]! - image.data[i * 3 + c]!) ** 2;
    }
    return 10 * Math.log10((255 * 255) / (sum / (64 * 48 * 3)));
  };
  it('encodes a JPEG close to the input, better at higher quality', () => {
    const high = encodeJpeg(image, { quality: 95 });
    const low = encodeJpeg(image, { quality: 30 });
    expect([high[0], high[1]]).toEqual([0xff, 0xd8]);
    expect(psnrAgainst(high)).toBeGreaterThan(40);
    expect(psnrAgainst(high)).toBeGreaterThan(psnrAgainst(low));
    expect(high.length).toBeGreaterThan(low.length);
  });
  it('works where there is no Buffer (browser, worker)', () => {
    const scope = globalThis as { Buffer?: unknown };
    const saved = scope.Buffer;
    delete scope.Buffer;
    try {
      const jpeg = encodeJpeg(image);
      expect(jpeg).toBeInstanceOf(Uint8Array);
      expect(scope.Buffer).toBeUndefined();
      scope.Buffer = saved;
      expect(psnrAgainst(jpeg)).toBeGreaterThan(35);
    } finally {
      scope.Buffer = saved;
    }
  });
});
