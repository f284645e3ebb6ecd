/** The brightness slider's logarithmic scale: x1 to x300, the range the engine accepts. */

export const MIN_RATIO = 1;
export const MAX_RATIO = 300;
export const STEPS = 1000;

export function ratioToSlider(ratio: number): number {
  return Math.round((Math.log(ratio / MIN_RATIO) / Math.log(MAX_RATIO / MIN_RATIO)) * STEPS);
}

export function sliderToRatio(position: number): number {
  const ratio = MIN_RATIO * (MAX_RATIO / MIN_RATIO) ** (position / STEPS);
  // Two significant digits are all a person can tell apart.
  return Number(ratio.toPrecision(2));
}
