/**
 * Peak memory of `tapetum enhance` as the image grows (3, 12 and 48 MP): the tiled engine keeps
 * one window's tensors alive, so peak RSS should grow only by the image-sized buffers (raw,
 * linearized raw, output, 16-bit result), not by the network's activations.
 * Prints a table and writes bench/results/memory.json. Needs GNU time (/usr/bin/time).
 * usage: npm run bench:memory [-- --sizes 3,12,48]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { syntheticDng, syntheticMosaic } from './synthetic-dng.ts';

const ASPECT = 4 / 3;
const sizeArg = process.argv.indexOf('--sizes');
const megapixels = (sizeArg > 0 ? process.argv[sizeArg + 1]! : '3,12,48').split(',').map(Number);

if (!existsSync('/usr/bin/time')) {
  console.error('bench:memory needs GNU time (apt-get install time)');
  process.exit(2);
}
const dir = mkdtempSync(join(tmpdir(), 'tapetum-memory-'));
const rows = [];
try {
  for (const mp of megapixels) {
    const height = Math.round(Math.sqrt((mp * 1e6) / ASPECT) / 2) * 2;
    const width = Math.round((height * ASPECT) / 2) * 2;
    const file = join(dir, `scene-${mp}mp.dng`);
    writeFileSync(file, syntheticDng(syntheticMosaic({ width, height, exposure: 0.05 }), width, height));
    const run = spawnSync('/usr/bin/time', ['-f', '%M %e', 'npx', 'tsx', 'src/cli/main.ts', 'enhance', file, '--out', dir, '--ratio', '20', '--format', 'png16'], {
      encoding: 'utf8',
    });
    const [peakKiB, seconds] = run.stderr.trim().split('\n').pop()!.split(' ').map(Number);
    if (run.status !== 0) throw new Error(`enhance failed on ${mp} MP:\n${run.stderr}`);
    // Image-sized buffers the pipeline must hold: 16-bit mosaic, float32 linear raw, float32 RGB
    // output and 16-bit RGB result (bytes per pixel: 2 + 4 + 12 + 6); windows are packed from
    // the linear raw one at a time.
    const imageBuffersMiB = (width * height * 24) / 2 ** 20;
    rows.push({ megapixels: (width * height) / 1e6, width, height, peakMiB: peakKiB! / 1024, imageBuffersMiB, seconds });
    console.log(`${mp} MP: peak ${Math.round(peakKiB! / 1024)} MiB, image buffers ${Math.round(imageBuffersMiB)} MiB, ${seconds} s`);
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
const base = rows[0]!;
console.log('\n| image | peak RSS MiB | image buffers MiB | peak − buffers MiB | s |\n|---|---|---|---|---|');
for (const r of rows) {
  console.log(`| ${r.megapixels.toFixed(1)} MP | ${r.peakMiB.toFixed(0)} | ${r.imageBuffersMiB.toFixed(0)} | ${(r.peakMiB - r.imageBuffersMiB).toFixed(0)} | ${r.seconds} |`);
}
const growth = rows.map((r) => (r.peakMiB - base.peakMiB) / Math.max(1e-9, r.imageBuffersMiB - base.imageBuffersMiB));
console.log(`\npeak growth per MiB of image buffers (vs ${base.megapixels.toFixed(1)} MP): ${growth.slice(1).map((g) => g.toFixed(2)).join(', ')}`);
writeFileSync('bench/results/memory.json', JSON.stringify({ date: new Date().toISOString(), rows }, null, 2));
