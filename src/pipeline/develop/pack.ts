/**
 * Bayer packing: THE U-Net input contract.
 *
 * Input: a CFA `LinearRaw` (active area, 0 = black, 1 = sensor clipping) of any Bayer phase.
 * Output: 4 half-resolution channels, channel-last: data[(Y * width + X) * 4 + c] with
 * c = 0 R, 1 G1 (the green on red rows), 2 B, 3 G2 (the green on blue rows).
 *
 * Geometry: (ox, oy) is where the red site sits in the pattern's first 2x2 block: RGGB (0,0),
 * GRBG (1,0), GBRG (0,1), BGGR (1,1). Packed pixel (X, Y) holds the quad whose red site is
 * input pixel (ox + 2X, oy + 2Y):
 *   R  = in(ox + 2X, oy + 2Y)       G1 = in(ox + 2X + 1, oy + 2Y)
 *   G2 = in(ox + 2X, oy + 2Y + 1)   B  = in(ox + 2X + 1, oy + 2Y + 1)
 * so width = floor((w - ox) / 2) and height = floor((h - oy) / 2): a first row/column that
 * shifts the phase and a last odd row/column are dropped.
 *
 * Inverse: a full-resolution output (2 width x 2 height, e.g. the network's depth-to-space)
 * pixel (u, v) belongs at input pixel (ox + u, oy + v); `region` is that rectangle, in
 * active-area pixels.
 *
 * Values: min(max((v + offset) x ratio, 0), 1) x gains[colour], with offset 0, ratio 1 and gains 1
 * by default.
 */
import { TapetumError } from '../errors.ts';
import type { CfaColor, LinearRaw, Rect } from '../dng/types.ts';
import type { Vec3 } from './matrix.ts';

export interface PackedBayer {
  width: number;
  height: number;
  /** HWC, channels R, G1, B, G2. */
  data: Float32Array;
  /** The input pixels the packed grid covers (see the contract above). */
  region: Rect;
}

export interface PackOptions {
  /** Added to every normalized value before the ratio (the network's code centring). */
  offset?: number;
  ratio?: number;
  /** White-balance gains per colour (R, G, B), applied after clipping. */
  gains?: Vec3;
}

type CfaPattern = [CfaColor, CfaColor, CfaColor, CfaColor];

/** Position of the red site in a 2x2 Bayer pattern; anything not Bayer is refused. */
export function bayerOrigin(pattern: CfaPattern): { x: number; y: number } {
  const red = pattern.indexOf(0);
  const isBayer = red >= 0 && pattern[3 - red] === 2 && pattern.filter((c) => c === 1).length === 2;
  if (!isBayer) {
    throw new TapetumError('unsupported', `This camera's colour filter pattern (${pattern.join(', ')}) is not a Bayer pattern, which is the only kind supported.`);
  }
  return { x: red & 1, y: red >> 1 };
}

/** The CFA pattern of a mosaic; RGB input is refused. */
export function mosaicOf(linear: Pick<LinearRaw, 'channels' | 'cfaPattern'>): CfaPattern {
  if (linear.channels !== 1 || !linear.cfaPattern) {
    throw new TapetumError('unsupported', 'This image has no colour filter mosaic (it is already RGB), so it cannot be packed for the network.');
  }
  return linear.cfaPattern;
}

/** Packs parts of rows on demand: what tiled inference reads window by window without a packed copy of the whole image. */
export interface BayerPacker {
  width: number;
  height: number;
  /** The input pixels the packed grid covers (see the contract above). */
  region: Rect;
  /** Writes packed pixels [x0, x0 + count) of packed row y into `into` from float `offset` (4 floats per pixel). */
  packRow(y: number, x0: number, count: number, into: Float32Array, offset: number): void;
}

export function bayerPacker(linear: LinearRaw, options: PackOptions = {}): BayerPacker {
  const origin = bayerOrigin(mosaicOf(linear));
  const ratio = options.ratio ?? 1;
  const offset = options.offset ?? 0;
  const [gainR, gainG, gainB] = options.gains ?? [1, 1, 1];
  const width = Math.floor((linear.width - origin.x) / 2);
  const height = Math.floor((linear.height - origin.y) / 2);
  const source = linear.data;
  const stride = linear.width;
  const unit = (v: number) => Math.min(Math.max((v + offset) * ratio, 0), 1);
  return {
    width,
    height,
    region: { x: origin.x, y: origin.y, width: 2 * width, height: 2 * height },
    packRow(y, x0, count, into, at) {
      let top = (origin.y + 2 * y) * stride + origin.x + 2 * x0;
      for (let o = at, end = at + 4 * count; o < end; top += 2, o += 4) {
        into[o] = unit(source[top]!) * gainR;
        into[o + 1] = unit(source[top + 1]!) * gainG;
        into[o + 2] = unit(source[top + stride + 1]!) * gainB;
        into[o + 3] = unit(source[top + stride]!) * gainG;
      }
    },
  };
}

/** The whole packed grid at once. */
export function packBayer(linear: LinearRaw, options: PackOptions = {}): PackedBayer {
  const { width, height, region, packRow } = bayerPacker(linear, options);
  const data = new Float32Array(width * height * 4);
  for (let y = 0; y < height; y++) packRow(y, 0, width, data, y * width * 4);
  return { width, height, data, region };
}

/**
 * Puts packed values back on their mosaic sites in a raster shaped like `like`; pixels outside
 * `packed.region` are 0. Inverse of `packBayer`'s layout (not of its clipping or gains).
 */
export function unpackBayer(packed: PackedBayer, like: Pick<LinearRaw, 'width' | 'height' | 'channels' | 'cfaPattern'>): LinearRaw {
  const pattern = mosaicOf(like);
  const { x: ox, y: oy } = packed.region;
  const stride = like.width;
  const data = new Float32Array(like.width * like.height);
  for (let y = 0; y < packed.height; y++) {
    for (let x = 0; x < packed.width; x++) {
      const top = (oy + 2 * y) * stride + ox + 2 * x;
      const i = (y * packed.width + x) * 4;
      data[top] = packed.data[i]!;
      data[top + 1] = packed.data[i + 1]!;
      data[top + stride + 1] = packed.data[i + 2]!;
      data[top + stride] = packed.data[i + 3]!;
    }
  }
  return { width: like.width, height: like.height, channels: 1, cfaPattern: pattern, data };
}
