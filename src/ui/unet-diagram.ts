/**
 * Where each layer of a UNetLayout sits in the explorer's drawing: a U with the contracting
 * path going down on the left, the bottleneck in the middle, the expansive path coming up
 * on the right, and the head and depth-to-space output in a row above.
 */
import type { LayerInfo, UNetLayout } from './unet-layout.ts';

export const NODE = { width: 112, height: 44 };
const GAP = 10;
const STEP = NODE.width + GAP;
const ROW = 84;
const INDENT = 56;
const MARGIN = 24;

export interface PlacedLayer {
  layer: LayerInfo;
  x: number;
  y: number;
}

export interface Edge {
  /** Polyline points: x1,y1 x2,y2 ... */
  points: [number, number][];
  kind: 'flow' | 'skip';
}

export interface Diagram {
  width: number;
  height: number;
  nodes: PlacedLayer[];
  edges: Edge[];
  rows: { level: number; y: number }[];
}

type Box = PlacedLayer;
const right = (b: Box): [number, number] => [b.x + NODE.width, b.y + NODE.height / 2];
const left = (b: Box): [number, number] => [b.x, b.y + NODE.height / 2];
const top = (b: Box): [number, number] => [b.x + NODE.width / 2, b.y];
const bottom = (b: Box): [number, number] => [b.x + NODE.width / 2, b.y + NODE.height];

export function unetDiagram({ layers, skips }: UNetLayout): Diagram {
  const depth = Math.max(...layers.map((l) => l.level)) + 1;
  const groupWidth = 3 * STEP - GAP;
  const innerLeft = MARGIN + (depth - 2) * INDENT + groupWidth;
  const width = 2 * innerLeft + 4 * GAP;
  const rowY = (level: number) => MARGIN + (level + 1) * ROW;
  const byId = new Map<string, Box>();
  const place = (layer: LayerInfo, x: number, y: number) => byId.set(layer.id, { layer, x, y });

  const level = (l: number) => layers.filter((layer) => layer.level === l);
  for (let l = 0; l < depth; l++) {
    const down = level(l).filter((layer) => layer.path === 'contracting');
    const up = level(l).filter((layer) => layer.path === 'expansive');
    const bottleneck = l === depth - 1;
    const downX = bottleneck ? (width - groupWidth) / 2 : MARGIN + l * INDENT;
    down.forEach((layer, i) => place(layer, downX + i * STEP, rowY(l)));
    const upX = width - MARGIN - l * INDENT - groupWidth;
    up.forEach((layer, i) => place(layer, upX + i * STEP, rowY(l)));
  }
  const lastUp = [...byId.values()].filter((b) => b.layer.path === 'expansive' && b.layer.level === 0).pop()!;
  const head = layers.find((l) => l.kind === 'head')!;
  const output = layers.find((l) => l.kind === 'output')!;
  place(head, lastUp.x, rowY(-1));
  place(output, lastUp.x - STEP, rowY(-1));

  const edges: Edge[] = [];
  const flow = (from: Box, to: Box) => {
    const points: [number, number][] =
      from.y === to.y ? [from.x < to.x ? right(from) : left(from), from.x < to.x ? left(to) : right(to)] : from.y < to.y ? [bottom(from), top(to)] : [top(from), bottom(to)];
    edges.push({ kind: 'flow', points });
  };
  const ordered = layers.map((l) => byId.get(l.id)!);
  for (let i = 1; i < ordered.length; i++) flow(ordered[i - 1]!, ordered[i]!);
  for (const skip of skips) {
    const from = byId.get(skip.from)!;
    const to = byId.get(skip.to)!;
    const lift = from.y - 14;
    edges.push({ kind: 'skip', points: [top(from), [top(from)[0], lift], [top(to)[0], lift], top(to)] });
  }
  const rows = Array.from({ length: depth }, (_, l) => ({ level: l, y: rowY(l) }));
  return { width, height: rowY(depth - 1) + NODE.height + MARGIN, nodes: [...byId.values()], edges, rows };
}
