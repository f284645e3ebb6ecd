/** The diagnostics page: capabilities, the WASM benchmark checked against PyTorch, JSON export, the model explorer. */
import { expect, test } from '@playwright/test';
import { screenshot } from './app-helpers.ts';

test('runs the benchmark, shows the table and copies the results as JSON', async ({ page, context }) => {
  await context.grantPermissions(['clipboard-read', 'clipboard-write']);
  await page.goto('/#/diagnostics');
  await expect(page.getByRole('heading', { name: 'Diagnostics' })).toBeVisible();
  await expect(page.locator('.cap').filter({ hasText: 'Cross-origin isolated' })).toContainText('Yes');
  await expect(page.locator('.cap').filter({ hasText: 'WASM threads' })).toContainText('Yes');

  await page.getByRole('button', { name: 'Run benchmark' }).click();
  const wasm = page.locator('tr[data-backend=wasm]');
  await expect(wasm).toHaveAttribute('data-state', 'done');
  await expect(wasm).toContainText('✓ matches');
  await expect(page.locator('tr[data-state=running], tr[data-state=waiting]')).toHaveCount(0);
  await expect(page.getByRole('img', { name: /WebAssembly: \d+\.\d+ MP\/s/ })).toBeVisible();

  await page.getByRole('button', { name: 'Copy results as JSON' }).click();
  await expect(page.getByRole('status').filter({ hasText: 'Copied' })).toBeVisible();
  const report = JSON.parse(await page.evaluate(() => navigator.clipboard.readText()));
  const row = report.benchmark.find((r: { backend: string }) => r.backend === 'wasm');
  expect(row).toMatchObject({ state: 'done', ok: true });
  expect(row.megapixelsPerSecond).toBeGreaterThan(0);

  // The explorer draws every layer; selecting one describes it.
  await expect(page.getByRole('button', { name: /^down\/0\/conv1: 3×3 convolution 4→8/ })).toBeVisible();
  await page.getByRole('button', { name: /^output: depth-to-space 2/ }).click();
  await expect(page.getByRole('heading', { name: 'output' })).toBeVisible();
  // With no photo open, the worker computes them on the model's parity input: all 3 RGB channels.
  const detail = page.locator('section.detail');
  await expect(detail).toContainText(/3 of 3 channels on a \d+-pixel tile/);
  await expect(detail.getByLabel(/^channel \d$/)).toHaveCount(3);
  await page.getByRole('button', { name: /^down\/0\/conv1: / }).click();
  await expect(detail).toContainText(/6 of 8 channels on a \d+-pixel tile/);
  await expect(detail.getByLabel(/^channel \d$/)).toHaveCount(6);
  // Drawn: the canvas holds the map's pixels (any non-black sample).
  const drawn = await detail.locator('canvas').first().evaluate((canvas: HTMLCanvasElement) => {
    const { data } = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height);
    return { width: canvas.width, lit: data.some((v, i) => i % 4 !== 3 && v > 8) };
  });
  expect(drawn.width).toBeGreaterThan(0);
  expect(drawn.lit).toBe(true);
  await screenshot(page, 'diagnostics', true);
});
