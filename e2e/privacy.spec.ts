/**
 * Privacy and hardening: a whole session (open, enhance, save, diagnostics) sends no request
 * off the app's origin, and the Content-Security-Policy has no 'unsafe-eval' and is never
 * violated.
 */
import { expect, test } from '@playwright/test';
import { openSample, recordRequests, renderFullSize } from './app-helpers.ts';

test('no request leaves the origin and the CSP holds without unsafe-eval', async ({ page, baseURL }) => {
  const requests = recordRequests(page);
  await page.addInitScript(() => {
    const seen: string[] = [];
    (window as unknown as { cspViolations: string[] }).cspViolations = seen;
    document.addEventListener('securitypolicyviolation', (e) => seen.push(`${e.violatedDirective} ${e.blockedURI}`));
  });
  const response = await page.goto('/');
  const header = response!.headers()['content-security-policy'];
  const meta = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  for (const policy of [header, meta]) {
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toMatch(/'unsafe-eval'/);
  }

  await openSample(page);
  await renderFullSize(page);
  await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: /Save JPEG/ }).click()]);
  await page.getByRole('link', { name: 'Diagnostics' }).click();
  await expect(page.locator('.cap').first()).toBeVisible();

  expect(await page.evaluate(() => (window as unknown as { cspViolations: string[] }).cspViolations)).toEqual([]);
  const origin = new URL(baseURL!).origin;
  expect(requests.length).toBeGreaterThan(5);
  expect(requests.filter((url) => !url.startsWith(`${origin}/`) && !url.startsWith('blob:') && !url.startsWith('data:'))).toEqual([]);
});
