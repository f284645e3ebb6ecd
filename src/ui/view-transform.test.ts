import { describe, expect, it } from 'vitest';
import { clampTransform, fitTransform, MAX_ZOOM, zoomAt } from './view-transform.ts';

const image = { width: 4000, height: 3000 };
const viewport = { width: 800, height: 800 };

describe('view transform', () => {
  it('fits a landscape image to the width and centres it vertically', () => {
    expect(fitTransform(image, viewport)).toEqual({ scale: 0.2, x: 0, y: 100 });
  });

  it('keeps the point under the cursor fixed when zooming', () => {
    const t = zoomAt(fitTransform(image, viewport), 5, 200, 300);
    // Image point under (200, 300) before: ((200 - 0) / 0.2, (300 - 100) / 0.2) = (1000, 1000).
    expect([(200 - t.x) / t.scale, (300 - t.y) / t.scale]).toEqual([1000, 1000]);
    expect(t.scale).toBeCloseTo(1, 12);
  });

  it('never zooms out past fit nor in past the maximum, and never pans the image off screen', () => {
    expect(clampTransform({ scale: 0.01, x: 5, y: 5 }, image, viewport, 1)).toEqual(fitTransform(image, viewport));
    expect(clampTransform({ scale: 100, x: 0, y: 0 }, image, viewport, 1).scale).toBe(MAX_ZOOM);
    const panned = clampTransform({ scale: 1, x: 500, y: -9999 }, image, viewport, 1);
    expect([panned.x, panned.y]).toEqual([0, 800 - 3000]);
  });

  it('lets an image smaller than the viewport be shown at 100 %', () => {
    const small = { width: 200, height: 100 };
    expect(clampTransform({ scale: 1, x: 0, y: 0 }, small, viewport, 1)).toEqual({ scale: 1, x: 300, y: 350 });
  });
});
