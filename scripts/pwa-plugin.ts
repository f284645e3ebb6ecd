/**
 * Vite plugin for the PWA parts of the build:
 * - the CSP meta tag in index.html, and the CSP header on `vite preview`;
 * - after the app is built, sw.ts built into dist/sw.js with Workbox's precache manifest:
 *   every file of the build (app shell, chunks, WASM, model shards, sample) with a content
 *   revision, except source maps and the engine's benchmark page.
 */
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative, resolve, sep } from 'node:path';
import { build, type Plugin, type ResolvedConfig } from 'vite';
import { CONTENT_SECURITY_POLICY } from '../src/ui/csp.ts';

const SERVICE_WORKER = 'sw.js';
const LEFT_OUT = [/\.map$/, /^bench\//, new RegExp(`^${SERVICE_WORKER}$`)];

function filesUnder(folder: string): string[] {
  return readdirSync(folder, { withFileTypes: true }).flatMap((entry) => {
    const path = join(folder, entry.name);
    return entry.isDirectory() ? filesUnder(path) : [path];
  });
}

export interface PrecacheEntry {
  url: string;
  revision: string;
}

export function precacheManifest(outDir: string, base: string): PrecacheEntry[] {
  return filesUnder(outDir)
    .map((path) => ({ path, name: relative(outDir, path).split(sep).join('/') }))
    .filter(({ name }) => !LEFT_OUT.some((pattern) => pattern.test(name)))
    .map(({ path, name }) => ({ url: `${base}${name}`, revision: createHash('sha256').update(readFileSync(path)).digest('hex').slice(0, 16) }))
    .sort((a, b) => a.url.localeCompare(b.url));
}

export function tapetumPwa(): Plugin {
  let config: ResolvedConfig;
  return {
    name: 'tapetum-pwa',
    configResolved(resolved) {
      config = resolved;
    },
    transformIndexHtml() {
      return [{ tag: 'meta', attrs: { 'http-equiv': 'Content-Security-Policy', content: CONTENT_SECURITY_POLICY }, injectTo: 'head-prepend' }];
    },
    configurePreviewServer(server) {
      server.middlewares.use((_request, response, next) => {
        response.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
        next();
      });
    },
    async closeBundle() {
      if (config.command !== 'build' || config.build.ssr) return;
      const outDir = resolve(config.root, config.build.outDir);
      const manifest = precacheManifest(outDir, config.base);
      await build({
        configFile: false,
        root: config.root,
        logLevel: 'warn',
        publicDir: false,
        define: {
          'self.__WB_MANIFEST': JSON.stringify(manifest),
          'process.env.NODE_ENV': JSON.stringify('production'),
        },
        build: {
          outDir,
          emptyOutDir: false,
          copyPublicDir: false,
          target: 'es2022',
          lib: { entry: join(config.root, 'sw.ts'), formats: ['iife'], name: 'tapetumServiceWorker', fileName: () => SERVICE_WORKER },
        },
      });
      config.logger.info(`service worker: ${SERVICE_WORKER} precaching ${manifest.length} files`);
    },
  };
}
