/** Shared steps of the app's end-to-end tests (driving the UI the way a person does). */
import { expect, type Download, type Page } from '@playwright/test';
import { decode as decodePng } from 'fast-png';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

export const SAMPLE = join(import.meta.dirname, '..', 'public', 'sample-dark.dng');
export const SAMPLE_SIZE = { width: 1200, height: 800 };
const SCREENSHOTS = join(import.meta.dirname, '..', 'test-results', 'screenshots');

export async function screenshot(page: Page, name: string, fullPage = false): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  // A full-page capture scrolls; starting at the top keeps the sticky header at the top.
  if (fullPage) await page.evaluate(() => window.scrollTo(0, 0));
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage });
}

/** The enhanced quick preview is on screen (the viewer compares two images). */
export async function waitForPreview(page: Page): Promise<void> {
  await expect(page.getByText('Tapetum', { exact: true }).and(page.locator('.tag.after'))).toBeVisible();
}

export async function openSample(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Try a sample' }).click();
  await waitForPreview(page);
}

/** Types an amplification into the brightness field. */
export async function setBrightness(page: Page, ratio: number): Promise<void> {
  const field = page.getByRole('spinbutton', { name: /Amplification/ });
  await field.fill(String(ratio));
  await field.press('Enter');
  await expect(field).toHaveValue(String(ratio));
}

export async function renderFullSize(page: Page): Promise<void> {
  await page.getByRole('button', { name: 'Enhance full size' }).click();
  await expect(page.getByText(/^Full resolution · \d+ × \d+$/)).toBeVisible();
}

export interface Png {
  width: number;
  height: number;
  channels: number;
  data: Uint8Array;
}

export function readPng(path: string): Png {
  const png = decodePng(readFileSync(path));
  expect(png.depth).toBe(8);
  return { width: png.width, height: png.height, channels: png.channels, data: png.data as Uint8Array };
}

export async function savedPng(download: Download): Promise<Png> {
  return readPng((await download.path())!);
}

/** PSNR in dB of two 8-bit images of the same shape (peak 255). */
export function psnr8(a: Png, b: Png): number {
  expect([a.width, a.height, a.channels]).toEqual([b.width, b.height, b.channels]);
  let sum = 0;
  for (let i = 0; i < a.data.length; i++) sum += (a.data[i]! - b.data[i]!) ** 2;
  return 10 * Math.log10((255 * 255) / (sum / a.data.length));
}

/** Every request a page makes, for the privacy checks. */
export function recordRequests(page: Page): string[] {
  const urls: string[] = [];
  page.context().on('request', (request) => urls.push(request.url()));
  return urls;
}
