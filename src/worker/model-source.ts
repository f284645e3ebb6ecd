/**
 * Where the worker gets model files: the app's `model/<tier>/` folder. Files are fetched
 * from the network (through the HTTP cache and the service worker, if any) and kept in
 * Cache Storage, which answers when the network does not, so a tier that loaded once also
 * loads offline. Only the tier in use is downloaded first; the other one is stored later,
 * in the background.
 */
import type { FetchBytes } from '../pipeline/model/load.ts';
import { MODEL_FILE, parseManifest } from '../pipeline/model/manifest.ts';
import type { ModelTier } from './api.ts';
import { openCache } from './cache-storage.ts';

const CACHE_NAME = 'tapetum-model-v1';

/** URL of the tier's folder, next to the app's index.html (Vite's BASE_URL). */
export function modelFolderUrl(tier: ModelTier, base: string = import.meta.env.BASE_URL): string {
  return new URL(`${base}model/${tier}/`, globalThis.location.href).href;
}

async function fetchAndStore(url: string, cache: Cache | undefined, signal?: AbortSignal): Promise<Uint8Array> {
  const response = await fetch(url, { signal });
  if (!response.ok) throw new Error(`HTTP ${response.status}`);
  const bytes = new Uint8Array(await response.clone().arrayBuffer());
  await cache?.put(url, response).catch(() => undefined);
  return bytes;
}

/** FetchBytes for one tier: network first, the stored copy when the network fails. */
export function modelFetcher(tier: ModelTier, base?: string): FetchBytes {
  const folder = modelFolderUrl(tier, base);
  return async (path, signal) => {
    const url = new URL(path, folder).href;
    const cache = await openCache(CACHE_NAME);
    try {
      return await fetchAndStore(url, cache, signal);
    } catch (error) {
      if (signal?.aborted) throw error;
      const stored = await cache?.match(url);
      if (stored) return new Uint8Array(await stored.arrayBuffer());
      throw error;
    }
  };
}

/**
 * Downloads and stores every file of a tier not stored yet, for offline use later. Failures
 * are ignored: this is a convenience, and the tier is fetched again when it is needed.
 */
export async function storeTierForLater(tier: ModelTier, base?: string): Promise<void> {
  const cache = await openCache(CACHE_NAME);
  if (!cache || (await cache.match(new URL(MODEL_FILE, modelFolderUrl(tier, base)).href))) return;
  const fetchBytes = modelFetcher(tier, base);
  try {
    const manifest = parseManifest(await fetchBytes(MODEL_FILE));
    for (const shard of manifest.shards) await fetchBytes(shard.path);
  } catch {
    // Offline or the tier is not shipped: nothing to store.
  }
}
