/** The one-line progress bar `enhance` draws on a terminal. */
import type { EnhanceProgress } from '../pipeline/enhance/enhance.ts';

const BAR_WIDTH = 24;

/** Fraction of the work done: inference dominates, so the bar follows its tiles. */
function fractionDone(p: EnhanceProgress): number {
  if (p.phase === 'prepare') return 0;
  if (p.phase === 'finish') return 1;
  return p.total > 0 ? p.done / p.total : 0;
}

/** e.g. `photo.dng [##########..............] tiles 3/8, about 12 s left` */
export function progressLine(name: string, p: EnhanceProgress): string {
  const filled = Math.round(fractionDone(p) * BAR_WIDTH);
  const bar = `[${'#'.repeat(filled)}${'.'.repeat(BAR_WIDTH - filled)}]`;
  const detail = p.phase === 'infer' ? `tiles ${p.done}/${p.total}` : p.phase;
  const eta = p.etaMs === undefined ? '' : `, about ${Math.ceil(p.etaMs / 1000)} s left`;
  return `${name} ${bar} ${detail}${eta}`;
}
