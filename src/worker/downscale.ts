/**
 * A smaller copy of a decoded raw for quick renders (the preview at open, low-resolution
 * enhancements): the linearized active area binned by an integer factor, stored again as
 * a 16-bit raster with the original's colour tags, so develop and enhance run on it
 * unchanged. A CFA mosaic keeps its pattern: each 2x2 quad of the copy averages factor x
 * factor quads of the original, colour by colour; binning also averages the noise down.
 */
import type { DecodedDng, DngMetadata, LinearRaw, Rect } from '../pipeline/dng/types.ts';

/** Stored = BLACK + linear x SCALE: room below black for noise, 1.0 (clipping) well inside 16 bits. */
const BLACK = 4096;
const SCALE = 57343;

/** The binning factor that brings the longest side of a width x height area to at most maxSide. */
export function binningFactor(width: number, height: number, maxSide: number): number {
  return Math.max(1, Math.ceil(Math.max(width, height) / maxSide));
}

function storedValue(linear: number): number {
  return Math.min(65535, Math.max(0, Math.round(BLACK + linear * SCALE)));
}

/** Averages `cell` x `cell` blocks of each of the (period x period) phases of the raster. */
function binRaster(linear: LinearRaw, factor: number): { width: number; height: number; data: Uint16Array } {
  const period = linear.channels === 1 ? 2 : 1; // a CFA site averages with its own colour only
  const samples = linear.channels;
  const width = Math.floor(linear.width / (period * factor)) * period;
  const height = Math.floor(linear.height / (period * factor)) * period;
  const data = new Uint16Array(width * height * samples);
  const weight = 1 / (factor * factor);
  for (let y = 0; y < height; y++) {
    const phaseY = y % period;
    const blockY = (y - phaseY) * factor + phaseY;
    for (let x = 0; x < width; x++) {
      const phaseX = x % period;
      const blockX = (x - phaseX) * factor + phaseX;
      for (let s = 0; s < samples; s++) {
        let sum = 0;
        for (let dy = 0; dy < factor; dy++) {
          const row = (blockY + dy * period) * linear.width;
          for (let dx = 0; dx < factor; dx++) sum += linear.data[(row + blockX + dx * period) * samples + s]!;
        }
        data[(y * width + x) * samples + s] = storedValue(sum * weight);
      }
    }
  }
  return { width, height, data };
}

function scaleRect(rect: Rect, factor: number): Rect {
  return { x: rect.x / factor, y: rect.y / factor, width: rect.width / factor, height: rect.height / factor };
}

/** `linear` must be `linearize(decoded)`; factor 1 still re-encodes it (the same geometry). */
export function binnedDng(decoded: DecodedDng, linear: LinearRaw, factor: number): DecodedDng {
  const { width, height, data } = binRaster(linear, factor);
  const samples = linear.channels;
  const metadata: DngMetadata = {
    ...decoded.metadata,
    width,
    height,
    bitsPerSample: 16,
    compression: 1,
    samplesPerPixel: samples,
    ...(linear.cfaPattern && { cfaPattern: linear.cfaPattern }),
    activeArea: { x: 0, y: 0, width, height },
    defaultCrop: scaleRect(decoded.metadata.defaultCrop, factor),
    blackLevel: { repeatRows: 1, repeatCols: 1, values: Array(samples).fill(BLACK) },
    blackLevelDeltaH: undefined,
    blackLevelDeltaV: undefined,
    whiteLevel: Array(samples).fill(BLACK + SCALE),
    linearizationTable: undefined,
    // Linearization applied OpcodeList1 and 2; list 3 works in full-size coordinates.
    opcodes: [],
  };
  return { metadata, stored: { width, height, samplesPerPixel: samples, data }, warnings: decoded.warnings };
}
