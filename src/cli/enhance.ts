import { basename, resolve } from 'node:path';
import { decodeDng } from '../pipeline/dng/index.ts';
import { enhance, enhanceLinear, type EnhanceProgress } from '../pipeline/enhance/enhance.ts';
import { enhancedDng } from '../pipeline/enhance/export-dng.ts';
import { TapetumError } from '../pipeline/errors.ts';
import { loadModel } from '../pipeline/model/load.ts';
import { warmUp, type UNet } from '../pipeline/model/unet.ts';
import type { EnhanceCliOptions } from './args.ts';
import { describeFailure, forEachFile } from './batch.ts';
import { outputPath, pathWithExtension, writeOutput, writeOutputBytes, type CliIo } from './io.ts';
import { folderReader, modelFolder } from './model-files.ts';
import { progressLine } from './progress.ts';
import { useNodeBackend } from './tf-backend.ts';

async function startEngine(options: EnhanceCliOptions): Promise<UNet> {
  try {
    await useNodeBackend(options.backend);
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new TapetumError('internal', `The ${options.backend} backend could not start (${reason}). Try --backend ${options.backend === 'wasm' ? 'cpu' : 'wasm'}.`);
  }
  const { unet } = await loadModel(folderReader(modelFolder(options.model)));
  await warmUp(unet);
  return unet;
}

/** Refuses to write over the input itself (a DNG written next to its original). */
function checkNotInput(file: string, output: string): void {
  if (resolve(file) === resolve(output)) {
    throw new TapetumError('unsupported', `The output ${output} would replace the original file. Choose another --out folder.`);
  }
}

/** Enhances one file and writes it in the requested format; returns the note for the log. */
async function enhanceFile(unet: UNet, file: string, bytes: Uint8Array, options: EnhanceCliOptions, io: CliIo): Promise<string> {
  const { out, format } = options;
  checkNotInput(file, format === 'dng' ? pathWithExtension(out, file, 'dng') : outputPath(out, file, format));
  const decoded = await decodeDng(bytes);
  const run = { ratio: options.ratio, tileSize: options.tile, onProgress: (p: EnhanceProgress) => io.progress?.(progressLine(basename(file), p)) };
  let path: string;
  let ratioUsed: number;
  if (format === 'dng') {
    const enhanced = await enhanceLinear(decoded, unet, run);
    ratioUsed = enhanced.ratioUsed;
    path = await writeOutputBytes(out, file, 'dng', enhancedDng(enhanced.image, decoded.metadata));
  } else {
    const result = await enhance(decoded, unet, run);
    ratioUsed = result.ratioUsed;
    path = await writeOutput(out, file, result.rgb16, format);
  }
  io.progress?.(undefined);
  return `${path}, ratio ${Number(ratioUsed.toFixed(2))}`;
}

/** The learned enhancement of each file, written to `options.out`. */
export async function runEnhance(files: string[], options: EnhanceCliOptions, io: CliIo): Promise<0 | 1> {
  let unet: UNet;
  try {
    unet = await startEngine(options);
  } catch (error) {
    io.stderr(`tapetum: ${describeFailure(error)}`);
    return 1;
  }
  try {
    return await forEachFile(files, io, (file, bytes) => enhanceFile(unet, file, bytes, options, io));
  } finally {
    io.progress?.(undefined);
    unet.dispose();
  }
}
