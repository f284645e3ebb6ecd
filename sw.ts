/// <reference lib="webworker" />
/**
 * Tapetum's service worker (Workbox): precaches the app shell, the WASM binaries, every model
 * shard and the sample, so the app works offline after the first visit. Entries carry content
 * revisions: a new build replaces changed files and drops removed ones when it activates,
 * after the page accepts the update ("Reload"). Every response it serves gets the
 * cross-origin isolation headers and the CSP, for static hosts that cannot send headers.
 */
import { clientsClaim, setCacheNameDetails, type WorkboxPlugin } from 'workbox-core';
import { addPlugins, cleanupOutdatedCaches, createHandlerBoundToURL, precacheAndRoute, type PrecacheEntry } from 'workbox-precaching';
import { NavigationRoute, registerRoute } from 'workbox-routing';
import { NetworkOnly } from 'workbox-strategies';
import { CONTENT_SECURITY_POLICY, ISOLATION_HEADERS } from './src/ui/csp.ts';

declare const self: ServiceWorkerGlobalScope & { __WB_MANIFEST: (PrecacheEntry | string)[] };

/** Same response with the headers a static host may not send (opaque responses stay as they are). */
function withAppHeaders(response: Response): Response {
  if (response.type === 'opaque' || response.status === 0) return response;
  const headers = new Headers(response.headers);
  for (const [name, value] of Object.entries(ISOLATION_HEADERS)) headers.set(name, value);
  if (!headers.has('Content-Security-Policy')) headers.set('Content-Security-Policy', CONTENT_SECURITY_POLICY);
  return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
}

const appHeaders: WorkboxPlugin = { handlerWillRespond: async ({ response }) => withAppHeaders(response) };

setCacheNameDetails({ prefix: 'tapetum' });
addPlugins([appHeaders]);
precacheAndRoute(self.__WB_MANIFEST);
cleanupOutdatedCaches();
// Any in-app address loads the app shell, also offline.
registerRoute(new NavigationRoute(createHandlerBoundToURL(new URL('index.html', self.registration.scope).pathname)));
// Anything else of ours (for example a file added after this build) still gets the headers.
registerRoute(({ url }) => url.origin === self.location.origin, new NetworkOnly({ plugins: [appHeaders] }));

self.addEventListener('message', (event) => {
  if ((event.data as { type?: string } | null)?.type === 'SKIP_WAITING') void self.skipWaiting();
});
clientsClaim();
