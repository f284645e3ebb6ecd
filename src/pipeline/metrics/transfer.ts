/**
 * Transfer curves of the sid-dev evaluation protocol (shared/README.md): our output is
 * sRGB-encoded, the LibRaw references use the BT.709 curve (gamma 0.45, toe slope 4.5).
 * Values are in [0, 1]; inputs outside are clamped so noise below black cannot give NaN.
 */

function clampUnit(value: number): number {
  return value < 0 ? 0 : value > 1 ? 1 : value;
}

/** IEC 61966-2-1 sRGB decoding: encoded value -> linear light. */
export function srgbToLinear(encoded: number): number {
  const v = clampUnit(encoded);
  return v <= 0.04045 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
}

/** ITU-R BT.709 inverse OETF: encoded value -> linear light. */
export function bt709ToLinear(encoded: number): number {
  const v = clampUnit(encoded);
  return v < 0.081 ? v / 4.5 : Math.pow((v + 0.099) / 1.099, 1 / 0.45);
}

/** ITU-R BT.709 OETF: linear light -> encoded value. */
export function linearToBt709(linear: number): number {
  const l = clampUnit(linear);
  return l < 0.018 ? 4.5 * l : 1.099 * Math.pow(l, 0.45) - 0.099;
}
