/**
 * The WebGPU path once, in SwiftShader's software adapter (correct but slow, so the quick
 * preview of the sample): it must give the WASM picture within rounding.
 */
import { expect, test, type Page } from '@playwright/test';
import { openSample, screenshot, waitForPreview } from './app-helpers.ts';

async function afterPixels(page: Page): Promise<number[]> {
  return page.locator('tp-compare canvas.after').evaluate((canvas: HTMLCanvasElement) => {
    const { width, height } = canvas;
    return Array.from(canvas.getContext('2d')!.getImageData(0, 0, width, height).data);
  });
}

/** Forces WebGPU in the processing settings and waits (up to `timeout` ms) for the preview it renders. */
async function runOnWebGpu(page: Page, timeout: number): Promise<number[]> {
  await page.getByRole('combobox', { name: 'Runs on' }).selectOption({ label: 'WebGPU (graphics card)' });
  await expect(page.locator('tp-metadata dd').filter({ hasText: /^WebGPU$/ })).toBeVisible({ timeout });
  await waitForPreview(page);
  return afterPixels(page);
}

// Both tiers: the quality tier's mirrored passes (self-ensemble.ts) run tf ops of their own.
for (const model of ['fast', 'quality'] as const) {
  test(`WebGPU renders the same picture as WebAssembly (${model} tier)`, async ({ page }) => {
    // Four network runs per window on a software GPU: minutes for the quality tier's preview.
    const gpuTimeout = model === 'quality' ? 420_000 : 60_000;
    test.setTimeout(gpuTimeout + 180_000);
    // The same model on both, starting on WASM (the automatic choice would take WebGPU here).
    await page.addInitScript((tier) => localStorage.setItem('tapetum-processing', JSON.stringify({ backend: 'wasm', model: tier })), model);
    await page.goto('/');
    const webgpu = await page.evaluate(async () => Boolean(await (navigator as Navigator & { gpu?: { requestAdapter(): Promise<unknown> } }).gpu?.requestAdapter()));
    test.skip(!webgpu, 'this Chromium has no WebGPU adapter');
    await openSample(page);
    await expect(page.locator('tp-metadata dd').filter({ hasText: /^WebAssembly$/ })).toBeVisible();
    const wasm = await afterPixels(page);
    const gpu = await runOnWebGpu(page, gpuTimeout);
    await screenshot(page, `webgpu-preview-${model}`);
    expect(gpu.length).toBe(wasm.length);
    let max = 0;
    let sum = 0;
    for (let i = 0; i < gpu.length; i++) {
      const d = Math.abs(gpu[i]! - wasm[i]!);
      max = Math.max(max, d);
      sum += d;
    }
    console.log(`${model} tier, WebGPU vs WASM preview: max ${max}, mean ${(sum / gpu.length).toFixed(3)} codes`);
    expect(max).toBeLessThanOrEqual(2);
  });
}
