import { decodeDng } from '../pipeline/dng/index.ts';
import type { DngMetadata } from '../pipeline/dng/types.ts';
import { forEachFile } from './batch.ts';
import type { CliIo } from './io.ts';

interface FileInfo {
  file: string;
  metadata: DngMetadata;
  warnings: string[];
}

/** Decodes each file (so image-data problems surface too) and prints one JSON array. */
export async function runInfo(files: string[], io: CliIo): Promise<0 | 1> {
  const infos: FileInfo[] = [];
  const status = await forEachFile(files, io, async (file, bytes) => {
    const { metadata, warnings } = await decodeDng(bytes);
    infos.push({ file, metadata, warnings });
    return undefined;
  });
  io.stdout(JSON.stringify(infos, null, 2));
  return status;
}
