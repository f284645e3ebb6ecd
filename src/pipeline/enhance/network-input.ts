/**
 * The network's input, as in training (training/tapetum_train/synthesis.py form_network_input
 * and validate.py enhance_dng): the packed mosaic with its codes moved up by `codeCentreShift`
 * ADC steps (synthesis.py code_centre_shift: the codes' expected bias), amplified by the ratio,
 * clipped to [0, 1], times white-balance gains neutral[green] / neutral (green 1). The output is then white
 * balanced with the neutral at neutral[green] in every channel.
 */
import type { DngMetadata, LinearRaw, Rect } from '../dng/types.ts';
import { bayerPacker, packBayer, type PackedBayer, type PackOptions } from '../develop/pack.ts';
import type { Vec3 } from '../develop/matrix.ts';
import { cameraNeutral } from '../develop/white-balance.ts';
import type { RowSource } from './tiled-inference.ts';

export function networkGains(metadata: DngMetadata): Vec3 {
  const n = cameraNeutral(metadata);
  return [n[1] / n[0], 1, n[1] / n[2]];
}

function packOptions(linear: LinearRaw, metadata: DngMetadata, ratio: number, codeCentreShift: number): PackOptions {
  return { offset: codeCentreShift * (linear.codeStep ?? 0), ratio, gains: networkGains(metadata) };
}

export function networkInput(linear: LinearRaw, metadata: DngMetadata, ratio: number, codeCentreShift: number): PackedBayer {
  return packBayer(linear, packOptions(linear, metadata, ratio, codeCentreShift));
}

/** The same input packed on demand, as tiled inference reads it window by window. */
export function networkInputRows(linear: LinearRaw, metadata: DngMetadata, ratio: number, codeCentreShift: number): RowSource & { region: Rect } {
  const { width, height, region, packRow } = bayerPacker(linear, packOptions(linear, metadata, ratio, codeCentreShift));
  return { width, height, channels: 4, region, readRow: packRow };
}
