/**
 * The window shape of the last full-resolution render, per backend and model tier, kept across
 * sessions in Cache Storage. A user's photos mostly come from the same camera, so the next
 * session's engine can set itself up for that shape before the first photo (see warmUp).
 * Storage is a convenience: anything unreadable counts as nothing remembered.
 */
import type { WindowShape } from '../pipeline/enhance/tiled-inference.ts';
import type { BackendName, ModelTier } from './api.ts';
import { openCache } from './cache-storage.ts';

const CACHE_NAME = 'tapetum-engine-v1';

/** A key in the app's own URL space; it is never fetched. */
function keyOf(backend: BackendName, tier: ModelTier): string {
  return new URL(`${import.meta.env.BASE_URL}engine/last-window-${backend}-${tier}.json`, globalThis.location.href).href;
}

function isWindowShape(value: unknown): value is WindowShape {
  const { height, width } = (value ?? {}) as Partial<WindowShape>;
  return [height, width].every((side) => Number.isSafeInteger(side) && side! > 0);
}

export async function recallLastWindow(backend: BackendName, tier: ModelTier): Promise<WindowShape | undefined> {
  try {
    const stored = await (await openCache(CACHE_NAME))?.match(keyOf(backend, tier));
    const value: unknown = stored && (await stored.json());
    return isWindowShape(value) ? { height: value.height, width: value.width } : undefined;
  } catch {
    return undefined;
  }
}

export async function rememberLastWindow(backend: BackendName, tier: ModelTier, window: WindowShape): Promise<void> {
  try {
    const body = JSON.stringify({ height: window.height, width: window.width });
    await (await openCache(CACHE_NAME))?.put(keyOf(backend, tier), new Response(body, { headers: { 'Content-Type': 'application/json' } }));
  } catch {
    // Storage refused (private mode, quota): the next session just sets up on its first photo.
  }
}
