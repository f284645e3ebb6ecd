import { D50_XY, D65_XY, xyFromCct, type Xy } from './chromaticity.ts';

/**
 * Colour temperatures of the EXIF LightSource codes used by CalibrationIlluminant1/2:
 * CIE illuminants at their correlated temperatures, fluorescent classes at the middle of the
 * range the EXIF standard gives them, weather and flash at the usual daylight values.
 */
const TEMPERATURE_BY_LIGHT_SOURCE: Record<number, number> = {
  1: 5500, // daylight
  2: 4150, // fluorescent
  3: 2850, // tungsten
  4: 5500, // flash
  9: 5500, // fine weather
  10: 6500, // cloudy
  11: 7500, // shade
  12: 6430, // daylight fluorescent (5700-7100 K)
  13: 5000, // day white fluorescent (4600-5400 K)
  14: 4150, // cool white fluorescent (3900-4500 K)
  15: 3450, // white fluorescent (3200-3700 K)
  16: 2940, // warm white fluorescent (2600-3250 K)
  17: 2856, // standard light A
  18: 4874, // standard light B
  19: 6774, // standard light C
  20: 5503, // D55
  21: 6504, // D65
  22: 7504, // D75
  23: 5003, // D50
  24: 3200, // ISO studio tungsten
};

/** Kelvin for a LightSource code, or undefined when the code names no temperature. */
export function illuminantTemperature(code: number | undefined): number | undefined {
  return code === undefined ? undefined : TEMPERATURE_BY_LIGHT_SOURCE[code];
}

/** CIE 1931 chromaticities of the standard illuminants among the LightSource codes. */
const CHROMATICITY_BY_LIGHT_SOURCE: Record<number, Xy> = {
  17: [0.44757, 0.40745], // A
  18: [0.34842, 0.35161], // B
  19: [0.31006, 0.31616], // C
  20: [0.33242, 0.34743], // D55
  21: D65_XY,
  22: [0.29902, 0.31485], // D75
  23: D50_XY,
};

/**
 * Chromaticity of a LightSource: the CIE value for standard illuminants, the Planckian
 * locus at its temperature for the others, and D65 (the usual calibration) when unknown.
 */
export function illuminantXy(code: number | undefined): Xy {
  if (code !== undefined && CHROMATICITY_BY_LIGHT_SOURCE[code]) return CHROMATICITY_BY_LIGHT_SOURCE[code];
  const kelvin = illuminantTemperature(code);
  return kelvin === undefined ? D65_XY : xyFromCct(kelvin);
}
