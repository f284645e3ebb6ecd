// Runs the Playwright end-to-end suite in Debian's Chromium, or says clearly why it is skipped
// (Playwright never downloads a browser here).
import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';

const chromium = '/usr/bin/chromium';
if (!existsSync(chromium)) {
  console.log(`end-to-end tests skipped: ${chromium} is missing (apt-get install chromium)`);
  process.exit(0);
}
const run = spawnSync('npx', ['playwright', 'test'], { stdio: 'inherit' });
process.exit(run.status ?? 1);
