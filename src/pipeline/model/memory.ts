/** Memory of one window's run: its tensors, and what tfjs-wasm's heap holds for it. */
import type { Passes, UNetArchitecture } from './manifest.ts';

/**
 * Floats per packed input pixel alive at the peak of one network run, besides the caller's
 * input: model/unet.ts releases each layer output once consumed, so what stays is the skip
 * connections of the finer levels plus the tensors of the step running. Level i has 1/4^i of
 * the pixels. The peak is the up step at level 0 (skip, upsampled, the two half-convolutions
 * and their sum: 5 x widths[0]), 40 for the fast model, 80 for the quality one.
 */
export function activationFloatsPerPixel({ widths, outChannels }: Pick<UNetArchitecture, 'widths' | 'outChannels'>): number {
  const area = (level: number) => 4 ** -level;
  const skipsThrough = (level: number) => widths.slice(0, level + 1).reduce((sum, width, i) => sum + width * area(i), 0);
  let peak = 0;
  widths.forEach((width, level) => {
    const pooledInput = level > 0 ? widths[level - 1]! * area(level) : 0;
    peak = Math.max(peak, (level > 0 ? skipsThrough(level - 1) : 0) + pooledInput + 2 * width * area(level));
  });
  for (let level = widths.length - 2; level >= 0; level--) {
    const coarse = widths[level + 1]! * area(level + 1);
    const upStep = skipsThrough(level) + Math.max(coarse + widths[level]! * area(level), 4 * widths[level]! * area(level));
    peak = Math.max(peak, upStep);
  }
  // Head: the last features, the head's 4 x outChannels and the full-resolution output.
  return Math.max(peak, widths[0]! + 2 * 4 * outChannels);
}

/**
 * Floats per packed pixel that a self-ensemble (enhance/self-ensemble.ts) keeps beside one
 * network run: the member's mirrored input, the running sum of the full-resolution outputs
 * and its one-channel coverage count. None for a single pass.
 */
export function ensembleFloatsPerPixel({ inChannels, outChannels }: Pick<UNetArchitecture, 'inChannels' | 'outChannels'>, passes: Passes): number {
  return passes === 1 ? 0 : inChannels + 4 * outChannels + 4;
}

/** Floats per packed pixel alive at the peak of one window's run in `passes` passes, besides its input. */
export function windowFloatsPerPixel(architecture: Pick<UNetArchitecture, 'widths' | 'inChannels' | 'outChannels'>, passes: Passes): number {
  return activationFloatsPerPixel(architecture) + ensembleFloatsPerPixel(architecture, passes);
}

/**
 * Floats per packed pixel of tfjs-wasm heap the self-ensemble adds: its full-resolution tensors
 * (a member's output on its way through mirror and shift, the running sum and the sums being
 * made: up to four of 4 x outChannels, and two counts) cannot reuse the network's smaller freed
 * blocks, so they add to its heap rather than fit under its peak; plus the member's input.
 */
function ensembleHeapFloatsPerPixel({ inChannels, outChannels }: Pick<UNetArchitecture, 'inChannels' | 'outChannels'>, passes: Passes): number {
  return passes === 1 ? 0 : inChannels + 4 * 4 * outChannels + 2 * 4;
}

/**
 * Bytes of tfjs-wasm heap per packed pixel of a window: the network's tensors above (and the
 * input), what XNNPACK keeps per output pixel of every 3x3 convolution (an indirection buffer of
 * 9 pointers and working space, cached with the operator until the next window shape): 80
 * bytes, and the self-ensemble's tensors. Fitted so that the estimate covers the heap growth per
 * pixel that memory.test.ts measures (fast 663 bytes, the same network in 4 passes 853;
 * estimates 708 and 948).
 */
export function wasmHeapBytesPerPixel(architecture: Pick<UNetArchitecture, 'widths' | 'inChannels' | 'outChannels'>, passes: Passes): number {
  const levels = architecture.widths.length;
  // Two 3x3 convolutions per level on the way down, three on the way up (the first one split in two).
  let convolutionArea = 0;
  for (let level = 0; level < levels; level++) convolutionArea += (level === levels - 1 ? 2 : 5) * 4 ** -level;
  const networkFloats = activationFloatsPerPixel(architecture) + architecture.inChannels;
  return 4 * (networkFloats + ensembleHeapFloatsPerPixel(architecture, passes)) + 80 * convolutionArea;
}
