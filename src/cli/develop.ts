import { develop } from '../pipeline/develop/index.ts';
import { decodeDng } from '../pipeline/dng/index.ts';
import type { OutputOptions } from './args.ts';
import { forEachFile } from './batch.ts';
import { writeOutput, type CliIo } from './io.ts';

/** The classic (non-learned) development of each file, written to `options.out`. */
export function runDevelop(files: string[], options: OutputOptions, io: CliIo): Promise<0 | 1> {
  return forEachFile(files, io, async (file, bytes) => {
    const image = develop(await decodeDng(bytes), { ratio: options.ratio });
    return writeOutput(options.out, file, image, options.format);
  });
}
