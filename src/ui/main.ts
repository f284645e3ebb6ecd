/**
 * Entry point of the app page: starts the processing worker, the photo session and the
 * service worker (production builds), opens files the OS hands over (file_handlers), and
 * mounts <tapetum-app>.
 */
import * as Comlink from 'comlink';
import { startTapetumWorker } from '../worker/client.ts';
import './app-shell.ts';
import type { TapetumApp } from './app-shell.ts';
import { PhotoSession } from './session.ts';
import { sourceFromFile } from './sources.ts';
import { registerServiceWorker } from './sw-register.ts';

const worker = startTapetumWorker();
const session = new PhotoSession(worker.api, { proxy: Comlink.proxy, transfer: Comlink.transfer });

const app = document.createElement('tapetum-app') as TapetumApp;
app.session = session;
app.diagnosticsApi = worker.api;
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
