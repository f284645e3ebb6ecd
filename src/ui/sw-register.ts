/**
 * Registers the service worker, shows the update prompt when a new version waits, and makes
 * the page cross-origin isolated on hosts that cannot send the headers: the service worker
 * adds them, which takes effect after one reload once it controls the page.
 */
import { Workbox } from 'workbox-window';
import type { TapetumApp } from './app-shell.ts';

const ISOLATION_RELOAD = 'tapetum-isolation-reload';

export function registerServiceWorker(app: TapetumApp): void {
  if (!('serviceWorker' in navigator)) return;
  const base = import.meta.env.BASE_URL;
  const workbox = new Workbox(`${base}sw.js`, { scope: base });
  workbox.addEventListener('waiting', () => {
    app.updateReady = true;
  });
  app.addEventListener('update-accepted', () => {
    workbox.addEventListener('controlling', () => location.reload());
    workbox.messageSkipWaiting();
  });
  workbox.addEventListener('controlling', () => {
    // Only once per tab: if the headers do not help here, reloading again would not either.
    if (!crossOriginIsolated && !sessionStorage.getItem(ISOLATION_RELOAD)) {
      sessionStorage.setItem(ISOLATION_RELOAD, '1');
      location.reload();
    }
  });
  void workbox.register();
}
