/** Memory of one network run: its tensors, and what tfjs-wasm's heap holds for it. */
import type { UNetArchitecture } from './manifest.ts';

/**
 * Floats per packed input pixel alive at the peak of one network run, besides the caller's
 * input: model/unet.ts releases each layer output once consumed, so what stays is the skip
 * connections of the finer levels plus the tensors of the step running. Level i has 1/4^i of
 * the pixels. The peak is the up step at level 0 (skip, upsampled, the two half-convolutions
 * and their sum: 5 x widths[0]), 40 for the shipped network (both tiers), 80 for one of widths 16-256.
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
 * Bytes of tfjs-wasm heap per packed pixel of a window: the tensors above (and the input) plus
 * what XNNPACK keeps per output pixel of every 3x3 convolution (an indirection buffer of 9
 * pointers and working space, cached with the operator until the next window shape): 81 bytes,
 * fitted so that the estimate covers the heap growth per pixel that memory.test.ts measures
 * (the shipped network, measured from windows of 256² to 512² and of 640² to 896²: 663 and 711
 * bytes, estimate 715; the 16-256 network that served the quality tier until stop 22: 853, 875).
 */
export function wasmHeapBytesPerPixel(architecture: Pick<UNetArchitecture, 'widths' | 'inChannels' | 'outChannels'>): number {
  const levels = architecture.widths.length;
  // Two 3x3 convolutions per level on the way down, three on the way up (the first one split in two).
  let convolutionArea = 0;
  for (let level = 0; level < levels; level++) convolutionArea += (level === levels - 1 ? 2 : 5) * 4 ** -level;
  return 4 * (activationFloatsPerPixel(architecture) + architecture.inChannels) + 81 * convolutionArea;
}
