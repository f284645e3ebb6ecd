/**
 * Starts the processing worker and wraps it with Comlink, for the UI and the diagnostics page.
 * Progress callbacks must be passed as `Comlink.proxy(fn)`.
 */
import * as Comlink from 'comlink';
import type { TapetumWorkerApi, TapetumWorkerDiagnostics } from './api.ts';

export interface TapetumWorker {
  api: Comlink.Remote<TapetumWorkerApi & TapetumWorkerDiagnostics>;
  terminate(): void;
}

export function startTapetumWorker(): TapetumWorker {
  const worker = new Worker(new URL('./worker.ts', import.meta.url), { type: 'module', name: 'tapetum' });
  const api = Comlink.wrap<TapetumWorkerApi & TapetumWorkerDiagnostics>(worker);
  return {
    api,
    terminate: () => {
      api[Comlink.releaseProxy]();
      worker.terminate();
    },
  };
}
