/** Cache Storage for the worker's own files, where the browser has it and allows it. */
export async function openCache(name: string): Promise<Cache | undefined> {
  try {
    return typeof caches === 'undefined' ? undefined : await caches.open(name);
  } catch {
    return undefined; // Cache Storage refused (private mode, storage full): callers go without.
  }
}
