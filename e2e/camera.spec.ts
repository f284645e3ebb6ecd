/**
 * Taking a photo with the camera, with Chromium's fake camera (a generated video): the frame
 * is opened through the unprocessing path, enhanced, and the app says a raw DNG is better.
 */
import { expect, test } from '@playwright/test';
import { screenshot, waitForPreview } from './app-helpers.ts';

test.use({
  launchOptions: {
    executablePath: '/usr/bin/chromium',
    args: ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--use-fake-device-for-media-stream', '--use-fake-ui-for-media-stream'],
  },
});

test('takes a photo with the camera and enhances it as an sRGB frame', async ({ page, context }) => {
  await context.grantPermissions(['camera']);
  await page.goto('/');
  await page.getByRole('button', { name: 'Take a photo' }).click();
  const dialog = page.getByRole('dialog', { name: 'Camera' });
  await expect(dialog).toBeVisible();
  await expect
    .poll(() => dialog.locator('video').evaluate((video: HTMLVideoElement) => video.videoWidth))
    .toBeGreaterThan(0);
  await screenshot(page, 'camera');
  await dialog.getByRole('button', { name: 'Take photo' }).click();
  await expect(dialog).toBeHidden();
  await waitForPreview(page);
  await expect(page.getByText('A raw DNG from the camera gives the best result')).toBeVisible();
  await expect(page.getByRole('button', { name: /^camera-\d{8}-\d{6}\.(jpg|png), / })).toBeVisible();
});
