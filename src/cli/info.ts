import { decodeDng, readDngMetadata } from '../pipeline/dng/index.ts';
import type { DngMetadata } from '../pipeline/dng/types.ts';
import { isTapetumError } from '../pipeline/errors.ts';
import { describeFailure, forEachFile } from './batch.ts';
import type { CliIo } from './io.ts';

interface FileInfo {
  file: string;
  metadata: DngMetadata;
  warnings: string[];
  /** Why the image data could not be decoded, when the tags could be read. */
  imageError?: { code: string; message: string };
}

/**
 * Prints one JSON array with the metadata of each file. Each file is then fully decoded so
 * image-data problems surface too: a file whose tags are readable but whose pixels are not
 * keeps its metadata, gains `imageError`, and still counts as a failure.
 */
export async function runInfo(files: string[], io: CliIo): Promise<0 | 1> {
  const infos: FileInfo[] = [];
  const status = await forEachFile(files, io, async (file, bytes) => {
    const { warnings, ...metadata } = readDngMetadata(bytes);
    const info: FileInfo = { file, metadata, warnings };
    infos.push(info);
    try {
      info.warnings = (await decodeDng(bytes)).warnings;
    } catch (error) {
      info.imageError = { code: isTapetumError(error) ? error.code : 'internal', message: describeFailure(error) };
      throw error;
    }
    return undefined;
  });
  io.stdout(JSON.stringify(infos, null, 2));
  return status;
}
