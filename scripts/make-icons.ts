/**
 * Draws the app icons (a cat's eye with the gold eye-shine the app is named after) with code,
 * anti-aliased from signed distances, and writes them as PNG with fast-png:
 *   public/icons/icon-192.png, icon-512.png      rounded tile, transparent corners ("any")
 *   public/icons/icon-maskable-512.png           full-bleed, eye inside the 80 % safe circle
 *   public/icons/apple-touch-icon.png (180)      full-bleed (iOS rounds it itself)
 *
 *   tsx scripts/make-icons.ts
 */
import { writeFileSync } from 'node:fs';
import { encode } from 'fast-png';

type Rgb = [number, number, number];

const BACKGROUND_TOP: Rgb = [24, 30, 46];
const BACKGROUND_BOTTOM: Rgb = [7, 9, 14];
const GOLD: Rgb = [245, 192, 74];
const GLOW: Rgb = [255, 226, 138];
const IRIS: Rgb = [16, 19, 27];

interface IconStyle {
  /** Eye width as a share of the icon. */
  eyeWidth: number;
  /** Corner radius of the background tile (share of the icon); 0 fills the square. */
  corner: number;
}

/** Signed distance to a rounded square centred at 0.5 (negative inside). */
function roundedSquare(x: number, y: number, radius: number): number {
  const qx = Math.abs(x - 0.5) - (0.5 - radius);
  const qy = Math.abs(y - 0.5) - (0.5 - radius);
  return Math.hypot(Math.max(qx, 0), Math.max(qy, 0)) + Math.min(Math.max(qx, qy), 0) - radius;
}

/** Signed distance to an almond (two intersecting circles) of the given width and height. */
function almond(x: number, y: number, width: number, height: number): number {
  const radius = (height / 2 + (width * width) / (2 * height)) / 2;
  const offset = radius - height / 2;
  const upper = Math.hypot(x - 0.5, y - (0.5 + offset)) - radius;
  const lower = Math.hypot(x - 0.5, y - (0.5 - offset)) - radius;
  return Math.max(upper, lower);
}

/** Approximate signed distance to an axis-aligned ellipse. */
function ellipse(x: number, y: number, rx: number, ry: number): number {
  return (Math.hypot((x - 0.5) / rx, (y - 0.5) / ry) - 1) * Math.min(rx, ry);
}

function mix(a: Rgb, b: Rgb, t: number): Rgb {
  return [a[0] + (b[0] - a[0]) * t, a[1] + (b[1] - a[1]) * t, a[2] + (b[2] - a[2]) * t];
}

/** Coverage of a shape at distance d (in icon units) for a pixel of size `pixel`. */
function coverage(d: number, pixel: number): number {
  return Math.min(Math.max(0.5 - d / pixel, 0), 1);
}

export function drawIcon(size: number, style: IconStyle): Uint8Array {
  const rgba = new Uint8Array(size * size * 4);
  const pixel = 1 / size;
  const eyeW = style.eyeWidth;
  const eyeH = eyeW * 0.56;
  for (let py = 0; py < size; py++) {
    for (let px = 0; px < size; px++) {
      const x = (px + 0.5) / size;
      const y = (py + 0.5) / size;
      let colour = mix(BACKGROUND_TOP, BACKGROUND_BOTTOM, y);
      const glow = Math.exp(-((x - 0.5) ** 2 + (y - 0.5) ** 2) / (2 * (eyeW * 0.42) ** 2));
      colour = mix(colour, GOLD, 0.28 * glow);
      const eye = almond(x, y, eyeW, eyeH);
      colour = mix(colour, IRIS, coverage(eye, pixel));
      colour = mix(colour, GOLD, coverage(Math.abs(eye) - eyeW * 0.028, pixel));
      const pupil = ellipse(x, y, eyeW * 0.085, eyeH * 0.38);
      colour = mix(colour, mix(GOLD, GLOW, Math.max(0, 1 - Math.hypot(x - 0.5, y - 0.5) / (eyeH * 0.38))), coverage(pupil, pixel));
      const alpha = style.corner > 0 ? coverage(roundedSquare(x, y, style.corner), pixel) : 1;
      const i = (py * size + px) * 4;
      rgba[i] = Math.round(colour[0]);
      rgba[i + 1] = Math.round(colour[1]);
      rgba[i + 2] = Math.round(colour[2]);
      rgba[i + 3] = Math.round(alpha * 255);
    }
  }
  return rgba;
}

const ICONS: { file: string; size: number; style: IconStyle }[] = [
  { file: 'icon-192.png', size: 192, style: { eyeWidth: 0.72, corner: 0.22 } },
  { file: 'icon-512.png', size: 512, style: { eyeWidth: 0.72, corner: 0.22 } },
  // Maskable: platforms crop to a circle of 80 % diameter, so the eye stays well inside it.
  { file: 'icon-maskable-512.png', size: 512, style: { eyeWidth: 0.58, corner: 0 } },
  { file: 'apple-touch-icon.png', size: 180, style: { eyeWidth: 0.68, corner: 0 } },
];

if (import.meta.url === `file://${process.argv[1]}`) {
  for (const { file, size, style } of ICONS) {
    writeFileSync(`public/icons/${file}`, encode({ width: size, height: size, data: drawIcon(size, style), channels: 4 }));
    console.log(`public/icons/${file}`);
  }
}
