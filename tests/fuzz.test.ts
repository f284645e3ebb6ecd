/**
 * Seeded fuzzing of the DNG decoder in the normal test run: mutated copies of small DNGs
 * (writer-made in several layouts, plus small real samples) must each decode or end in a
 * TapetumError, in under a second. `npm run fuzz` runs the same generator for longer.
 */
import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeDng } from '../src/pipeline/dng/index';
import { describeFailure, realSampleFixtures, runFuzz, writerFixtures } from './fuzz-cases';

const SEED = 20240611;
const CASES = 2400;
const LIMIT_MS = 1000;
/** Small, so a mutated size cannot make one case allocate hundreds of megabytes. */
const MAX_PIXELS = 1 << 22;
const SAMPLES = '../shared/data/dng-samples';

const fixtures = [
  ...writerFixtures(),
  ...realSampleFixtures(`${SAMPLES}/decodable`, ['axiom-beta-2x2.dng', 'synthetic-mock-opcodes.dng', 'lg-g4-sample_1mp.dng']),
  ...realSampleFixtures(`${SAMPLES}/damaged`, ['iphone12pro-proraw-header-only.dng', 'leica-m10-truncated.dng']),
];
if (!existsSync(SAMPLES)) console.log(`fuzz: ${SAMPLES} is absent; fuzzing writer-made fixtures only`);

describe('DNG decoder fuzzing', () => {
  it('every fixture decodes before it is mutated (except the damaged samples)', async () => {
    for (const fixture of fixtures) {
      const decoding = decodeDng(fixture.bytes, { maxPixels: MAX_PIXELS });
      if (fixture.name.includes('truncated') || fixture.name.includes('header-only')) await expect(decoding).rejects.toThrow();
      else await expect(decoding).resolves.toBeDefined();
    }
  });

  it(`${CASES} mutated DNGs decode or throw TapetumError, each in under ${LIMIT_MS} ms`, async () => {
    const report = await runFuzz(fixtures, CASES, SEED, MAX_PIXELS, LIMIT_MS);
    const slowest = report.slowest.fuzzCase;
    console.log(
      `fuzz: ${report.cases} cases in ${(report.totalMs / 1000).toFixed(1)} s; outcomes ${JSON.stringify(Object.fromEntries(report.outcomes))}; ` +
        `slowest ${report.slowest.ms.toFixed(0)} ms (#${slowest?.index} ${slowest?.fixture} [${slowest?.mutations.join('; ')}])`,
    );
    expect(report.failures.map(describeFailure)).toEqual([]);
    expect(report.cases).toBe(CASES);
    expect(report.slowest.ms).toBeLessThan(LIMIT_MS);
    // The generator must reach both outcomes, or it is not testing anything.
    expect(report.outcomes.get('decoded') ?? 0).toBeGreaterThan(CASES / 20);
    expect(CASES - (report.outcomes.get('decoded') ?? 0)).toBeGreaterThan(CASES / 2);
  }, 120_000);
});
