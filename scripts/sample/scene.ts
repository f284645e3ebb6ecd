/**
 * The synthetic night scene behind public/sample-dark.dng, in linear sRGB (0 black, 1 white):
 * a lamp glowing on a dark sky, a title and small text, a ColorChecker chart on a black card,
 * a Siemens star, line-pair bars down to 3-pixel periods and a zone plate reaching Nyquist,
 * so denoising, colour and fine detail can all be judged on one frame.
 */
import { srgbToLinear } from '../../src/pipeline/metrics/transfer.ts';
import { textInk } from './font.ts';

export const SCENE_WIDTH = 1200;
export const SCENE_HEIGHT = 800;

type Rgb = [number, number, number];

/** ColorChecker Classic patches, sRGB 8-bit as published by X-Rite, row by row. */
export const COLOR_CHECKER_SRGB: readonly Rgb[] = [
  [115, 82, 68], [194, 150, 130], [98, 122, 157], [87, 108, 67], [133, 128, 177], [103, 189, 170],
  [214, 126, 44], [80, 91, 166], [193, 90, 99], [94, 60, 108], [157, 188, 64], [224, 163, 46],
  [56, 61, 150], [70, 148, 73], [175, 54, 60], [231, 199, 31], [187, 86, 149], [8, 133, 161],
  [243, 243, 242], [200, 200, 200], [160, 160, 160], [122, 122, 121], [85, 85, 85], [52, 52, 52],
];

/** Where the chart lies: 6 x 4 patches of PATCH pixels with GAP between them. */
export const CHART = { x: 48, y: 268, patch: 64, gap: 6, columns: 6 } as const;

const CHECKER_LINEAR: Rgb[] = COLOR_CHECKER_SRGB.map((c) => c.map((v) => srgbToLinear(v / 255)) as Rgb);

interface TextLine {
  text: string;
  x: number;
  y: number;
  /** Pixels per font cell. */
  scale: number;
  colour: Rgb;
}

const TEXT: TextLine[] = [
  { text: 'TAPETUM', x: 48, y: 48, scale: 11, colour: [0.85, 0.8, 0.7] },
  { text: 'SEE IN THE DARK', x: 50, y: 140, scale: 4, colour: [0.45, 0.52, 0.66] },
  { text: 'THE QUICK BROWN FOX JUMPS OVER THE LAZY DOG 0123456789', x: 50, y: 186, scale: 2, colour: [0.6, 0.6, 0.6] },
  { text: 'ISO 25600 - 1/30 S - F2.8 - SYNTHETIC DNG SAMPLE', x: 50, y: 210, scale: 1.5, colour: [0.5, 0.5, 0.5] },
];

const LAMP = { x: 1080, y: 90, core: 22, glow: 170 };
const STAR = { x: 780, y: 400, radius: 180, spokes: 48 };
const ZONE = { x: 1060, y: 620, radius: 110 };
/** Line-pair bars: periods in pixels, in groups GROUP wide, vertical bars above horizontal ones. */
const BARS = { x: 40, y: 600, periods: [12, 8, 6, 5, 4, 3], group: 80, gap: 16, rowHeight: 78 };

function background(x: number, y: number): Rgb {
  const t = y / SCENE_HEIGHT;
  const dx = x - LAMP.x;
  const dy = y - LAMP.y;
  const glow = 0.3 * Math.exp(-(dx * dx + dy * dy) / (2 * LAMP.glow * LAMP.glow));
  return [0.01 + 0.02 * t + glow, 0.014 + 0.012 * t + 0.62 * glow, 0.035 - 0.013 * t + 0.3 * glow];
}

function lamp(x: number, y: number): Rgb | undefined {
  return Math.hypot(x - LAMP.x, y - LAMP.y) <= LAMP.core ? [0.98, 0.9, 0.75] : undefined;
}

function text(x: number, y: number): Rgb | undefined {
  for (const line of TEXT) {
    if (textInk(line.text, (x - line.x) / line.scale, (y - line.y) / line.scale)) return line.colour;
  }
  return undefined;
}

function chart(x: number, y: number): Rgb | undefined {
  const rows = COLOR_CHECKER_SRGB.length / CHART.columns;
  const pitch = CHART.patch + CHART.gap;
  const left = CHART.x - 8;
  const top = CHART.y - 8;
  if (x < left || y < top || x >= CHART.x + CHART.columns * pitch + 2 || y >= CHART.y + rows * pitch + 2) return undefined;
  const column = Math.floor((x - CHART.x) / pitch);
  const row = Math.floor((y - CHART.y) / pitch);
  const inPatch = column >= 0 && row >= 0 && column < CHART.columns && row < rows && (x - CHART.x) % pitch < CHART.patch && (y - CHART.y) % pitch < CHART.patch;
  return inPatch ? CHECKER_LINEAR[row * CHART.columns + column] : [0.02, 0.02, 0.02];
}

function siemensStar(x: number, y: number): Rgb | undefined {
  const r = Math.hypot(x - STAR.x, y - STAR.y);
  if (r > STAR.radius) return undefined;
  if (r > STAR.radius - 4) return [0.5, 0.5, 0.5];
  const angle = Math.atan2(y - STAR.y, x - STAR.x);
  const level = Math.sin((angle * STAR.spokes) / 2) > 0 ? 0.75 : 0.03;
  return [level, level, level];
}

function zonePlate(x: number, y: number): Rgb | undefined {
  const r2 = (x - ZONE.x) ** 2 + (y - ZONE.y) ** 2;
  if (r2 > ZONE.radius * ZONE.radius) return undefined;
  // Local frequency k r / pi cycles per pixel: 0.5 (Nyquist) at the rim.
  const k = (0.5 * Math.PI) / ZONE.radius;
  const level = 0.03 + 0.57 * (0.5 + 0.5 * Math.cos(k * r2));
  return [level, level * 0.95, level * 0.85];
}

function bars(x: number, y: number): Rgb | undefined {
  const group = Math.floor((x - BARS.x) / (BARS.group + BARS.gap));
  const inGroup = (x - BARS.x) % (BARS.group + BARS.gap);
  const row = Math.floor((y - BARS.y) / BARS.rowHeight);
  const inRow = (y - BARS.y) % BARS.rowHeight;
  if (x < BARS.x || y < BARS.y || group >= BARS.periods.length || row > 1 || inGroup >= BARS.group || inRow >= BARS.rowHeight - 8) return undefined;
  const period = BARS.periods[group]!;
  const along = row === 0 ? inGroup : inRow;
  const level = along % period < period / 2 ? 0.7 : 0.04;
  return [level, level, level * 0.9];
}

/** Linear sRGB of the scene at a point (pixel units, continuous). */
export function sceneAt(x: number, y: number): Rgb {
  return lamp(x, y) ?? text(x, y) ?? chart(x, y) ?? siemensStar(x, y) ?? zonePlate(x, y) ?? bars(x, y) ?? background(x, y);
}

/** The scene rendered with `samples` x `samples` supersampling (the lens's low-pass), interleaved RGB. */
export function renderScene(samples: number): Float32Array {
  const out = new Float32Array(SCENE_WIDTH * SCENE_HEIGHT * 3);
  const weight = 1 / (samples * samples);
  for (let y = 0; y < SCENE_HEIGHT; y++) {
    for (let x = 0; x < SCENE_WIDTH; x++) {
      const i = (y * SCENE_WIDTH + x) * 3;
      for (let sy = 0; sy < samples; sy++) {
        for (let sx = 0; sx < samples; sx++) {
          const [r, g, b] = sceneAt(x + (sx + 0.5) / samples, y + (sy + 0.5) / samples);
          out[i] += r * weight;
          out[i + 1] += g * weight;
          out[i + 2] += b * weight;
        }
      }
    }
  }
  return out;
}
