/**
 * The app's Content-Security-Policy, one source for the page's meta tag, the preview server's
 * header and the service worker (which adds it to what it serves, covering the worker scripts).
 * No 'unsafe-eval': WebAssembly gets 'wasm-unsafe-eval' only. tfjs-wasm starts its threads as
 * blob: workers that importScripts() another blob: URL (its Emscripten factory), hence blob: in
 * worker-src and script-src. Styles allow inline attributes (Lit templates); scripts do not.
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self' 'wasm-unsafe-eval' blob:",
  "worker-src 'self' blob:",
  "connect-src 'self' blob:",
  "img-src 'self' blob: data:",
  "style-src 'self' 'unsafe-inline'",
  "font-src 'self'",
  "media-src 'self' blob: mediastream:",
  "manifest-src 'self'",
  "object-src 'none'",
  "base-uri 'self'",
  "form-action 'none'",
].join('; ');

/** Headers that make the app cross-origin isolated (SharedArrayBuffer for WASM threads). */
export const ISOLATION_HEADERS: Record<string, string> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};
