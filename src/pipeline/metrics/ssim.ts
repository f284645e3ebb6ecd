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

/**
 * Gaussian-weighted local mean of a plane, only where the window fits inside it: the result
 * is (width - 2 RADIUS) x (height - 2 RADIUS). Separable: rows, then columns.
 */
function windowMean(plane: Float64Array, width: number, height: number): Float64Array {
  const innerWidth = width - 2 * RADIUS;
  const innerHeight = height - 2 * RADIUS;
  const rows = new Float64Array(height * innerWidth);
  for (let y = 0; y < height; y++) {
    for (let k = 0; k < WEIGHTS.length; k++) {
      const w = WEIGHTS[k];
      const source = y * width + k;
      const row = y * innerWidth;
      for (let x = 0; x < innerWidth; x++) rows[row + x] += w * plane[source + x];
    }
  }
  const out = new Float64Array(innerHeight * innerWidth);
  for (let y = 0; y < innerHeight; y++) {
    for (let k = 0; k < WEIGHTS.length; k++) {
      const w = WEIGHTS[k];
      const row = (y + k) * innerWidth;
      for (let x = 0; x < innerWidth; x++) out[y * innerWidth + x] += w * rows[row + x];
    }
  }
  return out;
}

function channelPlane(image: UnitImage, channel: number): Float64Array {
  const plane = new Float64Array(image.width * image.height);
  for (let p = 0; p < plane.length; p++) plane[p] = image.data[p * image.channels + channel];
  return plane;
}

function product(a: Float64Array, b: Float64Array): Float64Array {
  return a.map((v, i) => v * b[i]);
}

function meanSsimOfChannel(a: UnitImage, b: UnitImage, channel: number): number {
  const { width, height } = a;
  const x = channelPlane(a, channel);
  const y = channelPlane(b, channel);
  const mean = (plane: Float64Array) => windowMean(plane, width, height);
  const [mx, my, mxx, myy, mxy] = [x, y, product(x, x), product(y, y), product(x, y)].map(mean);
  let total = 0;
  for (let p = 0; p < mx.length; p++) {
    const varX = mxx[p] - mx[p] * mx[p];
    const varY = myy[p] - my[p] * my[p];
    const cov = mxy[p] - mx[p] * my[p];
    total +=
      ((2 * mx[p] * my[p] + C1) * (2 * cov + C2)) / ((mx[p] * mx[p] + my[p] * my[p] + C1) * (varX + varY + C2));
  }
  return total / mx.length;
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
