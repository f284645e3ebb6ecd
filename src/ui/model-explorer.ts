/**
 * The loaded U-Net drawn as a U from model.json's architecture: every layer with its output
 * shape for the chosen tile, the contracting and expansive paths, the skip connections and the
 * final depth-to-space. Selecting a layer shows what it computes and, where the worker can,
 * a few of its feature maps for the current photo.
 */
import { LitElement, css, html, nothing, svg } from 'lit';
import type { UNetArchitecture } from '../pipeline/model/manifest.ts';
import { colourize, type FeatureMapLoader, type FeatureMapsResult } from './feature-maps.ts';
import { formatDuration } from './format.ts';
import { toImageData } from './image-data.ts';
import { base } from './theme.ts';
import { NODE, unetDiagram, type PlacedLayer } from './unet-diagram.ts';
import { unetLayout, type LayerInfo } from './unet-layout.ts';

const TILE_SIZES = [64, 128, 256, 512];

const SHORT_NAMES: Record<LayerInfo['kind'], (id: string) => string> = {
  input: () => 'input',
  conv: (id) => id.replace(/^(down|up)\/(\d+)\//, '$1 $2 · '),
  pool: () => 'max-pool',
  upsample: (id) => `upsample ${id.split('/')[1]}`,
  head: () => 'head 1×1',
  output: () => 'depth→space',
};

export class ModelExplorer extends LitElement {
  static override properties = {
    architecture: { attribute: false },
    tier: {},
    tileSize: { type: Number },
    engineTile: { type: Number },
    loadFeatureMaps: { attribute: false },
    selected: { state: true },
    maps: { state: true },
    mapsState: { state: true },
  };
  declare architecture: UNetArchitecture | undefined;
  declare tier: string;
  declare tileSize: number;
  /** The tile the engine uses by default here, offered alongside the fixed sizes. */
  declare engineTile: number | undefined;
  declare loadFeatureMaps: FeatureMapLoader | undefined;
  declare selected: LayerInfo | undefined;
  declare maps: FeatureMapsResult | undefined;
  declare mapsState: string;

  constructor() {
    super();
    this.tier = '';
    this.tileSize = 256;
    this.mapsState = '';
  }

  static override styles = [
    base,
    css`
      :host {
        display: block;
      }
      .toolbar {
        display: flex;
        flex-wrap: wrap;
        align-items: center;
        gap: 0.5rem 1rem;
        margin-bottom: 0.75rem;
      }
      select {
        min-height: 44px;
        padding: 0 0.75rem;
        border-radius: 10px;
        border: 1px solid var(--line);
        background: var(--surface-2);
        color: var(--text);
        font: inherit;
      }
      .scroll {
        overflow-x: auto;
        border-radius: 14px;
        background: var(--surface-sunken);
        border: 1px solid var(--line);
      }
      svg.diagram {
        display: block;
        width: 100%;
        min-width: 980px;
        height: auto;
        font-family: inherit;
      }
      .node rect {
        stroke-width: 1.5;
        rx: 9;
      }
      .node {
        cursor: pointer;
      }
      .node:focus {
        outline: none;
      }
      .node:focus-visible rect,
      .node.selected rect {
        stroke: var(--focus);
        stroke-width: 3;
      }
      .node text {
        fill: var(--text);
        font-size: 12px;
        text-anchor: middle;
        pointer-events: none;
      }
      .node text.shape {
        fill: var(--text-2);
        font-size: 11px;
        font-variant-numeric: tabular-nums;
      }
      .contracting rect {
        fill: #18233d;
        stroke: #5b8cff;
      }
      .expansive rect {
        fill: #2b2414;
        stroke: #f5c04a;
      }
      .pool rect {
        fill: #25193a;
        stroke: #a57cff;
      }
      .upsample rect {
        fill: #10302d;
        stroke: #3fd0b5;
      }
      .output rect,
      .head rect,
      .input rect {
        fill: #2c1d12;
        stroke: #ff9a4d;
      }
      .edge {
        fill: none;
        stroke: #6c7590;
        stroke-width: 1.5;
      }
      .edge.skip {
        stroke: #f5c04a;
        stroke-dasharray: 5 4;
        opacity: 0.8;
      }
      .row-label {
        fill: var(--text-2);
        font-size: 11px;
      }
      .legend {
        display: flex;
        flex-wrap: wrap;
        gap: 0.4rem 1rem;
        margin-top: 0.6rem;
        font-size: 0.8125rem;
        color: var(--text-2);
      }
      .swatch {
        display: inline-block;
        width: 12px;
        height: 12px;
        border-radius: 3px;
        margin-right: 0.35rem;
        vertical-align: -1px;
      }
      .detail {
        margin-top: 1rem;
      }
      .detail h3 {
        font-size: 1rem;
      }
      .maps {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(120px, 1fr));
        gap: 0.5rem;
        margin-top: 0.75rem;
      }
      figure {
        margin: 0;
      }
      figure canvas {
        width: 100%;
        aspect-ratio: 1;
        border-radius: 8px;
        image-rendering: pixelated;
        background: #000;
      }
      figcaption {
        font-size: 0.75rem;
        color: var(--text-2);
        font-variant-numeric: tabular-nums;
      }
    `,
  ];

  private async select(layer: LayerInfo): Promise<void> {
    this.selected = layer;
    this.maps = undefined;
    if (!this.loadFeatureMaps) {
      this.mapsState = 'Feature maps need a photo and a worker that can compute them; this build draws the network only.';
      return;
    }
    this.mapsState = 'Computing feature maps…';
    try {
      const result = await this.loadFeatureMaps(layer.id, Math.min(this.tileSize, 128));
      if (this.selected !== layer) return;
      this.maps = result;
      this.mapsState = `${result.maps.length} of ${result.shape[2]} channels on a ${result.tileSize}-pixel tile, ${formatDuration(result.ms)}`;
    } catch (error) {
      if (this.selected === layer) this.mapsState = `Feature maps are unavailable: ${(error as { message?: string }).message ?? String(error)}`;
    }
  }

  protected override updated(): void {
    this.renderRoot.querySelectorAll<HTMLCanvasElement>('figure canvas').forEach((canvas, i) => {
      const map = this.maps?.maps[i];
      if (!map || canvas.dataset.drawn === `${map.channel}-${this.maps!.layer}`) return;
      canvas.dataset.drawn = `${map.channel}-${this.maps!.layer}`;
      canvas.width = map.width;
      canvas.height = map.height;
      canvas.getContext('2d')!.putImageData(toImageData({ pixels: colourize(Uint8ClampedArray.from(map.pixels)), width: map.width, height: map.height }), 0, 0);
    });
  }

  private node({ layer, x, y }: PlacedLayer) {
    const [h, w, c] = layer.shape;
    const label = `${layer.id}: ${layer.operation}; output ${h} by ${w} by ${c}`;
    const activate = (e: KeyboardEvent) => {
      if (e.key === 'Enter' || e.key === ' ') {
        e.preventDefault();
        void this.select(layer);
      }
    };
    return svg`<g class="node ${layer.kind === 'conv' ? layer.path : layer.kind} ${this.selected?.id === layer.id ? 'selected' : ''}" transform="translate(${x} ${y})"
        tabindex="0" role="button" aria-label=${label} @click=${() => this.select(layer)} @keydown=${activate}>
      <title>${layer.operation}</title>
      <rect width=${NODE.width} height=${NODE.height}></rect>
      <text x=${NODE.width / 2} y="18">${SHORT_NAMES[layer.kind](layer.id)}</text>
      <text class="shape" x=${NODE.width / 2} y="34">${h}×${w}×${c}</text>
    </g>`;
  }

  override render() {
    if (!this.architecture) return html`<p class="muted">Loading the model description…</p>`;
    const layout = unetLayout(this.architecture, this.tileSize);
    const diagram = unetDiagram(layout);
    const selected = this.selected && layout.layers.find((l) => l.id === this.selected!.id);
    return html`
      <div class="toolbar">
        <label>Tile <select aria-label="Tile size in packed pixels" @change=${(e: Event) => (this.tileSize = Number((e.target as HTMLSelectElement).value))}>
          ${[...new Set([...TILE_SIZES, this.tileSize])]
            .sort((a, b) => a - b)
            .map((t) => html`<option value=${t} ?selected=${t === this.tileSize}>${t} × ${t} packed px${t === this.engineTile ? ' (engine default)' : ''}</option>`)}
        </select></label>
        <span class="muted">${this.tier} model · ${layout.layers.length} layers · select a layer to inspect it</span>
      </div>
      <div class="scroll">
        <svg class="diagram" viewBox="0 0 ${diagram.width} ${diagram.height}" role="group" aria-label="U-Net diagram">
          <defs>
            <marker id="arrow" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7" markerHeight="7" orient="auto-start-reverse">
              <path d="M0 0 8 4 0 8z" fill="#6c7590"></path>
            </marker>
          </defs>
          ${diagram.rows.map((row) => svg`<text class="row-label" x="6" y=${row.y - 6}>level ${row.level} · ${this.tileSize / 2 ** row.level} px</text>`)}
          ${diagram.edges.map((edge) => svg`<polyline class="edge ${edge.kind}" points=${edge.points.map((p) => p.join(',')).join(' ')} marker-end="url(#arrow)"></polyline>`)}
          ${diagram.nodes.map((n) => this.node(n))}
        </svg>
      </div>
      <div class="legend" aria-hidden="true">
        <span><span class="swatch" style="background:#5b8cff"></span>contracting path</span>
        <span><span class="swatch" style="background:#a57cff"></span>max-pool</span>
        <span><span class="swatch" style="background:#3fd0b5"></span>upsampling (1×1 conv + depth-to-space)</span>
        <span><span class="swatch" style="background:#f5c04a"></span>expansive path, - - skip connection</span>
        <span><span class="swatch" style="background:#ff9a4d"></span>input and output</span>
      </div>
      ${selected
        ? html`<section class="detail" aria-live="polite">
            <h3>${selected.id}</h3>
            <p>${selected.operation} → ${selected.shape.join(' × ')}</p>
            <p class="muted">${this.mapsState}</p>
            ${this.maps
              ? html`<div class="maps">
                  ${this.maps.maps.map((m) => html`<figure><canvas aria-label="channel ${m.channel}"></canvas><figcaption>ch ${m.channel} · ${m.min.toFixed(2)}…${m.max.toFixed(2)}</figcaption></figure>`)}
                </div>`
              : nothing}
          </section>`
        : nothing}
    `;
  }
}
customElements.define('tp-model-explorer', ModelExplorer);
