/**
 * Geometric self-ensemble: the network also runs on the mosaic mirrored top to bottom, left to
 * right and both, each output is mirrored back, and all are averaged. Each member makes its own
 * errors (invented texture, demosaicking guesses), so the average has fewer: with the quality
 * tier's weights on sid-dev (training/tapetum_train/validate.py, float32), 1 pass scores 32.68 dB /
 * SSIM 0.868, 4 passes 33.01 / 0.879.
 *
 * Mirroring an RGGB mosaic along an axis changes its Bayer phase (R G becomes G R); dropping
 * its first line restores it. So a mirrored member sees the mosaic one pixel further along that
 * axis: the window is read one packed pixel larger, each channel whose CFA site is on an even
 * line along the axis (R and G1 for rows, R and G2 for columns) is taken one packed pixel
 * further on, and the member's output, mirrored back, lands one output pixel further on. The
 * first output line it does not reach takes the other members' mean. Mirrors keep the window's
 * shape, so a backend's per-shape setup (tfjs-wasm's XNNPACK operators) serves every member.
 *
 * The mirroring is done here on the window's floats in JavaScript and the placement by the
 * tiled blend (tiled-inference.ts), not with tensor ops: tfjs-wasm's reverse, slice and pad
 * over a full-resolution output took longer than the network itself (768² packed window: 4.7 s
 * for four passes against 0.53 s for one network run).
 */
import type { Passes } from '../model/manifest.ts';

/** How a member sees one axis: mirrored or not, and how many members share each line of it. */
export interface AxisMember {
  mirrored: boolean;
  /** Members per line: 2 when the ensemble mirrors this axis in half of its members, else 1. */
  members: number;
}

export interface EnsembleMember {
  rows: AxisMember;
  cols: AxisMember;
}

/** 1: the network alone; 4: and the mosaic mirrored top to bottom, left to right and both. */
export function ensembleMembers(passes: Passes): EnsembleMember[] {
  const axis = (mirrored: boolean): AxisMember => ({ mirrored, members: passes === 1 ? 1 : 2 });
  const flips = passes === 1 ? [false] : [false, true];
  return flips.flatMap((rows) => flips.map((cols) => ({ rows: axis(rows), cols: axis(cols) })));
}

/** Packed pixels a window must be read beyond its size for `passes` (mirrored members look one further). */
export function ensembleBorder(passes: Passes): number {
  return passes === 1 ? 0 : 1;
}

/** Packed channel order R, G1, B, G2 (src/pipeline/develop/pack.ts): CFA site on an even row, on an even column. */
const EVEN_ROW = [true, true, false, false];
const EVEN_COL = [true, false, false, true];

/**
 * Writes the member's input, h x w x 4, into `into` from `window`, the packed window read
 * (h + border) x (w + border) x 4: mirrored along the member's axes, each channel taken one
 * packed pixel further along a mirrored axis where its CFA site is on an even line.
 */
export function memberInput(window: Float32Array, h: number, w: number, border: number, member: EnsembleMember, into: Float32Array): void {
  const stride = w + border;
  for (let c = 0; c < 4; c++) {
    const dy = member.rows.mirrored && EVEN_ROW[c] ? 1 : 0;
    const dx = member.cols.mirrored && EVEN_COL[c] ? 1 : 0;
    for (let y = 0; y < h; y++) {
      const from = ((member.rows.mirrored ? h - 1 - y : y) + dy) * stride + dx;
      const to = y * w;
      if (member.cols.mirrored) {
        for (let x = 0; x < w; x++) into[(to + x) * 4 + c] = window[(from + w - 1 - x) * 4 + c]!;
      } else {
        for (let x = 0; x < w; x++) into[(to + x) * 4 + c] = window[(from + x) * 4 + c]!;
      }
    }
  }
}

/**
 * The member's output line that lands on output line `p` of the window (`n` lines), or -1: a
 * mirrored member's output, mirrored back, lies one line further on, so it has nothing for line 0.
 */
export function sourceLine(p: number, n: number, axis: AxisMember): number {
  if (!axis.mirrored) return p;
  return p === 0 ? -1 : n - p;
}

/** The member's weight in the mean at output line `p` along an axis (0 where it has no output). */
export function lineShare(p: number, axis: AxisMember): number {
  if (p === 0) return axis.mirrored ? 0 : 1;
  return 1 / axis.members;
}
