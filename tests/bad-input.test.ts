/**
 * Files that are not decodable DNGs must end quickly in a TapetumError whose code tells the
 * user what happened: 'unsupported' (another raw format, VC-5), 'not-dng' (JPEG, random
 * bytes, plain TIFF), 'truncated' / 'corrupt' (damaged DNGs).
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { decodeDng, readDngMetadata } from '../src/pipeline/dng/index';
import { writeDng } from '../src/pipeline/dng/writer';
import { isTapetumError, type TapetumErrorCode } from '../src/pipeline/errors';
import { mulberry32, randomInt } from './prng';

const SAMPLES = '../shared/data/dng-samples';
const CLEAN = '../shared/data/clean/kodak';
const TIME_LIMIT_MS = 1000;

/** The TapetumError code `run` ends in ('returned' when it succeeds) and how long it took. */
async function outcome(run: () => unknown): Promise<{ code: TapetumErrorCode | 'returned'; ms: number; message: string }> {
  const start = performance.now();
  try {
    await run();
    return { code: 'returned', ms: performance.now() - start, message: '' };
  } catch (e) {
    if (!isTapetumError(e)) throw e;
    return { code: e.code, ms: performance.now() - start, message: e.message };
  }
}

/**
 * decodeDng must fail with one of `codes` within the time limit; readDngMetadata must either
 * return (metadata can survive lost image data) or fail with a TapetumError — with the same
 * code as decodeDng when `metadataFailsToo`.
 */
async function expectRejected(bytes: Uint8Array, codes: TapetumErrorCode[], metadataFailsToo: boolean): Promise<void> {
  const decoded = await outcome(() => decodeDng(bytes));
  expect(codes).toContain(decoded.code);
  expect(decoded.message.length).toBeGreaterThan(20);
  expect(decoded.ms).toBeLessThan(TIME_LIMIT_MS);
  const metadata = await outcome(() => readDngMetadata(bytes));
  expect(metadata.ms).toBeLessThan(TIME_LIMIT_MS);
  if (metadataFailsToo) expect(metadata.code).toBe(decoded.code);
}

function filesIn(dir: string): string[] {
  return existsSync(dir) ? readdirSync(dir).sort() : [];
}

const haveSamples = existsSync(SAMPLES);
if (!haveSamples) console.log(`bad-input: ${SAMPLES} is absent; the sample-file cases are skipped`);

describe.skipIf(!haveSamples)('sample files that are not decodable DNGs', () => {
  for (const name of filesIn(`${SAMPLES}/unsupported`)) {
    it(`unsupported/${name} is rejected as unsupported`, async () => {
      const bytes = new Uint8Array(readFileSync(`${SAMPLES}/unsupported/${name}`));
      // A GPR is a real DNG whose metadata is readable; the other raw formats are not DNGs at all.
      await expectRejected(bytes, ['unsupported'], !name.endsWith('.gpr'));
    });
  }

  for (const name of filesIn(`${SAMPLES}/damaged`)) {
    it(`damaged/${name} is rejected as truncated or corrupt`, async () => {
      const bytes = new Uint8Array(readFileSync(`${SAMPLES}/damaged/${name}`));
      await expectRejected(bytes, ['truncated', 'corrupt'], false);
    });
  }
});

describe('inputs that are not DNGs at all', () => {
  it('an empty file', async () => {
    await expectRejected(new Uint8Array(0), ['not-dng'], true);
  });

  it('random bytes of several lengths', async () => {
    const random = mulberry32(31337);
    for (const length of [1, 3, 7, 8, 100, 4096, 100000]) {
      const bytes = Uint8Array.from({ length }, () => randomInt(random, 256));
      await expectRejected(bytes, ['not-dng'], true);
    }
  });

  it.skipIf(!existsSync(CLEAN))('a JPEG photo renamed to .dng', async () => {
    const jpeg = filesIn(CLEAN).find((name) => name.endsWith('.jpg'))!;
    const bytes = new Uint8Array(readFileSync(`${CLEAN}/${jpeg}`));
    expect([bytes[0], bytes[1]]).toEqual([0xff, 0xd8]);
    await expectRejected(bytes, ['not-dng'], true);
  });

  it('a TIFF without a DNGVersion tag', async () => {
    const dng = writeDng(
      {
        stored: { width: 16, height: 16, samplesPerPixel: 3, data: new Uint16Array(16 * 16 * 3) },
        metadata: { whiteLevel: [65535] },
      },
      { byteOrder: 'II' },
    );
    // Rename tag 50706 (DNGVersion, bytes 12 C6) to 50705, an unassigned tag, keeping the IFD valid.
    const tiff = dng.slice();
    const view = new DataView(tiff.buffer);
    const ifd = view.getUint32(4, true);
    let renamed = 0;
    for (let k = 0; k < view.getUint16(ifd, true); k++) {
      if (view.getUint16(ifd + 2 + 12 * k, true) === 50706) {
        view.setUint16(ifd + 2 + 12 * k, 50705, true);
        renamed++;
      }
    }
    expect(renamed).toBe(1);
    await expectRejected(tiff, ['not-dng'], true);
  });
});
