import { parseArgs, type ParseArgsConfig } from 'node:util';

export const OUTPUT_FORMATS = ['png', 'png16', 'jpeg'] as const;
export type OutputFormat = (typeof OUTPUT_FORMATS)[number];
export const ENHANCE_FORMATS = [...OUTPUT_FORMATS, 'dng'] as const;
export type EnhanceFormat = (typeof ENHANCE_FORMATS)[number];
export const ENHANCE_BACKENDS = ['wasm', 'cpu'] as const;
export const MODEL_CHOICES = ['fast', 'quality'] as const;

/** Options shared by every command that writes one image per input file. */
export interface OutputOptions {
  out: string;
  /** Multiplies the normalized linear raw before development. */
  ratio: number;
  format: OutputFormat;
}

/** Options of `enhance`: like OutputOptions, with an automatic ratio and the engine's choices. */
export interface EnhanceCliOptions {
  out: string;
  ratio: number | 'auto';
  format: EnhanceFormat;
  backend: (typeof ENHANCE_BACKENDS)[number];
  model: (typeof MODEL_CHOICES)[number];
  /** Tiles of at most tile² packed pixels (2x2 sensor pixels each), any shape; undefined for the default. */
  tile?: number;
}

export type CliCommand =
  | { command: 'help' }
  | { command: 'info'; files: string[] }
  | ({ command: 'develop'; files: string[] } & OutputOptions)
  | ({ command: 'enhance'; files: string[] } & EnhanceCliOptions);

export const USAGE = `Usage:
  tapetum info FILE...                  print each file's DNG metadata as JSON
  tapetum develop FILE... --out DIR     develop each file with the classic pipeline
      --ratio N                         amplify the linear raw by N (default 1)
      --format png|png16|jpeg           output format (default png, 8-bit)
  tapetum enhance FILE... --out DIR     enhance each file with the neural network
      --ratio auto|N                    amplification (default auto: chosen from the image)
      --format png|png16|jpeg|dng       output format (default png; dng: 16-bit linear DNG)
      --backend wasm|cpu                TensorFlow.js backend (default wasm)
      --model fast|quality              network size (default fast)
      --tile N                          tiles of at most N x N 2x2-pixel units (default 1024)
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

const ENHANCE_OPTION_SPECS = {
  ...OUTPUT_OPTION_SPECS,
  backend: { type: 'string' },
  model: { type: 'string' },
  tile: { type: 'string' },
} as const;

function parseRatio(text: string | undefined): number {
  if (text === undefined) return 1;
  const ratio = Number(text);
  if (text.trim() === '' || !Number.isFinite(ratio) || ratio <= 0) {
    throw new UsageError(`--ratio must be a positive number, got '${text}'`);
  }
  return ratio;
}

function parseChoice<T extends string>(option: string, text: string | undefined, choices: readonly T[]): T {
  if (text === undefined) return choices[0]!;
  const choice = choices.find((c) => c === text);
  if (!choice) throw new UsageError(`--${option} must be one of ${choices.join(', ')}, got '${text}'`);
  return choice;
}

function parseOutputOptions(values: { out?: string; ratio?: string; format?: string }): OutputOptions {
  if (!values.out) throw new UsageError('--out DIR is required');
  return { out: values.out, ratio: parseRatio(values.ratio), format: parseChoice('format', values.format, OUTPUT_FORMATS) };
}

function parseTile(text: string | undefined): number | undefined {
  if (text === undefined) return undefined;
  const tile = Number(text);
  if (!Number.isInteger(tile) || tile <= 0) throw new UsageError(`--tile must be a positive whole number, got '${text}'`);
  return tile;
}

function parseEnhanceOptions(values: { out?: string; ratio?: string; format?: string; backend?: string; model?: string; tile?: string }): EnhanceCliOptions {
  if (!values.out) throw new UsageError('--out DIR is required');
  let ratio: number | 'auto' = 'auto';
  if (values.ratio !== undefined && values.ratio !== 'auto') {
    try {
      ratio = parseRatio(values.ratio);
    } catch {
      throw new UsageError(`--ratio must be 'auto' or a positive number, got '${values.ratio}'`);
    }
  }
  return {
    out: values.out,
    ratio,
    format: parseChoice('format', values.format, ENHANCE_FORMATS),
    backend: parseChoice('backend', values.backend, ENHANCE_BACKENDS),
    model: parseChoice('model', values.model, MODEL_CHOICES),
    tile: parseTile(values.tile),
  };
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
    case 'enhance': {
      const { values, files } = parseCommandArgs(name, rest, ENHANCE_OPTION_SPECS);
      return { command: name, files, ...parseEnhanceOptions(values) };
    }
    default:
      throw new UsageError(`unknown command '${name}'`);
  }
}
