/**
 * Geometric self-ensemble: the network also runs on the mosaic mirrored top to bottom, left to
 * right or both, each output is mirrored back, and all are averaged. Each member makes its own
 * errors (invented texture, demosaicking guesses), so the average has fewer: with the fast
 * network on sid-dev (training/tapetum_train/validate.py, float32), 1 pass scores 32.68 dB / SSIM
 * 0.868, 2 passes 32.96 / 0.877, 4 passes 33.01 / 0.879.
 *
 * Mirroring an RGGB mosaic along an axis changes its Bayer phase (R G becomes G R); dropping
 * its first line restores it. So a mirrored member sees the mosaic one pixel further along that
 * axis: the window is read one packed pixel larger, each channel whose CFA site is on an even
 * line along the axis (R and G1 for rows, R and G2 for columns) is taken one packed pixel
 * further on, and the member's output, mirrored back, lands one output pixel further on. The
 * first output line it does not cover takes the other members' mean. Mirrors keep the window's
 * shape, so a backend's per-shape setup (tfjs-wasm's XNNPACK operators) serves every member.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { Passes } from '../model/manifest.ts';

interface Mirror {
  rows: boolean;
  cols: boolean;
}

/** 1: the network alone; 2: and the half turn; 4: and both mirrors. */
const MIRRORS: Record<Passes, Mirror[]> = {
  1: [{ rows: false, cols: false }],
  2: [{ rows: false, cols: false }, { rows: true, cols: true }],
  4: [{ rows: false, cols: false }, { rows: true, cols: true }, { rows: true, cols: false }, { rows: false, cols: true }],
};

/** Packed channel order R, G1, B, G2 (src/pipeline/develop/pack.ts): CFA site on an even row, on an even column. */
const EVEN_ROW = [true, true, false, false];
const EVEN_COL = [true, false, false, true];

/** Packed pixels a window must be read beyond its size for `passes` (mirrored members look one further). */
export function ensembleBorder(passes: Passes): number {
  return passes === 1 ? 0 : 1;
}

/** The member's input: (1, h, w, 4) from the (1, h + border, w + border, 4) window, mirrored. */
function mirroredInput(window: tf.Tensor4D, h: number, w: number, mirror: Mirror): tf.Tensor4D {
  const channels = tf.split(window, 4, 3).map((channel, c) => {
    const dy = mirror.rows && EVEN_ROW[c] ? 1 : 0;
    const dx = mirror.cols && EVEN_COL[c] ? 1 : 0;
    return tf.slice(channel, [0, dy, dx, 0], [1, h, w, 1]);
  });
  return mirrored(tf.concat(channels, 3) as tf.Tensor4D, mirror);
}

function mirrored(x: tf.Tensor4D, mirror: Mirror): tf.Tensor4D {
  const axes = [...(mirror.rows ? [1] : []), ...(mirror.cols ? [2] : [])];
  return axes.length ? tf.reverse(x, axes) : x;
}

/** Moves a (1, H, W, C) output one pixel down and/or right along its mirrored axes; the lines it leaves are 0. */
function shiftedBack(x: tf.Tensor4D, mirror: Mirror): tf.Tensor4D {
  const [, height, width] = x.shape;
  const dy = mirror.rows ? 1 : 0;
  const dx = mirror.cols ? 1 : 0;
  if (!dy && !dx) return x;
  return tf.tidy(() => tf.pad(tf.slice(x, [0, 0, 0, 0], [-1, height - dy, width - dx, -1]), [[0, 0], [dy, 0], [dx, 0], [0, 0]]));
}

/** `step(x)`, releasing `x` once consumed (steps that change nothing return `x` itself). */
function consumed(x: tf.Tensor4D, step: (x: tf.Tensor4D) => tf.Tensor4D): tf.Tensor4D {
  const y = step(x);
  if (y !== x) x.dispose();
  return y;
}

/**
 * The ensemble of `run` over a window: `window` is (1, h + border, w + border, 4) with border =
 * ensembleBorder(passes); the result (1, 2h, 2w, C) is what `run` gives for the first h x w
 * packed pixels, averaged over `passes` members. Each member's tensors are released as soon as
 * they are consumed, so that besides one network run only the running sum and its coverage
 * count stay alive (model/memory.ts ensembleFloatsPerPixel).
 */
export function selfEnsemble(run: (x: tf.Tensor4D) => tf.Tensor4D, window: tf.Tensor4D, passes: Passes): tf.Tensor4D {
  const border = ensembleBorder(passes);
  const [, hb, wb] = window.shape;
  const h = hb - border;
  const w = wb - border;
  if (passes === 1) return run(window);
  let sum: tf.Tensor4D | undefined;
  let count: tf.Tensor4D | undefined;
  for (const mirror of MIRRORS[passes]) {
    const input = tf.tidy(() => mirroredInput(window, h, w, mirror));
    let output = consumed(input, run);
    output = consumed(output, (x) => mirrored(x, mirror));
    output = consumed(output, (x) => shiftedBack(x, mirror));
    const covered = tf.tidy(() => shiftedBack(tf.ones([1, 2 * h, 2 * w, 1]), mirror));
    sum = sum ? consumed(sum, (s) => tf.add(s, output)) : output;
    count = count ? consumed(count, (c) => tf.add(c, covered)) : covered;
    if (sum !== output) output.dispose();
    if (count !== covered) covered.dispose();
  }
  const mean = tf.div(sum!, count!) as tf.Tensor4D;
  tf.dispose([sum!, count!]);
  return mean;
}
