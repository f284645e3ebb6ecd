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
  /** Replaces the transient status line (a progress bar); undefined clears it. Optional. */
  progress?(status: string | undefined): void;
}

/** Erases the current terminal line and returns the cursor to its start. */
const CLEAR_LINE = '\r\x1b[K';
let statusShown = false;

function clearStatus(): void {
  if (statusShown) process.stderr.write(CLEAR_LINE);
  statusShown = false;
}

export const processIo: CliIo = {
  stdout: (line) => {
    clearStatus();
    process.stdout.write(`${line}\n`);
  },
  stderr: (line) => {
    clearStatus();
    process.stderr.write(`${line}\n`);
  },
  // Only on a terminal: in a log file, redrawn status lines would be noise.
  progress: (status) => {
    if (!process.stderr.isTTY) return;
    if (status === undefined) return clearStatus();
    process.stderr.write(`${CLEAR_LINE}${status}`);
    statusShown = true;
  },
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

/** `DIR/<input name without extension>.<extension>` */
export function pathWithExtension(outDir: string, inputFile: string, extension: string): string {
  return join(outDir, `${basename(inputFile, extname(inputFile))}.${extension}`);
}

/** `DIR/<input name without extension>.<format's extension>` */
export function outputPath(outDir: string, inputFile: string, format: OutputFormat): string {
  return pathWithExtension(outDir, inputFile, EXTENSIONS[format]);
}

/** Writes an already encoded result for one input file (creating the folder); returns its path. */
export async function writeOutputBytes(outDir: string, inputFile: string, extension: string, bytes: Uint8Array): Promise<string> {
  const path = pathWithExtension(outDir, inputFile, extension);
  await mkdir(outDir, { recursive: true });
  await writeFile(path, bytes);
  return path;
}

/** Encodes and writes the result for one input file (creating the folder); returns its path. */
export function writeOutput(outDir: string, inputFile: string, image: RgbImage, format: OutputFormat): Promise<string> {
  return writeOutputBytes(outDir, inputFile, EXTENSIONS[format], encodeImage(image, format));
}
