/**
 * The U-Net of training/tapetum_train/model.py rebuilt from tf ops (NHWC tensors, HWIO kernels):
 *   down level i: [2x2 max-pool if i > 0], 3x3 conv + leaky ReLU, 3x3 conv + leaky ReLU
 *   up (deepest first): 1x1 conv to 4C + depth-to-space 2 (TensorFlow DCR order),
 *     concat [upsampled, skip], two 3x3 conv + leaky ReLU
 *     (the first conv after the concatenation is run as two convs, one per half of its kernel,
 *     added: the same sum without tfjs-wasm's slow per-pixel concat)
 *   head: 1x1 conv to 4 x outChannels + depth-to-space 2 (full resolution output)
 * It runs on whatever tf backend is active.
 */
import * as tf from '@tensorflow/tfjs-core';
import { TapetumError } from '../errors.ts';
import type { ModelManifest, Passes, UNetArchitecture } from './manifest.ts';

interface Conv {
  kernel: tf.Tensor4D;
  bias: tf.Tensor1D;
}

interface DoubleConv {
  conv1: Conv;
  conv2: Conv;
}

/** An up block: conv1's kernel split by input channels into the upsampled half and the skip half. */
interface UpBlock {
  upsampledKernel: tf.Tensor4D;
  skipKernel: tf.Tensor4D;
  bias: tf.Tensor1D;
  conv2: Conv;
}

export interface TappedRun {
  output: tf.Tensor4D;
  /** The outputs of the tapped layers by id, each a tensor of its own for the caller to dispose. */
  taps: Record<string, tf.Tensor4D>;
}

export interface UNet {
  architecture: UNetArchitecture;
  /** The input convention these weights were trained for (ModelManifest.codeCentreShift). */
  codeCentreShift: number;
  /** Mirrored runs per window the model is meant to be used with (ModelManifest.passes). */
  passes: Passes;
  /** (1, H, W, inChannels) packed input, H and W multiples of sizeMultiple -> (1, 2H, 2W, outChannels). */
  run(packed: tf.Tensor4D): tf.Tensor4D;
  /** `run` that also keeps the outputs of the layers named in `tapped` (ids from `layerIds`). */
  runWithTaps(packed: tf.Tensor4D, tapped: readonly string[]): TappedRun;
  /**
   * The same network on its own copy of the weights. tfjs-wasm keeps one XNNPACK operator per
   * weight tensor, set up for the input size it last ran at, and setting it up again for
   * another size takes time in proportion to the pixels. Runs of two size families (small
   * quick renders, large full-resolution windows) on two instances each keep their setup: in
   * Node, a 1024 x 768 window run right after a 512 x 384 one took 1.37-1.40 s on one instance,
   * 1.21 s on two, as after another 1024 x 768 window.
   */
  replicate(): UNet;
  dispose(): void;
}

/**
 * Ids of every layer output `runWithTaps` can keep, in network order: 'input', then per level
 * i 'down/{i-1}/pool' (i > 0), 'down/{i}/conv1', 'down/{i}/conv2'; per up step k (deepest first)
 * 'upsample/{k}' (before the skip concatenation), 'up/{k}/conv1', 'up/{k}/conv2'; 'head', 'output'.
 */
export function layerIds({ widths }: Pick<UNetArchitecture, 'widths'>): string[] {
  const ids = ['input'];
  widths.forEach((_, i) => {
    if (i > 0) ids.push(`down/${i - 1}/pool`);
    ids.push(`down/${i}/conv1`, `down/${i}/conv2`);
  });
  widths.slice(1).forEach((_, k) => ids.push(`upsample/${k}`, `up/${k}/conv1`, `up/${k}/conv2`));
  ids.push('head', 'output');
  return ids;
}

/** Takes `name` from the weights, checking its shape against the architecture. */
function weightOf(weights: tf.NamedTensorMap, name: string, shape: number[]): tf.Tensor {
  const t = weights[name];
  if (!t) throw new TapetumError('model', `The model files lack the weight ${name}. Reload the page or reinstall Tapetum.`);
  if (t.shape.join(',') !== shape.join(',')) {
    throw new TapetumError('model', `The model weight ${name} has shape [${t.shape}] instead of [${shape}]: the model files do not match each other. Reload the page or reinstall Tapetum.`);
  }
  return t;
}

function convOf(weights: tf.NamedTensorMap, prefix: string, size: number, cin: number, cout: number): Conv {
  return {
    kernel: weightOf(weights, `${prefix}/kernel`, [size, size, cin, cout]) as tf.Tensor4D,
    bias: weightOf(weights, `${prefix}/bias`, [cout]) as tf.Tensor1D,
  };
}

function doubleConvOf(weights: tf.NamedTensorMap, prefix: string, cin: number, cout: number): DoubleConv {
  return { conv1: convOf(weights, `${prefix}/conv1`, 3, cin, cout), conv2: convOf(weights, `${prefix}/conv2`, 3, cout, cout) };
}

/**
 * TensorFlow's DCR depth-to-space by 2 for a batch of one, as reshape/transpose/reshape:
 * (1, H, W, 4C) -> (H, W, 2, 2C) -> (H, 2, W, 2C) -> (1, 2H, 2W, C). Same values as
 * tf.depthToSpace, whose WASM kernel is about 20 times slower. The intermediate views are
 * released at once so that only `x` and the result hold memory.
 */
function depthToSpace2(x: tf.Tensor4D): tf.Tensor4D {
  const [, h, w, c4] = x.shape;
  const c = c4 / 4;
  const rows = tf.reshape(x, [h, w, 2, 2 * c]);
  const swapped = tf.transpose(rows, [0, 2, 1, 3]);
  rows.dispose();
  const output = tf.reshape(swapped, [1, 2 * h, 2 * w, c]) as tf.Tensor4D;
  swapped.dispose();
  return output;
}

function upBlockOf(weights: tf.NamedTensorMap, prefix: string, width: number): UpBlock {
  const { conv1, conv2 } = doubleConvOf(weights, prefix, 2 * width, width);
  return {
    upsampledKernel: tf.slice(conv1.kernel, [0, 0, 0, 0], [3, 3, width, width]),
    skipKernel: tf.slice(conv1.kernel, [0, 0, width, 0], [3, 3, width, width]),
    bias: conv1.bias,
    conv2,
  };
}

/** How the weights are used: ModelManifest's codeCentreShift and passes. */
export type UNetConventions = Pick<ModelManifest, 'codeCentreShift' | 'passes'>;

/**
 * Builds the network from its architecture and decoded weights (which it takes ownership of).
 * Weight names and shapes must be exactly those export.py writes.
 */
export function buildUNet(architecture: UNetArchitecture, weights: tf.NamedTensorMap, conventions: UNetConventions): UNet {
  const { widths, inChannels, outChannels, leakySlope, sizeMultiple } = architecture;
  const down = widths.map((w, i) => doubleConvOf(weights, `down/${i}`, i === 0 ? inChannels : widths[i - 1]!, w));
  const levelsUp = widths.slice(0, -1).map((_, k) => widths.length - 2 - k);
  const upsample = levelsUp.map((level, k) => convOf(weights, `upsample/${k}`, 1, widths[level + 1]!, 4 * widths[level]!));
  const up = levelsUp.map((level, k) => upBlockOf(weights, `up/${k}`, widths[level]!));
  const head = convOf(weights, 'head', 1, widths[0]!, 4 * outChannels);

  // Leaky ReLU as PReLU with every slope equal: the same function, and tfjs-wasm runs fused
  // PReLU faster (Node, 1 thread, medians of 15: a 3x3 conv 8->8 at 1024² 117 -> 101 ms,
  // 4->8 71 -> 55 ms, 16->16 at 512² 86 -> 71 ms; the whole network 3.5-6 %).
  const slopes = new Map([...new Set(widths)].map((width) => [width, tf.fill([width], leakySlope) as tf.Tensor1D]));
  const slopesFor = (channels: number) => slopes.get(channels)!;
  const conv = (x: tf.Tensor4D, c: Conv, leaky: boolean) =>
    tf.fused.conv2d({ x, filter: c.kernel, bias: c.bias, strides: 1, pad: 'same', ...(leaky && { activation: 'prelu', preluActivationWeights: slopesFor(c.kernel.shape[3]) }) });
  const known = new Set(layerIds(architecture));

  function runWithTaps(packed: tf.Tensor4D, tapped: readonly string[]): TappedRun {
    const [, h, w, c] = packed.shape;
    if (h % sizeMultiple || w % sizeMultiple || c !== inChannels) {
      throw new TapetumError('internal', `The network needs (1, H, W, ${inChannels}) with H and W multiples of ${sizeMultiple}, got [${packed.shape}].`);
    }
    const unknown = tapped.filter((id) => !known.has(id));
    if (unknown.length > 0) throw new TapetumError('internal', `The network has no layer ${unknown.join(', ')}.`);
    const wanted = new Set(tapped);
    // Each layer output is disposed as soon as the next layer has consumed it (taps are
    // clones), so a run holds little more than the skip connections: windows can be 3x larger
    // than with everything kept to the end of the tidy. The tidy still cleans up on errors.
    return tf.tidy(() => {
      const taps: Record<string, tf.Tensor4D> = {};
      // A clone, so that the caller owns every tap (even the input or the output) separately.
      const tap = (id: string, x: tf.Tensor4D) => {
        if (wanted.has(id)) taps[id] = x.clone();
        return x;
      };
      const consume = <T>(value: T, ...used: tf.Tensor[]): T => {
        tf.dispose(used);
        return value;
      };
      const block = (x: tf.Tensor4D, b: DoubleConv, prefix: string) => {
        const conv1 = tap(`${prefix}/conv1`, conv(x, b.conv1, true));
        return consume(tap(`${prefix}/conv2`, conv(conv1, b.conv2, true)), conv1);
      };
      const skips: tf.Tensor4D[] = [];
      let x = tap('input', packed);
      down.forEach((b, i) => {
        if (i === 0) {
          x = block(x, b, `down/${i}`);
        } else {
          const pooled = tap(`down/${i - 1}/pool`, tf.maxPool(x, 2, 2, 'valid'));
          x = consume(block(pooled, b, `down/${i}`), pooled);
        }
        skips.push(x);
      });
      skips.pop();
      up.forEach((b, k) => {
        const coarse = conv(x, upsample[k]!, false);
        x.dispose();
        const upsampled = tap(`upsample/${k}`, consume(depthToSpace2(coarse), coarse));
        const skip = skips.pop()!;
        const fromUpsampled = tf.fused.conv2d({ x: upsampled, filter: b.upsampledKernel, bias: b.bias, strides: 1, pad: 'same' });
        const fromSkip = tf.conv2d(skip, b.skipKernel, 1, 'same');
        const joined = consume(tf.add(fromUpsampled, fromSkip) as tf.Tensor4D, upsampled, skip, fromUpsampled, fromSkip);
        const conv1 = tap(`up/${k}/conv1`, consume(tf.prelu(joined, slopesFor(joined.shape[3]) as tf.Tensor) as tf.Tensor4D, joined));
        x = tap(`up/${k}/conv2`, consume(conv(conv1, b.conv2, true), conv1));
      });
      const headOutput = tap('head', consume(conv(x, head, false), x));
      const output = tap('output', consume(depthToSpace2(headOutput), headOutput));
      return { output, taps };
    });
  }

  const run = (packed: tf.Tensor4D) => runWithTaps(packed, []).output;

  const splitKernels = up.flatMap((b) => [b.upsampledKernel, b.skipKernel]);
  // New tensors, not tf.clone's (which share their data, and so their XNNPACK operators). x + 0 is x.
  const copyOfWeights = () => tf.tidy(() => Object.fromEntries(Object.entries(weights).map(([name, w]) => [name, tf.add(w, 0)])));
  return {
    architecture,
    codeCentreShift: conventions.codeCentreShift,
    passes: conventions.passes,
    run,
    runWithTaps,
    replicate: () => buildUNet(architecture, copyOfWeights(), conventions),
    dispose: () => tf.dispose([...Object.values(weights), ...splitKernels, ...slopes.values()]),
  };
}

/**
 * Side of the WASM warm-up input (packed pixels). V8 first runs WebAssembly as baseline code and
 * compiles optimized code for a function only once it has run hot; a warm-up of the smallest
 * size leaves tfjs-wasm's kernels cold, and the first photo's first window then ran at baseline
 * speed (12 MP in Chromium here: 3.4 s instead of 1.3 s). 256² makes them hot for about 0.1 s
 * (fast tier).
 */
const WASM_WARM_UP_SIDE = 256;

/**
 * One inference before the first real window, so the backend compiles its kernels (on WASM,
 * into optimized code) and allocates. Small on the other backends: WebGPU compiles per shape
 * anyway, and the CPU backend would take seconds.
 *
 * With `window`, the inference runs at that packed shape instead. tfjs-wasm's XNNPACK sets each
 * convolution up for the input size it last ran at, work proportional to the window's pixels: a
 * 12 MP photo's first window took about 1 s longer than the same window afterwards. Warming
 * the shape the next photo will use moves that cost out of the photo's time.
 */
export async function warmUp(unet: UNet, window?: { height: number; width: number }): Promise<void> {
  const { sizeMultiple, inChannels } = unet.architecture;
  const side = tf.getBackend() === 'wasm' ? Math.ceil(WASM_WARM_UP_SIDE / sizeMultiple) * sizeMultiple : sizeMultiple;
  const input = tf.zeros([1, window?.height ?? side, window?.width ?? side, inChannels]) as tf.Tensor4D;
  const tensors: tf.Tensor[] = [input];
  try {
    tensors.push(unet.run(input));
    await tensors[1]!.data();
  } finally {
    tf.dispose(tensors);
  }
}
