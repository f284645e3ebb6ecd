/**
 * The installed app works without a network: after one visit the service worker has
 * precached the app, the WASM binaries, the models and the sample; offline, a reload still
 * opens, decodes and enhances. Every request of the session stays on the app's origin.
 */
import { expect, test } from '@playwright/test';
import { openSample, recordRequests, renderFullSize, screenshot } from './app-helpers.ts';

test('enhances again after going offline and reloading', async ({ page, context, baseURL }) => {
  const requests = recordRequests(page);
  await page.goto('/');
  // Installed and in control: everything the app needs is in the precache.
  await page.evaluate(async () => {
    await navigator.serviceWorker.ready;
    if (!navigator.serviceWorker.controller) await new Promise((resolve) => navigator.serviceWorker.addEventListener('controllerchange', resolve, { once: true }));
  });
  const precached = await page.evaluate(async () => {
    const names = await caches.keys();
    const urls: string[] = [];
    for (const name of names.filter((n) => n.startsWith('tapetum-precache'))) {
      for (const request of await (await caches.open(name)).keys()) urls.push(new URL(request.url).pathname);
    }
    return urls;
  });
  expect(precached).toEqual(expect.arrayContaining(['/index.html', '/sample-dark.dng', '/model/fast/model.json', '/model/quality/model.json']));
  expect(precached.filter((u) => u.endsWith('.wasm'))).toHaveLength(3);
  expect(precached.filter((u) => u.startsWith('/model/') && u.endsWith('.bin')).length).toBeGreaterThanOrEqual(2);

  await context.setOffline(true);
  await page.reload();
  await expect(page.getByRole('heading', { name: 'See in the dark' })).toBeVisible();
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  await openSample(page);
  await renderFullSize(page);
  await expect(page.locator('tp-metadata')).toContainText('WebAssembly');
  await screenshot(page, 'offline-enhanced');

  const origin = new URL(baseURL!).origin;
  const foreign = requests.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('blob:') && !url.startsWith('data:'));
  expect(foreign).toEqual([]);
});
