/**
 * The network's input, as in training (training/tapetum_train/synthesis.py form_network_input
 * and validate.py enhance_dng): the packed mosaic with its codes moved up by `codeCentreShift`
 * ADC steps (synthesis.py code_centre_shift: the codes' expected bias), amplified by the ratio,
 * clipped to [0, 1], times white-balance gains neutral[green] / neutral (green 1). The output is then white
 * balanced with the neutral at neutral[green] in every channel.
 */
import type { DngMetadata, LinearRaw } from '../dng/types.ts';
import { packBayer, type PackedBayer } from '../develop/pack.ts';
import type { Vec3 } from '../develop/matrix.ts';
import { cameraNeutral } from '../develop/white-balance.ts';

export function networkGains(metadata: DngMetadata): Vec3 {
  const n = cameraNeutral(metadata);
  return [n[1] / n[0], 1, n[1] / n[2]];
}

export function networkInput(linear: LinearRaw, metadata: DngMetadata, ratio: number, codeCentreShift: number): PackedBayer {
  return packBayer(linear, { offset: codeCentreShift * (linear.codeStep ?? 0), ratio, gains: networkGains(metadata) });
}
