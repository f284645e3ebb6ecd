/**
 * Scores the learned enhancement on sid-dev with the protocol of shared/README.md, with the
 * ratios of NAME.json and with the automatic ratio.
 *
 *   tsx scripts/score-enhance.ts [--model fast|quality] [--backend wasm|cpu] [--data DIR] [--dir OUTDIR] [--json FILE]
 *
 * With --dir, writes OUTDIR/given/NAME.png and OUTDIR/auto/NAME.png (16-bit), which
 * `npm run score:sid-dev -- --pred OUTDIR/given` scores the same way.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { decode as decodePng } from 'fast-png';
import { writeOutput } from '../src/cli/io.ts';
import { folderReader, modelFolder, MODEL_TIERS, type ModelTierName } from '../src/cli/model-files.ts';
import { NODE_BACKENDS, useNodeBackend, type NodeBackend } from '../src/cli/tf-backend.ts';
import { decodeDng } from '../src/pipeline/dng/index.ts';
import { enhance } from '../src/pipeline/enhance/enhance.ts';
import type { RgbImage } from '../src/pipeline/image/rgb-image.ts';
import { scorePrediction } from '../src/pipeline/metrics/sid-score.ts';
import { loadModel } from '../src/pipeline/model/load.ts';

interface Row {
  name: string;
  ratio: number;
  psnr: number;
  ssim: number;
  autoRatio: number;
  autoPsnr: number;
  autoSsim: number;
}

function reference(path: string): RgbImage {
  const png = decodePng(readFileSync(path));
  return { width: png.width, height: png.height, data: png.data as Uint16Array };
}

const mean = (values: number[]) => values.reduce((sum, v) => sum + v, 0) / values.length;

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: { model: { type: 'string' }, backend: { type: 'string' }, data: { type: 'string' }, dir: { type: 'string' }, json: { type: 'string' } },
  });
  const tier = (values.model ?? 'fast') as ModelTierName;
  const backend = (values.backend ?? 'wasm') as NodeBackend;
  if (!MODEL_TIERS.includes(tier) || !NODE_BACKENDS.includes(backend)) throw new Error('--model fast|quality, --backend wasm|cpu');
  const dataDir = values.data ?? join(import.meta.dirname, '../../shared/data/sid-dev');
  if (!existsSync(dataDir)) throw new Error(`${dataDir} not found: sid-dev lives in ../shared/data/sid-dev (or pass --data)`);

  await useNodeBackend(backend);
  const { unet } = await loadModel(folderReader(modelFolder(tier)));
  const rows: Row[] = [];
  for (const file of readdirSync(dataDir).filter((f) => f.endsWith('.json')).sort()) {
    const name = file.slice(0, -'.json'.length);
    const ratio = JSON.parse(readFileSync(join(dataDir, file), 'utf8')).ratio;
    if (typeof ratio !== 'number') continue;
    const dngPath = join(dataDir, `${name}.dng`);
    const decoded = await decodeDng(new Uint8Array(readFileSync(dngPath)));
    const ref = reference(join(dataDir, `${name}.ref.png`));
    const given = await enhance(decoded, unet, { ratio });
    const auto = await enhance(decoded, unet, { ratio: 'auto' });
    if (values.dir) {
      await writeOutput(join(values.dir, 'given'), dngPath, given.rgb16, 'png16');
      await writeOutput(join(values.dir, 'auto'), dngPath, auto.rgb16, 'png16');
    }
    const g = scorePrediction(given.rgb16, ref);
    const a = scorePrediction(auto.rgb16, ref);
    rows.push({ name, ratio, psnr: g.psnr, ssim: g.ssim, autoRatio: auto.ratioUsed, autoPsnr: a.psnr, autoSsim: a.ssim });
  }
  unet.dispose();

  const summary = { psnr: mean(rows.map((r) => r.psnr)), ssim: mean(rows.map((r) => r.ssim)), autoPsnr: mean(rows.map((r) => r.autoPsnr)), autoSsim: mean(rows.map((r) => r.autoSsim)) };
  console.log(`sid-dev, enhance with the ${tier} model on ${backend}`);
  console.table([
    ...rows.map((r) => ({ file: r.name, ratio: r.ratio, 'PSNR dB': r.psnr.toFixed(2), SSIM: r.ssim.toFixed(3), 'auto ratio': r.autoRatio.toFixed(1), 'auto PSNR dB': r.autoPsnr.toFixed(2), 'auto SSIM': r.autoSsim.toFixed(3) })),
    { file: 'mean', ratio: '', 'PSNR dB': summary.psnr.toFixed(2), SSIM: summary.ssim.toFixed(3), 'auto ratio': '', 'auto PSNR dB': summary.autoPsnr.toFixed(2), 'auto SSIM': summary.autoSsim.toFixed(3) },
  ]);
  if (values.json) {
    writeFileSync(values.json, `${JSON.stringify({ model: tier, backend, mean: summary, files: rows }, null, 2)}\n`);
    console.log(`wrote ${values.json}`);
  }
}

await main();
