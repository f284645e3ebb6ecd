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
  await screenshot(page, 'diagnostics', true);
});
