/** Words and bar position for an enhancement's progress. */
import type { Phase, Progress } from '../worker/api.ts';

/** Share of the whole bar each phase spans; inference dominates every run. */
const PHASE_SPAN: Record<Phase, [number, number]> = {
  decode: [0, 0.03],
  'load-model': [0.03, 0.15],
  prepare: [0.15, 0.2],
  infer: [0.2, 0.94],
  finish: [0.94, 1],
};

export function overallFraction(progress: Progress | undefined): number {
  if (!progress) return 0;
  const [start, end] = PHASE_SPAN[progress.phase];
  const within = progress.total > 0 ? Math.min(progress.done / progress.total, 1) : 0;
  return start + (end - start) * within;
}

export function phaseLabel(progress: Progress | undefined): string {
  switch (progress?.phase) {
    case undefined:
    case 'decode':
      return 'Starting…';
    case 'load-model':
      return 'Loading the model…';
    case 'prepare':
      return 'Preparing the raw data…';
    case 'infer':
      return progress.total > 1 ? `Enhancing — tile ${Math.min(progress.done + 1, progress.total)} of ${progress.total}` : 'Enhancing…';
    case 'finish':
      return 'Finishing…';
  }
}
