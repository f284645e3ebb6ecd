/**
 * Headless Chromium for the benchmarks: the system browser (never a downloaded one), the
 * production build served by `vite preview`, local files served to the page, and the peak
 * memory of the browser's processes read from /proc (Linux).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { chromium, type Browser, type BrowserServer, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';

export const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
  // SwiftShader's WebGPU adapter where the machine has no GPU.
  '--enable-unsafe-webgpu',
];

const ROOT = join(import.meta.dirname, '..');

async function answers(port: number): Promise<boolean> {
  try {
    return (await fetch(`http://localhost:${port}/`)).ok;
  } catch {
    return false;
  }
}

/**
 * `vite build`, then `vite preview` on `port`; resolves once the server answers. A server
 * already on the port would be measured instead of this build: that is refused.
 */
export async function servePreview(port: number): Promise<ChildProcess> {
  if (await answers(port)) throw new Error(`port ${port} is already in use: stop what serves it, then run the bench again`);
  const build = spawnSync('npx', ['vite', 'build', '--logLevel', 'warn'], { cwd: ROOT, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('vite build failed');
  const server = spawn('npx', ['vite', 'preview', '--port', String(port), '--strictPort'], { cwd: ROOT, stdio: 'ignore', detached: true });
  let exited = false;
  server.once('exit', () => (exited = true));
  for (let attempt = 0; attempt < 100 && !exited; attempt++) {
    if (await answers(port)) return server;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  stopServer(server);
  throw new Error(exited ? `vite preview exited before serving on port ${port}` : `vite preview did not start on port ${port}`);
}

/** Stops the preview server and the processes it started (npx -> vite), if still running. */
export function stopServer(server: ChildProcess): void {
  try {
    if (server.pid !== undefined) process.kill(-server.pid, 'SIGTERM');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ESRCH') throw error;
  }
}

/** The system Chromium's version, e.g. "150.0.7871.100" (timings differ between versions). */
export function chromiumVersion(): string {
  const result = spawnSync(CHROMIUM, ['--version'], { encoding: 'utf8' });
  return /Chromium ([\d.]+)/.exec(result.stdout ?? '')?.[1] ?? 'unknown';
}

export interface LaunchedBrowser {
  server: BrowserServer;
  browser: Browser;
}

export async function launchChromium(): Promise<LaunchedBrowser> {
  const server = await chromium.launchServer({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  const browser = await chromium.connect(server.wsEndpoint());
  return { server, browser };
}

export async function closeChromium({ server, browser }: LaunchedBrowser): Promise<void> {
  await browser.close();
  await server.close();
}

/**
 * Serves files of `dir` at /__bench/<name> from the page's own origin, so they load under
 * cross-origin isolation like the app's files.
 */
export async function serveFiles(page: Page, dir: string): Promise<void> {
  await page.route('**/__bench/*', (route) => {
    const name = basename(new URL(route.request().url()).pathname);
    return route.fulfill({ body: readFileSync(join(dir, name)), contentType: 'application/octet-stream' });
  });
}

/** Serves documents without COOP/COEP: the page is then not cross-origin isolated (no WASM threads). */
export async function withoutIsolation(page: Page): Promise<void> {
  await page.route('**/*.html', async (route) => {
    const response = await route.fetch();
    const headers = { ...response.headers() };
    delete headers['cross-origin-opener-policy'];
    delete headers['cross-origin-embedder-policy'];
    await route.fulfill({ response, headers });
  });
}

function parentOf(pid: string): string | undefined {
  try {
    // /proc/<pid>/stat: "pid (comm) state ppid ..."; comm may contain spaces.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1];
  } catch {
    return undefined;
  }
}

function peakResidentBytes(pid: string): number {
  try {
    const match = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) * 1024 : 0;
  } catch {
    return 0;
  }
}

/**
 * Peak resident memory (VmHWM) of the largest process of each Chromium type under `rootPid`
 * ('renderer' holds the page and its workers, 'gpu-process' SwiftShader's WebGPU).
 */
export function peakMemoryByProcessType(rootPid: number): Record<string, number> | undefined {
  if (!existsSync('/proc/self/stat')) return undefined;
  const pids = readdirSync('/proc').filter((name) => /^\d+$/.test(name));
  const descendants = new Set([String(rootPid)]);
  // Parents are listed before children often enough; repeat until nothing new is found.
  for (let grew = true; grew; ) {
    grew = false;
    for (const pid of pids) {
      const parent = parentOf(pid);
      if (!descendants.has(pid) && parent !== undefined && descendants.has(parent)) {
        descendants.add(pid);
        grew = true;
      }
    }
  }
  const peaks: Record<string, number> = {};
  for (const pid of descendants) {
    let type = 'browser';
    try {
      type = /--type=([\w-]+)/.exec(readFileSync(`/proc/${pid}/cmdline`, 'utf8'))?.[1] ?? 'browser';
    } catch {
      continue;
    }
    peaks[type] = Math.max(peaks[type] ?? 0, peakResidentBytes(pid));
  }
  return peaks;
}
