/** The shipped model folders (public/model/<tier>) read from the file system. */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FetchBytes } from '../pipeline/model/load.ts';

export const MODEL_TIERS = ['fast', 'quality'] as const;
export type ModelTierName = (typeof MODEL_TIERS)[number];

export function modelFolder(tier: ModelTierName): string {
  return join(import.meta.dirname, '../../public/model', tier);
}

export function folderReader(folder: string): FetchBytes {
  return async (path) => new Uint8Array(await readFile(join(folder, path)));
}
