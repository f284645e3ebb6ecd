import { parseCommandLine, USAGE, UsageError, type CliCommand } from './args.ts';
import { runDevelop } from './develop.ts';
import { runEnhance } from './enhance.ts';
import { runInfo } from './info.ts';
import type { CliIo } from './io.ts';

/** The whole `tapetum` command: returns the exit status (0 ok, 1 some file failed, 2 usage). */
export async function run(argv: string[], io: CliIo): Promise<number> {
  let command: CliCommand;
  try {
    command = parseCommandLine(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    io.stderr(`tapetum: ${error.message}`);
    io.stderr(USAGE);
    return 2;
  }
  switch (command.command) {
    case 'help':
      io.stdout(USAGE);
      return 0;
    case 'info':
      return runInfo(command.files, io);
    case 'develop':
      return runDevelop(command.files, command, io);
    case 'enhance':
      return runEnhance(command.files, command, io);
  }
}
