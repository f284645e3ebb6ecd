/**
 * Scores a development method on sid-dev with the protocol of shared/README.md.
 *
 *   tsx scripts/score-sid-dev.ts [--data DIR] [--dir OUTDIR] [--pred DIR] [--json FILE]
 *
 * Without --pred, develops every NAME.dng that has a ratio with the classic pipeline (and
 * with --dir writes the 16-bit PNGs there). With --pred, scores DIR/NAME.png (16-bit RGB)
 * instead. Prints PSNR and SSIM per file next to the README's RawTherapee (tuned noise
 * reduction) PSNR, then the means; --json writes the same figures to FILE.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { decode as decodePng } from 'fast-png';
import { writeOutput } from '../src/cli/io.ts';
import { develop } from '../src/pipeline/develop/index.ts';
import { decodeDng } from '../src/pipeline/dng/index.ts';
import type { RgbImage } from '../src/pipeline/image/rgb-image.ts';
import { scorePrediction } from '../src/pipeline/metrics/sid-score.ts';

/** RawTherapee 5.9 with noise reduction tuned on sid-dev, per file (shared/README.md). */
const RAWTHERAPEE_TUNED_PSNR: Record<string, number> = {
  '00004_14': 34.42,
  '00004_15': 34.29,
  '00015_23': 33.85,
  '00015_26': 31.94,
  '00024_1': 30.4,
  '00024_2': 30.42,
  '00024_30': 30.99,
  '00024_6': 30.74,
  '00024_8': 30.75,
};

interface FileScore {
  name: string;
  ratio: number;
  psnr: number;
  ssim: number;
  rawTherapeeTunedPsnr: number | null;
}

function readRgb16Png(path: string): RgbImage {
  const png = decodePng(readFileSync(path));
  if (png.depth !== 16 || png.channels !== 3 || !(png.data instanceof Uint16Array)) {
    throw new Error(`${path}: expected a 16-bit RGB PNG, found ${png.depth}-bit with ${png.channels} channels`);
  }
  return { width: png.width, height: png.height, data: png.data };
}

/** NAME and ratio of each pair with a reference, in name order. */
function scoredPairs(dataDir: string): { name: string; ratio: number }[] {
  return readdirSync(dataDir)
    .filter((file) => file.endsWith('.json'))
    .map((file) => ({ name: file.slice(0, -'.json'.length), ratio: JSON.parse(readFileSync(join(dataDir, file), 'utf8')).ratio }))
    .filter((pair): pair is { name: string; ratio: number } => typeof pair.ratio === 'number')
    .sort((a, b) => a.name.localeCompare(b.name));
}

async function classicPrediction(dataDir: string, name: string, ratio: number, outDir: string | undefined): Promise<RgbImage> {
  const dngPath = join(dataDir, `${name}.dng`);
  const image = develop(await decodeDng(new Uint8Array(readFileSync(dngPath))), { ratio });
  if (outDir) await writeOutput(outDir, dngPath, image, 'png16');
  return image;
}

const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { data: { type: 'string' }, dir: { type: 'string' }, pred: { type: 'string' }, json: { type: 'string' } },
  });
  const dataDir = values.data ?? join(import.meta.dirname, '../../shared/data/sid-dev');
  if (!existsSync(dataDir)) throw new Error(`${dataDir} not found: sid-dev lives in ../shared/data/sid-dev (or pass --data)`);

  const scores: FileScore[] = [];
  for (const { name, ratio } of scoredPairs(dataDir)) {
    const prediction = values.pred
      ? readRgb16Png(join(values.pred, `${name}.png`))
      : await classicPrediction(dataDir, name, ratio, values.dir);
    const { psnr, ssim } = scorePrediction(prediction, readRgb16Png(join(dataDir, `${name}.ref.png`)));
    scores.push({ name, ratio, psnr, ssim, rawTherapeeTunedPsnr: RAWTHERAPEE_TUNED_PSNR[name] ?? null });
  }

  const method = values.pred ? `predictions in ${values.pred}` : 'classic pipeline';
  const summary = { psnr: mean(scores.map((s) => s.psnr)), ssim: mean(scores.map((s) => s.ssim)) };
  const anchors = scores.flatMap((s) => (s.rawTherapeeTunedPsnr === null ? [] : [s.rawTherapeeTunedPsnr]));
  console.log(`sid-dev, ${method}`);
  console.table([
    ...scores.map((s) => ({
      file: s.name,
      ratio: s.ratio,
      'PSNR dB': s.psnr.toFixed(2),
      SSIM: s.ssim.toFixed(3),
      'RawTherapee tuned dB': s.rawTherapeeTunedPsnr?.toFixed(2) ?? '',
    })),
    { file: 'mean', ratio: '', 'PSNR dB': summary.psnr.toFixed(2), SSIM: summary.ssim.toFixed(3), 'RawTherapee tuned dB': anchors.length ? mean(anchors).toFixed(2) : '' },
  ]);
  if (values.json) {
    writeFileSync(values.json, `${JSON.stringify({ method, mean: summary, files: scores }, null, 2)}\n`);
    console.log(`wrote ${values.json}`);
  }
}

await main();
