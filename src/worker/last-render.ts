/**
 * What the last full-resolution render used, per backend and model tier, kept across sessions in
 * Cache Storage: its window shape and the lengths of its large arrays (the photo's linear data
 * and the network output). A user's photos mostly come from the same camera, so the next
 * session's engine can set itself up for that shape and fault those arrays in before the first
 * photo (see setUpForNextPhoto). Storage is a convenience: anything unreadable counts as
 * nothing remembered.
 */
import type { WindowShape } from '../pipeline/enhance/tiled-inference.ts';
import type { BackendName, ModelTier } from './api.ts';
import { openCache } from './cache-storage.ts';

const CACHE_NAME = 'tapetum-engine-v1';

export interface LastRender {
  window: WindowShape;
  /** Float32Array lengths, as the float pool will be asked for them. */
  arrayLengths: number[];
}

/** A key in the app's own URL space; it is never fetched. */
function keyOf(backend: BackendName, tier: ModelTier): string {
  return new URL(`${import.meta.env.BASE_URL}engine/last-render-${backend}-${tier}.json`, globalThis.location.href).href;
}

const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) > 0;

function isLastRender(value: unknown): value is LastRender {
  const { window, arrayLengths } = (value ?? {}) as Partial<LastRender>;
  return isCount(window?.height) && isCount(window?.width) && Array.isArray(arrayLengths) && arrayLengths.every(isCount);
}

export async function recallLastRender(backend: BackendName, tier: ModelTier): Promise<LastRender | undefined> {
  try {
    const stored = await (await openCache(CACHE_NAME))?.match(keyOf(backend, tier));
    const value: unknown = stored && (await stored.json());
    return isLastRender(value) ? { window: { height: value.window.height, width: value.window.width }, arrayLengths: [...value.arrayLengths] } : undefined;
  } catch {
    return undefined;
  }
}

export async function rememberLastRender(backend: BackendName, tier: ModelTier, render: LastRender): Promise<void> {
  try {
    const body = JSON.stringify({ window: { height: render.window.height, width: render.window.width }, arrayLengths: render.arrayLengths });
    await (await openCache(CACHE_NAME))?.put(keyOf(backend, tier), new Response(body, { headers: { 'Content-Type': 'application/json' } }));
  } catch {
    // Storage refused (private mode, quota): the next session just sets up on its first photo.
  }
}
