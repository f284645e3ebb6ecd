/**
 * The training noise model (training/tapetum_train/noise.py, without its optional row noise
 * and heavy tails) in TypeScript: Poisson shot noise plus Gaussian read noise on normalized
 * raw values, variance a*x + b.
 */

/** Standard normal deviates from a uniform source (Box-Muller). */
export function gaussian(random: () => number): () => number {
  let spare: number | undefined;
  return () => {
    if (spare !== undefined) {
      const value = spare;
      spare = undefined;
      return value;
    }
    const radius = Math.sqrt(-2 * Math.log(1 - random()));
    const angle = 2 * Math.PI * random();
    spare = radius * Math.sin(angle);
    return radius * Math.cos(angle);
  };
}

/** Largest mean drawn in one piece: exp(-mean) must stay far from underflow. */
const MAX_PIECE = 500;

/** A Poisson count of mean `mean` (Knuth's product of uniforms, in pieces for large means). */
export function poisson(mean: number, random: () => number): number {
  let count = 0;
  for (let left = mean; left > 0; left -= MAX_PIECE) {
    const limit = Math.exp(-Math.min(left, MAX_PIECE));
    let product = random();
    while (product > limit) {
      count++;
      product *= random();
    }
  }
  return count;
}

/** x -> Poisson(max(x, 0) / a) * a + N(0, b): a noisy normalized raw value. */
export function addSensorNoise(x: number, a: number, b: number, random: () => number, normal: () => number): number {
  return poisson(Math.max(x, 0) / a, random) * a + Math.sqrt(b) * normal();
}
