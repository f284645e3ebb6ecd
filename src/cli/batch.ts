import { readFile } from 'node:fs/promises';
import { isTapetumError } from '../pipeline/errors.ts';
import type { CliIo } from './io.ts';

/** Node's file-system errors carry a code; these are the ones a person can fix. */
const FILE_ERROR_MESSAGES: Record<string, string> = {
  ENOENT: 'file not found',
  EACCES: 'permission denied',
  EISDIR: 'is a folder, not a file',
  ENOTDIR: 'a folder in the path is a file',
  ENOSPC: 'no space left on the disk',
};

/** One line for the user: our own messages as they are, anything else marked as a bug. */
export function describeFailure(error: unknown): string {
  if (isTapetumError(error)) return error.message;
  const { code, path } = (error ?? {}) as NodeJS.ErrnoException;
  if (code !== undefined && FILE_ERROR_MESSAGES[code]) return `${FILE_ERROR_MESSAGES[code]} (${path})`;
  const message = error instanceof Error ? error.message : String(error);
  return `unexpected error (please report it): ${message}`;
}

/**
 * Runs `work` on each input file in turn. A failure is reported on stderr and does not stop
 * the others; a progress line (with the note `work` returns, e.g. the output path) follows each
 * success. Returns the exit status: 0 when every file succeeded, 1 otherwise.
 */
export async function forEachFile(
  files: string[],
  io: CliIo,
  work: (file: string, bytes: Uint8Array) => Promise<string | undefined>,
): Promise<0 | 1> {
  let failures = 0;
  for (const file of files) {
    const start = performance.now();
    try {
      const note = await work(file, new Uint8Array(await readFile(file)));
      const ms = Math.round(performance.now() - start);
      io.stderr(note ? `${file} -> ${note} (${ms} ms)` : `${file} (${ms} ms)`);
    } catch (error) {
      failures++;
      io.stderr(`tapetum: ${file}: ${describeFailure(error)}`);
    }
  }
  return failures === 0 ? 0 : 1;
}
