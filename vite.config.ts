import { defineConfig } from 'vite';
import { tapetumPwa } from './scripts/pwa-plugin.ts';

/**
 * WASM threads need SharedArrayBuffer, which browsers only give to cross-origin isolated
 * pages. The same two headers must be sent by the production host (see README).
 */
const crossOriginIsolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

export default defineConfig({
  // CSP, service worker with the precache manifest (see scripts/pwa-plugin.ts).
  plugins: [tapetumPwa()],
  server: { headers: crossOriginIsolation },
  preview: { headers: crossOriginIsolation },
  build: {
    target: 'es2022',
    rolldownOptions: {
      input: {
        main: 'index.html',
        // Diagnostics page that drives the worker for `npm run bench` and the e2e tests,
        // so they measure the production bundle, not the dev server.
        bench: 'bench/browser/index.html',
      },
    },
  },
  worker: {
    // Module workers can split chunks, so a backend's code loads only when it is used.
    format: 'es',
    rolldownOptions: {
      output: {
        // tfjs-wasm starts its threads from the *source text* of its Emscripten factory
        // (`factory.toString()` in a Blob). Compressing inlines and hoists names across that
        // function's boundary, and the threads then fail with `e is not defined` /
        // `_scriptDir is not defined`. Renaming locals only (mangle) keeps it self-contained.
        minify: { compress: false, mangle: true },
      },
    },
  },
});
