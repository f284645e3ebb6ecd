import { assertSameShape, type UnitImage } from './unit-image.ts';

/**
 * SSIM of Wang et al. (2004) for data in [0, 1]: 11x11 Gaussian window with sigma 1.5,
 * K1 0.01, K2 0.03, population (not sample) statistics. The map is averaged only where the
 * window lies fully inside the image (a 5-pixel border is excluded), then over channels.
 */
const RADIUS = 5;
const SIGMA = 1.5;
const C1 = 0.01 ** 2;
const C2 = 0.03 ** 2;

function gaussianWeights(): Float64Array {
  const weights = new Float64Array(2 * RADIUS + 1);
  let total = 0;
  for (let k = -RADIUS; k <= RADIUS; k++) {
    weights[k + RADIUS] = Math.exp(-(k * k) / (2 * SIGMA * SIGMA));
    total += weights[k + RADIUS];
  }
  return weights.map((w) => w / total);
}

const WEIGHTS = gaussianWeights();

/** The five local moments SSIM needs, one plane each. */
const MOMENTS = 5;

/**
 * Horizontal pass of the window over x, y, x², y², xy for one channel, keeping only
 * columns whose window is inside the image. Layout: moment-major planes of height x innerWidth.
 */
function filterRows(a: UnitImage, b: UnitImage, channel: number): Float64Array {
  const { width, height, channels } = a;
  const innerWidth = width - 2 * RADIUS;
  const plane = height * innerWidth;
  const out = new Float64Array(MOMENTS * plane);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < innerWidth; x++) {
      let mx = 0, my = 0, mxx = 0, myy = 0, mxy = 0;
      for (let k = 0; k < WEIGHTS.length; k++) {
        const i = (y * width + x + k) * channels + channel;
        const va = a.data[i];
        const vb = b.data[i];
        const w = WEIGHTS[k];
        mx += w * va;
        my += w * vb;
        mxx += w * va * va;
        myy += w * vb * vb;
        mxy += w * va * vb;
      }
      const o = y * innerWidth + x;
      out[o] = mx;
      out[plane + o] = my;
      out[2 * plane + o] = mxx;
      out[3 * plane + o] = myy;
      out[4 * plane + o] = mxy;
    }
  }
  return out;
}

/** Vertical pass plus the SSIM formula; returns the mean over the inner region. */
function meanSsimOfChannel(a: UnitImage, b: UnitImage, channel: number): number {
  const rows = filterRows(a, b, channel);
  const innerWidth = a.width - 2 * RADIUS;
  const innerHeight = a.height - 2 * RADIUS;
  const plane = a.height * innerWidth;
  const moment = new Float64Array(MOMENTS);
  let total = 0;
  for (let y = 0; y < innerHeight; y++) {
    for (let x = 0; x < innerWidth; x++) {
      moment.fill(0);
      for (let k = 0; k < WEIGHTS.length; k++) {
        const o = (y + k) * innerWidth + x;
        for (let m = 0; m < MOMENTS; m++) moment[m] += WEIGHTS[k] * rows[m * plane + o];
      }
      const [mx, my, mxx, myy, mxy] = moment;
      const varX = mxx - mx * mx;
      const varY = myy - my * my;
      const cov = mxy - mx * my;
      total +=
        ((2 * mx * my + C1) * (2 * cov + C2)) / ((mx * mx + my * my + C1) * (varX + varY + C2));
    }
  }
  return total / (innerWidth * innerHeight);
}

export function ssim(a: UnitImage, b: UnitImage): number {
  assertSameShape(a, b);
  if (a.width <= 2 * RADIUS || a.height <= 2 * RADIUS) {
    throw new RangeError(`SSIM needs an image larger than ${2 * RADIUS}x${2 * RADIUS} pixels`);
  }
  let sum = 0;
  for (let c = 0; c < a.channels; c++) sum += meanSsimOfChannel(a, b, c);
  return sum / a.channels;
}
