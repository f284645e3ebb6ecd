/** What is known about the shown photo and how it was enhanced. */
import { LitElement, css, html, nothing } from 'lit';
import { formatDuration, formatExposure, formatMegapixels, formatRatio } from './format.ts';
import type { PhotoItem } from './session.ts';
import { base } from './theme.ts';

const BACKEND_NAMES = { webgpu: 'WebGPU', wasm: 'WebAssembly', cpu: 'CPU (JavaScript)' } as const;

export class MetadataPanel extends LitElement {
  static override properties = { item: { attribute: false, hasChanged: () => true } };
  declare item: PhotoItem | undefined;

  static override styles = [
    base,
    css`
      :host {
        display: block;
      }
      dl {
        display: grid;
        grid-template-columns: auto 1fr;
        gap: 0.45rem 1rem;
        margin: 0;
        font-size: 0.9375rem;
      }
      dt {
        color: var(--text-2);
      }
      dd {
        margin: 0;
        text-align: right;
        font-variant-numeric: tabular-nums;
        overflow-wrap: anywhere;
      }
      .note {
        margin-top: 0.75rem;
        font-size: 0.875rem;
        color: var(--warning);
      }
    `,
  ];

  override render() {
    const item = this.item;
    const opened = item?.opened;
    if (!item || !opened) return nothing;
    const meta = opened.metadata;
    const camera = [meta?.make, meta?.model].filter(Boolean).join(' ') || (opened.kind === 'srgb' ? 'JPEG/PNG image' : 'Unknown');
    const render = item.render;
    const rows: [string, string][] = [
      ['Camera', camera],
      ...(meta?.iso ? [['ISO', String(meta.iso)] as [string, string]] : []),
      ...(meta?.exposureTime ? [['Exposure', formatExposure(meta.exposureTime)] as [string, string]] : []),
      ...(meta?.fNumber ? [['Aperture', `f/${meta.fNumber.toFixed(1)}`] as [string, string]] : []),
      ['Size', formatMegapixels(opened.width, opened.height)],
      ['Brightness', render ? `${formatRatio(render.result.ratioUsed)}${render.ratio === 'auto' ? ' (auto)' : ''}` : `${formatRatio(opened.autoRatio)} (auto)`],
    ];
    if (render) {
      const { backendUsed, modelUsed, timingsMs } = render.result;
      rows.push(['Processed on', BACKEND_NAMES[backendUsed]], ['Model', modelUsed === 'quality' ? 'Quality' : 'Fast'], [render.full ? 'Time' : 'Preview time', formatDuration(timingsMs.total)]);
    }
    return html`
      <dl>${rows.map(([term, value]) => html`<dt>${term}</dt><dd>${value}</dd>`)}</dl>
      ${render?.result.fallback ? html`<p class="note">${render.result.fallback}</p>` : nothing}
      ${opened.warnings.map((w) => html`<p class="note">${w}</p>`)}
    `;
  }
}
customElements.define('tp-metadata', MetadataPanel);
