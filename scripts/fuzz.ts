/**
 * Long fuzz run of the DNG decoder with the generator of tests/fuzz.test.ts:
 *
 *   npm run fuzz -- --iterations 100000 --seed 7 --out fuzz-failures
 *
 * Options: --iterations N (default 10000), --seed S (default 1), --out DIR (save failing
 * inputs there), --limit-ms MS (a slower case is a failure; default 1000), --max-pixels N
 * (default 4194304), --max-sample-bytes N (real samples up to this size join the fixtures;
 * default 1000000). Prints outcomes by error code, the slowest case and every failure (a
 * foreign exception, or a case slower than the limit twice in a row); exits with status 1
 * when there was a failure.
 */
import { existsSync, mkdirSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describeFailure, realSampleFixtures, runFuzz, writerFixtures, type Fixture, type FuzzReport } from '../tests/fuzz-cases';

const SAMPLES = fileURLToPath(new URL('../../shared/data/dng-samples', import.meta.url));

function parseArgs(argv: string[]): Map<string, string> {
  const args = new Map<string, string>();
  for (let i = 0; i < argv.length; i++) {
    if (!argv[i].startsWith('--') || i + 1 >= argv.length) throw new Error(`unexpected argument ${argv[i]}`);
    args.set(argv[i].slice(2), argv[++i]);
  }
  return args;
}

function numberArg(args: Map<string, string>, name: string, fallback: number): number {
  const value = args.has(name) ? Number(args.get(name)) : fallback;
  if (!Number.isFinite(value) || value < 0) throw new Error(`--${name} needs a non-negative number`);
  return value;
}

function sampleFixtures(maxBytes: number): Fixture[] {
  return ['decodable', 'damaged', 'unsupported'].flatMap((folder) => {
    const dir = join(SAMPLES, folder);
    if (!existsSync(dir)) return [];
    const names = readdirSync(dir).filter((name) => statSync(join(dir, name)).size <= maxBytes);
    return realSampleFixtures(dir, names.sort());
  });
}

async function main(): Promise<number> {
  const args = parseArgs(process.argv.slice(2));
  const iterations = numberArg(args, 'iterations', 10000);
  const seed = numberArg(args, 'seed', 1);
  const limitMs = numberArg(args, 'limit-ms', 1000);
  const maxPixels = numberArg(args, 'max-pixels', 1 << 22);
  const fixtures = [...writerFixtures(), ...sampleFixtures(numberArg(args, 'max-sample-bytes', 1e6))];
  console.log(`fuzzing ${iterations} cases, seed ${seed}, fixtures: ${fixtures.map((f) => f.name).join(', ')}`);

  const start = performance.now();
  const progress = (r: FuzzReport) =>
    process.stderr.write(`\r${r.cases} cases, ${r.failures.length} failures, ${((performance.now() - start) / 1000).toFixed(0)} s`);
  const report = await runFuzz(fixtures, iterations, seed, maxPixels, limitMs, progress);
  const outcomes = [...report.outcomes].sort((a, b) => b[1] - a[1]);
  console.log(`\n${report.cases} cases in ${(report.totalMs / 1000).toFixed(1)} s (${(report.totalMs / report.cases).toFixed(2)} ms per case)`);
  for (const [outcome, count] of outcomes) console.log(`  ${outcome.padEnd(12)} ${count}`);
  const slowest = report.slowest.fuzzCase;
  if (slowest) console.log(`slowest: ${report.slowest.ms.toFixed(1)} ms, #${slowest.index} ${slowest.fixture} [${slowest.mutations.join('; ')}]`);

  console.log(`failures: ${report.failures.length}`);
  for (const failure of report.failures) console.log(`  ${describeFailure(failure)}`);
  const out = args.get('out');
  if (out && report.failures.length > 0) {
    mkdirSync(out, { recursive: true });
    for (const { fuzzCase, reason } of report.failures) {
      const base = join(out, `seed${seed}-case${fuzzCase.index}`);
      writeFileSync(`${base}.dng`, fuzzCase.bytes);
      writeFileSync(`${base}.txt`, `fixture: ${fuzzCase.fixture}\nmutations:\n  ${fuzzCase.mutations.join('\n  ')}\n\n${reason}\n`);
    }
    console.log(`failing inputs saved in ${out}`);
  }
  return report.failures.length > 0 ? 1 : 0;
}

main().then(
  (status) => (process.exitCode = status),
  (error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exitCode = 2;
  },
);
