/**
 * End-to-end tests against the production build served by `vite preview`, in Debian's
 * Chromium (never a downloaded browser: PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 when installing).
 * One worker: the machine has two cores and every test runs the network.
 * Projects: 'app' without WebGPU (the app then runs on WASM, as most phones without WebGPU
 * would), 'webgpu' with SwiftShader's software adapter for the WebGPU checks.
 */
import { defineConfig } from '@playwright/test';

const PORT = 4178;
const CHROMIUM_ARGS = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'];
const WEBGPU_SPECS = [/\.webgpu\.spec\.ts$/, /worker\.spec\.ts$/];

export default defineConfig({
  testDir: 'e2e',
  outputDir: 'test-results/artifacts',
  timeout: 240_000,
  expect: { timeout: 60_000 },
  workers: 1,
  fullyParallel: false,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    browserName: 'chromium',
    acceptDownloads: true,
    screenshot: 'only-on-failure',
    launchOptions: { executablePath: '/usr/bin/chromium', args: CHROMIUM_ARGS },
  },
  projects: [
    { name: 'app', testIgnore: WEBGPU_SPECS },
    {
      name: 'webgpu',
      testMatch: WEBGPU_SPECS,
      use: { launchOptions: { executablePath: '/usr/bin/chromium', args: [...CHROMIUM_ARGS, '--enable-unsafe-webgpu'] } },
    },
  ],
  webServer: {
    command: `npm run build && npx vite preview --host 127.0.0.1 --port ${PORT} --strictPort`,
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: !process.env.CI,
    timeout: 300_000,
    stdout: 'ignore',
    stderr: 'pipe',
  },
});
