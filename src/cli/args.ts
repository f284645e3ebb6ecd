import { parseArgs, type ParseArgsConfig } from 'node:util';

export const OUTPUT_FORMATS = ['png', 'png16', 'jpeg'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];

/** Options shared by every command that writes one image per input file. */
export interface OutputOptions {
  out: string;
  /** Multiplies the normalized linear raw before development. */
  ratio: number;
  format: OutputFormat;
}

export type CliCommand =
  | { command: 'help' }
  | { command: 'info'; files: string[] }
  | ({ command: 'develop'; files: string[] } & OutputOptions);

export const USAGE = `Usage:
  tapetum info FILE...                  print each file's DNG metadata as JSON
  tapetum develop FILE... --out DIR     develop each file with the classic pipeline
      --ratio N                         amplify the linear raw by N (default 1)
      --format png|png16|jpeg           output format (default png, 8-bit)
  tapetum --help

Exit status: 0 all files done, 1 some file failed, 2 usage error.`;

/** A mistake on the command line: reported with the usage text and exit status 2. */
export class UsageError extends Error {
  override readonly name = 'UsageError';
}

const OUTPUT_OPTION_SPECS = {
  out: { type: 'string' },
  ratio: { type: 'string' },
  format: { type: 'string' },
} as const;

function parseRatio(text: string | undefined): number {
  if (text === undefined) return 1;
  const ratio = Number(text);
  if (text.trim() === '' || !Number.isFinite(ratio) || ratio <= 0) {
    throw new UsageError(`--ratio must be a positive number, got '${text}'`);
  }
  return ratio;
}

function parseFormat(text: string | undefined): OutputFormat {
  if (text === undefined) return 'png';
  const format = OUTPUT_FORMATS.find((f) => f === text);
  if (!format) throw new UsageError(`--format must be one of ${OUTPUT_FORMATS.join(', ')}, got '${text}'`);
  return format;
}

function parseOutputOptions(values: { out?: string; ratio?: string; format?: string }): OutputOptions {
  if (!values.out) throw new UsageError('--out DIR is required');
  return { out: values.out, ratio: parseRatio(values.ratio), format: parseFormat(values.format) };
}

type OptionSpecs = NonNullable<ParseArgsConfig['options']>;

/** Splits one command's arguments into its options (unknown ones rejected) and input files. */
function parseCommandArgs<T extends OptionSpecs>(name: string, args: string[], options: T) {
  let parsed;
  try {
    parsed = parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw new UsageError(e instanceof Error ? e.message : String(e));
  }
  if (parsed.positionals.length === 0) throw new UsageError(`${name}: no input files`);
  return { values: parsed.values, files: parsed.positionals };
}

const HELP_FLAGS = ['--help', '-h'];

/** Turns argv (without node and the script) into a command, or throws UsageError. */
export function parseCommandLine(argv: string[]): CliCommand {
  const [name, ...rest] = argv;
  if (name === undefined || name === 'help' || argv.some((arg) => HELP_FLAGS.includes(arg))) {
    return { command: 'help' };
  }
  switch (name) {
    case 'info':
      return { command: name, files: parseCommandArgs(name, rest, {}).files };
    case 'develop': {
      const { values, files } = parseCommandArgs(name, rest, OUTPUT_OPTION_SPECS);
      return { command: name, files, ...parseOutputOptions(values) };
    }
    default:
      throw new UsageError(`unknown command '${name}'`);
  }
}
