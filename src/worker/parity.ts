/**
 * parity.json, written next to model.json by training/tapetum_train/export.py: a packed input
 * and the output the trained network gives for it in PyTorch, as little-endian float32.
 */
import { TapetumError } from '../pipeline/errors.ts';

export interface ParityArray {
  shape: [number, number, number, number];
  data: Float32Array;
}

export interface ParityVectors {
  input: ParityArray;
  output: ParityArray;
}

function decodeArray(base64: unknown, shape: unknown): ParityArray {
  if (typeof base64 !== 'string' || !Array.isArray(shape) || shape.length !== 4 || !shape.every((n) => Number.isInteger(n) && n > 0)) {
    throw new TapetumError('model', 'The model check file parity.json is damaged. Reload the page or reinstall Tapetum.');
  }
  const binary = atob(base64);
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  const count = shape.reduce((a: number, b: number) => a * b, 1);
  if (bytes.length !== count * 4) throw new TapetumError('model', 'The model check file parity.json does not match its own shapes. Reload the page or reinstall Tapetum.');
  const view = new DataView(bytes.buffer);
  const data = new Float32Array(count);
  for (let i = 0; i < count; i++) data[i] = view.getFloat32(i * 4, true);
  return { shape: shape as ParityArray['shape'], data };
}

export function parseParity(bytes: Uint8Array): ParityVectors {
  let json: Record<string, unknown>;
  try {
    json = JSON.parse(new TextDecoder().decode(bytes));
  } catch {
    throw new TapetumError('model', 'The model check file parity.json is not valid JSON. Reload the page or reinstall Tapetum.');
  }
  return { input: decodeArray(json.input, json.inputShape), output: decodeArray(json.output, json.outputShape) };
}

/** Largest absolute difference between two arrays of the same length. */
export function maxAbsDifference(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let max = 0;
  for (let i = 0; i < a.length; i++) max = Math.max(max, Math.abs(a[i]! - b[i]!));
  return max;
}
