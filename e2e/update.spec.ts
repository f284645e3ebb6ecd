/**
 * Updates: when a new build's service worker is waiting, the app offers "Reload", and
 * reloading brings the new version in (its precache replaces the old one).
 */
import { expect, test } from '@playwright/test';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** The folder `vite preview` serves (the build's outDir). */
const SERVED = process.env.TAPETUM_DIST ?? join(import.meta.dirname, '..', 'dist');

test('offers a waiting update and reloads into it', async ({ page }) => {
  await page.goto('/');
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
  });
  // Deploying the next build: a service worker that differs by a byte is all a browser compares.
  const path = join(SERVED, 'sw.js');
  const original = readFileSync(path, 'utf8');
  writeFileSync(path, `${original}\n// next build`);
  try {
    await page.evaluate(async () => (await navigator.serviceWorker.getRegistration())!.update());
  } finally {
    writeFileSync(path, original);
  }
  const prompt = page.getByRole('status').filter({ hasText: 'A new version of Tapetum is ready.' });
  await expect(prompt).toBeVisible();

  const reloaded = page.waitForEvent('load');
  await prompt.getByRole('button', { name: 'Reload' }).click();
  await reloaded;
  await expect(page.getByRole('heading', { name: 'See in the dark' })).toBeVisible();
  const active = await page.evaluate(async () => {
    const registration = await navigator.serviceWorker.getRegistration();
    return { waiting: Boolean(registration?.waiting), controlled: Boolean(navigator.serviceWorker.controller) };
  });
  expect(active).toEqual({ waiting: false, controlled: true });
  await expect(prompt).toHaveCount(0);
});
