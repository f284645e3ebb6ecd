/**
 * Entry point of the app page: starts the processing worker and its engine, the photo session and the
 * service worker (production builds), opens files the OS hands over (file_handlers), and
 * mounts <tapetum-app>.
 */
import * as Comlink from 'comlink';
import { startTapetumWorker } from '../worker/client.ts';
import './app-shell.ts';
import type { TapetumApp } from './app-shell.ts';
import { loadProcessing } from './preferences.ts';
import { PhotoSession } from './session.ts';
import { sourceFromFile } from './sources.ts';
import { registerServiceWorker } from './sw-register.ts';

const worker = startTapetumWorker();
const session = new PhotoSession(worker.api, { proxy: Comlink.proxy, transfer: Comlink.transfer });
session.processing = loadProcessing();
// The engine (backend, model files, warm-up) starts while the person picks a photo; its first
// enhancement would otherwise wait about half a second for it. A failure here is reported by
// that enhancement, which tries again.
void worker.api.prepare(session.processing).catch(() => undefined);

const app = document.createElement('tapetum-app') as TapetumApp;
app.session = session;
// A plain object, never the Comlink proxy itself: templates probe the values bound to them,
// and every property of a remote proxy answers, as a message to the worker.
app.diagnosticsApi = {
  capabilities: () => worker.api.capabilities(),
  benchmark: (backend, model) => worker.api.benchmark(backend, model),
};
app.loadFeatureMaps = (layer, tileSize) => worker.api.featureMaps({ fileId: session.selected?.opened?.id, model: 'fast', layer, tileSize });
document.body.append(app);

/** Files opened with Tapetum from the operating system (the manifest's file_handlers). */
interface LaunchParams {
  files: FileSystemFileHandle[];
}
const launchQueue = (window as { launchQueue?: { setConsumer(consumer: (params: LaunchParams) => void): void } }).launchQueue;
launchQueue?.setConsumer(async ({ files }) => {
  const opened = await Promise.all(files.map((handle) => handle.getFile()));
  app.addPhotos(opened.map(sourceFromFile));
});

if (import.meta.env.PROD) registerServiceWorker(app);
