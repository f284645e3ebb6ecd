/** The processing choice, remembered on this device (localStorage; private modes may refuse it). */
import type { Processing } from './session.ts';

const KEY = 'tapetum-processing';
const BACKENDS = ['auto', 'webgpu', 'wasm', 'cpu'];
const MODELS = ['auto', 'fast', 'quality'];

export function loadProcessing(): Processing {
  try {
    const stored = JSON.parse(localStorage.getItem(KEY) ?? '{}') as Partial<Processing>;
    return {
      backend: BACKENDS.includes(stored.backend as string) ? stored.backend! : 'auto',
      model: MODELS.includes(stored.model as string) ? stored.model! : 'auto',
    };
  } catch {
    return { backend: 'auto', model: 'auto' };
  }
}

export function saveProcessing(processing: Processing): void {
  try {
    localStorage.setItem(KEY, JSON.stringify(processing));
  } catch {
    // Not remembered; the choice still applies to this visit.
  }
}
