/** Horizontal bars for a handful of labelled values (benchmark speeds). */
import { LitElement, css, html, svg } from 'lit';
import { base } from './theme.ts';

export interface Bar {
  label: string;
  value: number;
  /** Drawn as failed (for example a wrong parity check). */
  bad?: boolean;
}

const ROW = 34;
const LABEL = 150;
const WIDTH = 560;

export class BarChart extends LitElement {
  static override properties = { bars: { attribute: false }, unit: {} };
  declare bars: Bar[];
  declare unit: string;

  constructor() {
    super();
    this.bars = [];
    this.unit = '';
  }

  static override styles = [
    base,
    css`
      :host {
        display: block;
      }
      svg {
        width: 100%;
        max-width: ${WIDTH}px;
        height: auto;
        display: block;
      }
      text {
        fill: var(--text);
        font-size: 13px;
      }
      .value {
        fill: var(--text-2);
        font-variant-numeric: tabular-nums;
      }
      rect.bar {
        fill: var(--accent);
      }
      rect.bar.bad {
        fill: var(--danger);
      }
      rect.track {
        fill: var(--surface-3);
      }
    `,
  ];

  override render() {
    const max = Math.max(...this.bars.map((b) => b.value), 1e-9);
    const room = WIDTH - LABEL - 90;
    const height = this.bars.length * ROW + 4;
    return html`<svg viewBox="0 0 ${WIDTH} ${height}" role="img" aria-label=${this.bars.map((b) => `${b.label}: ${b.value.toFixed(2)} ${this.unit}`).join('; ')}>
      ${this.bars.map(
        (bar, i) => svg`
          <text x="0" y=${i * ROW + 21}>${bar.label}</text>
          <rect class="track" x=${LABEL} y=${i * ROW + 8} width=${room} height="16" rx="4"></rect>
          <rect class="bar ${bar.bad ? 'bad' : ''}" x=${LABEL} y=${i * ROW + 8} width=${Math.max((bar.value / max) * room, 2)} height="16" rx="4"></rect>
          <text class="value" x=${LABEL + room + 8} y=${i * ROW + 21}>${bar.value.toFixed(2)} ${this.unit}</text>`,
      )}
    </svg>`;
  }
}
customElements.define('tp-bar-chart', BarChart);
