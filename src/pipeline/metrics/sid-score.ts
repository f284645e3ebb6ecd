import { psnr } from './psnr.ts';
import { ssim } from './ssim.ts';
import { bt709ToLinear, linearToBt709, srgbToLinear } from './transfer.ts';
import type { UnitImage } from './unit-image.ts';
import type { RgbImage } from '../image/rgb-image.ts';

export interface SidScore {
  psnr: number;
  ssim: number;
}

const MAX_16 = 65535;

/** Maps every 16-bit code through `decode` then the BT.709 curve, so only content and colour are compared. */
function bt709Table(decode: (encoded: number) => number): Float64Array {
  const table = new Float64Array(MAX_16 + 1);
  for (let code = 0; code <= MAX_16; code++) table[code] = linearToBt709(decode(code / MAX_16));
  return table;
}

const FROM_SRGB = bt709Table(srgbToLinear);
const FROM_BT709 = bt709Table(bt709ToLinear);

function reencode(image: RgbImage, table: Float64Array): UnitImage {
  const data = new Float64Array(image.data.length);
  for (let i = 0; i < data.length; i++) data[i] = table[image.data[i]];
  return { width: image.width, height: image.height, channels: 3, data };
}

/**
 * The sid-dev evaluation protocol (shared/README.md): our sRGB-encoded prediction and the
 * BT.709-encoded LibRaw reference, both re-encoded with the BT.709 curve, compared by PSNR
 * and SSIM.
 */
export function scorePrediction(pred16: RgbImage, ref16: RgbImage): SidScore {
  const pred = reencode(pred16, FROM_SRGB);
  const ref = reencode(ref16, FROM_BT709);
  return { psnr: psnr(pred, ref), ssim: ssim(pred, ref) };
}
