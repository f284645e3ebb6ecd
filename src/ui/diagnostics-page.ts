/**
 * Diagnostics: what this browser and device offer (WebGPU adapter and limits, WASM SIMD and
 * threads, cross-origin isolation, cores, memory), a benchmark of the U-Net on its parity
 * input on every available backend (each checked against the PyTorch reference), results as
 * a table, a bar chart and JSON, and the model explorer.
 */
import { LitElement, css, html, nothing } from 'lit';
import { parseManifest, type ModelManifest } from '../pipeline/model/manifest.ts';
import type { BackendName, Capabilities, ModelTier, TapetumWorkerApi } from '../worker/api.ts';
import { defaultTileSize } from '../worker/backend-choice.ts';
import './bar-chart.ts';
import './error-message.ts';
import type { FeatureMapLoader } from './feature-maps.ts';
import { formatDuration } from './format.ts';
import { icon } from './icons.ts';
import './model-explorer.ts';
import { errorInfo } from './session.ts';
import { base } from './theme.ts';

export type DiagnosticsApi = Pick<TapetumWorkerApi, 'capabilities' | 'benchmark'>;

export interface BenchmarkRow {
  backend: BackendName;
  model: ModelTier;
  state: 'waiting' | 'running' | 'done' | 'failed';
  tileSize?: number;
  msPerTile?: number;
  megapixelsPerSecond?: number;
  maxError?: number;
  ok?: boolean;
  error?: string;
}

const BACKEND_LABELS: Record<BackendName, string> = { webgpu: 'WebGPU', wasm: 'WebAssembly', cpu: 'CPU (JavaScript)' };

export class DiagnosticsPage extends LitElement {
  static override properties = {
    api: { attribute: false },
    loadFeatureMaps: { attribute: false },
    capabilities: { state: true },
    capabilityError: { state: true },
    rows: { state: true },
    tier: { state: true },
    manifest: { state: true },
    copyStatus: { state: true },
  };
  declare api: DiagnosticsApi;
  declare loadFeatureMaps: FeatureMapLoader | undefined;
  declare capabilities: Capabilities | undefined;
  declare capabilityError: string | undefined;
  declare rows: BenchmarkRow[];
  declare tier: ModelTier;
  declare manifest: ModelManifest | undefined;
  declare copyStatus: string;

  constructor() {
    super();
    this.rows = [];
    this.tier = 'fast';
    this.copyStatus = '';
  }

  static override styles = [
    base,
    css`
      :host {
        display: block;
        max-width: 1100px;
        margin: 0 auto;
      }
      section {
        margin-bottom: 1rem;
      }
      h2 {
        font-size: 1.5rem;
        margin-bottom: 0.25rem;
      }
      h3 {
        font-size: 1.0625rem;
        margin-bottom: 0.75rem;
      }
      .intro {
        margin-bottom: 1rem;
      }
      .caps {
        display: grid;
        grid-template-columns: repeat(auto-fill, minmax(210px, 1fr));
        gap: 0.5rem;
      }
      .cap {
        padding: 0.75rem;
        border-radius: 12px;
        background: var(--surface-2);
      }
      .cap dt {
        font-size: 0.8125rem;
        color: var(--text-2);
      }
      .cap dd {
        margin: 0.2rem 0 0;
        font-weight: 600;
        overflow-wrap: anywhere;
      }
      .yes {
        color: var(--ok);
      }
      .no {
        color: var(--text-2);
      }
      details {
        margin-top: 0.75rem;
      }
      summary {
        cursor: pointer;
        min-height: 44px;
        display: flex;
        align-items: center;
      }
      .limits {
        columns: 2 240px;
        font-size: 0.8125rem;
        font-variant-numeric: tabular-nums;
      }
      .limits div {
        display: flex;
        justify-content: space-between;
        gap: 1rem;
        break-inside: avoid;
        border-bottom: 1px solid var(--line);
        padding: 2px 0;
      }
      .controls {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        align-items: center;
        margin-bottom: 0.75rem;
      }
      select {
        min-height: 48px;
        padding: 0 0.75rem;
        border-radius: 12px;
        border: 1px solid var(--line);
        background: var(--surface-2);
        color: var(--text);
        font: inherit;
      }
      .table-wrap {
        overflow-x: auto;
      }
      table {
        width: 100%;
        border-collapse: collapse;
        font-variant-numeric: tabular-nums;
        font-size: 0.9375rem;
      }
      th,
      td {
        text-align: right;
        padding: 0.55rem 0.6rem;
        border-bottom: 1px solid var(--line);
        white-space: nowrap;
      }
      th:first-child,
      td:first-child {
        text-align: left;
      }
      th {
        color: var(--text-2);
        font-weight: 500;
        font-size: 0.8125rem;
      }
      .pass {
        color: var(--ok);
        font-weight: 600;
      }
      .fail {
        color: var(--danger);
        font-weight: 600;
      }
      tp-bar-chart {
        margin-top: 1rem;
      }
      .status {
        font-size: 0.875rem;
        color: var(--text-2);
      }
      textarea {
        width: 100%;
        min-height: 8rem;
        margin-top: 0.5rem;
        background: var(--surface-sunken);
        color: var(--text);
        border: 1px solid var(--line);
        border-radius: 10px;
        font: 12px ui-monospace, monospace;
      }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    void this.loadCapabilities();
    void this.loadManifest();
  }

  private async loadCapabilities(): Promise<void> {
    try {
      this.capabilities = await this.api.capabilities();
      this.rows = this.capabilities.backends.filter((b) => b.available).map((b) => ({ backend: b.name, model: this.tier, state: 'waiting' }));
    } catch (error) {
      this.capabilityError = errorInfo(error).message;
    }
  }

  private async loadManifest(): Promise<void> {
    try {
      const response = await fetch(`${import.meta.env.BASE_URL}model/${this.tier}/model.json`);
      this.manifest = parseManifest(new Uint8Array(await response.arrayBuffer()));
    } catch {
      this.manifest = undefined;
    }
  }

  private setTier(tier: ModelTier): void {
    this.tier = tier;
    this.rows = this.rows.map((row) => ({ backend: row.backend, model: tier, state: 'waiting' }));
    void this.loadManifest();
  }

  private get running(): boolean {
    return this.rows.some((row) => row.state === 'running');
  }

  /** Runs the benchmark on each available backend in turn, updating its row as it finishes. */
  async runBenchmark(): Promise<void> {
    for (let i = 0; i < this.rows.length; i++) {
      const row = this.rows[i]!;
      this.patch(i, { state: 'running', error: undefined });
      try {
        const result = await this.api.benchmark(row.backend, row.model);
        this.patch(i, { state: 'done', ...result });
      } catch (error) {
        this.patch(i, { state: 'failed', error: errorInfo(error).message });
      }
    }
  }

  private patch(index: number, change: Partial<BenchmarkRow>): void {
    this.rows = this.rows.map((row, i) => (i === index ? { ...row, ...change } : row));
  }

  private report(): string {
    return JSON.stringify(
      {
        app: 'Tapetum',
        date: new Date().toISOString(),
        userAgent: navigator.userAgent,
        capabilities: this.capabilities,
        benchmark: this.rows.filter((row) => row.state === 'done' || row.state === 'failed'),
      },
      null,
      2,
    );
  }

  private async copy(): Promise<void> {
    try {
      await navigator.clipboard.writeText(this.report());
      this.copyStatus = 'Copied the results as JSON.';
    } catch {
      this.copyStatus = 'The clipboard is not available here: select the JSON below and copy it.';
    }
  }

  private capability(term: string, value: unknown) {
    const text = typeof value === 'boolean' ? (value ? 'Yes' : 'No') : value === undefined ? 'Not reported' : String(value);
    const tone = typeof value === 'boolean' ? (value ? 'yes' : 'no') : '';
    return html`<div class="cap"><dt>${term}</dt><dd class=${tone}>${text}</dd></div>`;
  }

  private capabilitiesSection() {
    const caps = this.capabilities;
    if (this.capabilityError) return html`<tp-error .error=${{ code: 'internal', message: this.capabilityError }}></tp-error>`;
    if (!caps) return html`<p class="status" role="status">Checking this browser…</p>`;
    const adapter = caps.webgpuAdapter;
    return html`
      <dl class="caps">
        ${caps.backends.map((b) => this.capability(BACKEND_LABELS[b.name], b.available ? `Available · ${b.detail}` : `Unavailable · ${b.detail}`))}
        ${this.capability('WASM SIMD', caps.wasmSimd)} ${this.capability('WASM threads', caps.wasmThreads)}
        ${this.capability('Cross-origin isolated', caps.crossOriginIsolated)} ${this.capability('CPU cores', caps.cores)}
        ${this.capability('Device memory', caps.deviceMemoryGiB !== undefined ? `${caps.deviceMemoryGiB} GiB` : undefined)}
        ${this.capability('WebGPU adapter', adapter ? [adapter.vendor, adapter.architecture, adapter.description].filter(Boolean).join(' · ') || 'unnamed' : 'None')}
      </dl>
      ${adapter
        ? html`<details>
            <summary>WebGPU limits (${Object.keys(adapter.limits).length})</summary>
            <div class="limits">${Object.entries(adapter.limits).map(([k, v]) => html`<div><span>${k}</span><span>${v}</span></div>`)}</div>
          </details>`
        : nothing}
    `;
  }

  private benchmarkSection() {
    const finished = this.rows.filter((row) => row.state === 'done');
    return html`
      <div class="controls">
        <button class="primary" ?disabled=${this.running || this.rows.length === 0} @click=${() => this.runBenchmark()}>${icon('gauge')} Run benchmark</button>
        <select aria-label="Model" ?disabled=${this.running} @change=${(e: Event) => this.setTier((e.target as HTMLSelectElement).value as ModelTier)}>
          <option value="fast" ?selected=${this.tier === 'fast'}>Fast model</option>
          <option value="quality" ?selected=${this.tier === 'quality'}>Quality model</option>
        </select>
        <button ?disabled=${finished.length === 0} @click=${() => this.copy()}>${icon('copy')} Copy results as JSON</button>
        <span class="status" role="status">${this.copyStatus}</span>
      </div>
      <div class="table-wrap">
        <table>
          <caption class="visually-hidden">Benchmark results per backend</caption>
          <thead>
            <tr><th scope="col">Backend</th><th scope="col">Tile</th><th scope="col">ms per tile</th><th scope="col">MP/s</th><th scope="col">Max error</th><th scope="col">Check</th></tr>
          </thead>
          <tbody>
            ${this.rows.map(
              (row) => html`<tr data-backend=${row.backend} data-state=${row.state}>
                <th scope="row" style="text-align:left">${BACKEND_LABELS[row.backend]}</th>
                <td>${row.tileSize ? `${row.tileSize}²` : '—'}</td>
                <td>${row.msPerTile !== undefined ? formatDuration(row.msPerTile) : row.state === 'running' ? 'running…' : '—'}</td>
                <td>${row.megapixelsPerSecond !== undefined ? row.megapixelsPerSecond.toFixed(2) : '—'}</td>
                <td>${row.maxError !== undefined ? row.maxError.toExponential(1) : '—'}</td>
                <td>${row.state === 'failed' ? html`<span class="fail" title=${row.error ?? ''}>Failed</span>` : row.ok === undefined ? '—' : row.ok ? html`<span class="pass">✓ matches</span>` : html`<span class="fail">✗ differs</span>`}</td>
              </tr>`,
            )}
          </tbody>
        </table>
      </div>
      ${this.rows.filter((r) => r.error).map((r) => html`<p class="status">${BACKEND_LABELS[r.backend]}: ${r.error}</p>`)}
      ${finished.length > 0
        ? html`<tp-bar-chart unit="MP/s" .bars=${finished.map((r) => ({ label: BACKEND_LABELS[r.backend], value: r.megapixelsPerSecond ?? 0, bad: r.ok === false }))}></tp-bar-chart>`
        : nothing}
      ${this.copyStatus.startsWith('The clipboard') ? html`<textarea readonly aria-label="Results as JSON" .value=${this.report()}></textarea>` : nothing}
    `;
  }

  override render() {
    const architecture = this.manifest?.architecture;
    // The engine's window budget as a square tile on the network's pooling grid.
    const budgetSide = architecture && defaultTileSize('wasm', architecture, { deviceMemoryGiB: this.capabilities?.deviceMemoryGiB });
    const engineTile = architecture && budgetSide && budgetSide - (budgetSide % architecture.sizeMultiple);
    return html`
      <section class="intro">
        <h2>Diagnostics</h2>
        <p class="muted">How Tapetum runs in this browser. Nothing here is sent anywhere.</p>
      </section>
      <section class="card" aria-labelledby="caps-title">
        <h3 id="caps-title">This device</h3>
        ${this.capabilitiesSection()}
      </section>
      <section class="card" aria-labelledby="bench-title">
        <h3 id="bench-title">Benchmark</h3>
        <p class="muted" style="margin-bottom:0.75rem">Runs the U-Net on its reference input on each backend, checks the result against PyTorch’s, and times one tile.</p>
        ${this.benchmarkSection()}
      </section>
      <section class="card" aria-labelledby="explorer-title">
        <h3 id="explorer-title">Inside the model</h3>
        <tp-model-explorer
          .architecture=${architecture}
          .tier=${this.tier === 'fast' ? 'Fast' : 'Quality'}
          .tileSize=${engineTile ?? 256}
          .engineTile=${engineTile}
          .loadFeatureMaps=${this.loadFeatureMaps}
        ></tp-model-explorer>
      </section>
    `;
  }
}
customElements.define('tp-diagnostics', DiagnosticsPage);
