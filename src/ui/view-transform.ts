/**
 * Zoom and pan of an image inside a viewport, as plain numbers (testable without a DOM):
 * screen = offset + image * scale. "Fit" shows the whole image centred; scales are clamped
 * between fit (or 100 % for small images) and MAX_ZOOM times 100 %.
 */
export interface Size {
  width: number;
  height: number;
}

export interface ViewTransform {
  scale: number;
  x: number;
  y: number;
}

export const MAX_ZOOM = 8;

export function fitScale(image: Size, viewport: Size): number {
  return Math.min(viewport.width / image.width, viewport.height / image.height);
}

export function fitTransform(image: Size, viewport: Size): ViewTransform {
  const scale = fitScale(image, viewport);
  return { scale, x: (viewport.width - image.width * scale) / 2, y: (viewport.height - image.height * scale) / 2 };
}

/**
 * Keeps the image covering the viewport where it is larger than it, and centred along an
 * axis where it is smaller.
 */
export function clampTransform(t: ViewTransform, image: Size, viewport: Size, oneToOne: number): ViewTransform {
  const minScale = Math.min(fitScale(image, viewport), oneToOne);
  const scale = Math.min(Math.max(t.scale, minScale), MAX_ZOOM * oneToOne);
  const axis = (offset: number, length: number, room: number) => {
    const size = length * scale;
    return size <= room ? (room - size) / 2 : Math.min(0, Math.max(room - size, offset));
  };
  return { scale, x: axis(t.x, image.width, viewport.width), y: axis(t.y, image.height, viewport.height) };
}

/** Scales by `factor` keeping the image point under (px, py) where it is. */
export function zoomAt(t: ViewTransform, factor: number, px: number, py: number): ViewTransform {
  const scale = t.scale * factor;
  return { scale, x: px - (px - t.x) * factor, y: py - (py - t.y) * factor };
}
