/** DefaultCrop: the part of the active area the camera maker means to be seen. */
import type { Rect } from '../dng/types.ts';

/** The rectangle, rounded to whole pixels and clamped to the image; the whole image if it is empty. */
export function cropRect(crop: Rect, width: number, height: number): Rect {
  const x = Math.min(Math.max(Math.round(crop.x), 0), width - 1);
  const y = Math.min(Math.max(Math.round(crop.y), 0), height - 1);
  const w = Math.min(Math.round(crop.width), width - x);
  const h = Math.min(Math.round(crop.height), height - y);
  return w > 0 && h > 0 ? { x, y, width: w, height: h } : { x: 0, y: 0, width, height };
}
