import { mkdir, writeFile } from 'node:fs/promises';
import { basename, extname, join } from 'node:path';
import { encodeJpeg } from '../pipeline/image/encode-jpeg.ts';
import { encodePng } from '../pipeline/image/encode-png.ts';
import { to8bit, type RgbImage } from '../pipeline/image/rgb-image.ts';
import type { OutputFormat } from './args.ts';

/** Where the CLI talks to the user; tests pass one that records the lines. */
export interface CliIo {
  stdout(line: string): void;
  stderr(line: string): void;
}

export const processIo: CliIo = {
  stdout: (line) => process.stdout.write(`${line}\n`),
  stderr: (line) => process.stderr.write(`${line}\n`),
};

const EXTENSIONS: Record<OutputFormat, string> = { png: 'png', png16: 'png', jpeg: 'jpg' };

function encodeImage(image: RgbImage, format: OutputFormat): Uint8Array {
  switch (format) {
    case 'png':
      return encodePng(to8bit(image));
    case 'png16':
      return encodePng(image);
    case 'jpeg':
      return encodeJpeg(to8bit(image));
  }
}

/** `DIR/<input name without extension>.<format's extension>` */
export function outputPath(outDir: string, inputFile: string, format: OutputFormat): string {
  return join(outDir, `${basename(inputFile, extname(inputFile))}.${EXTENSIONS[format]}`);
}

/** Encodes and writes the result for one input file (creating the folder); returns its path. */
export async function writeOutput(
  outDir: string,
  inputFile: string,
  image: RgbImage,
  format: OutputFormat,
): Promise<string> {
  const path = outputPath(outDir, inputFile, format);
  await mkdir(outDir, { recursive: true });
  await writeFile(path, encodeImage(image, format));
  return path;
}
