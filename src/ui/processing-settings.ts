/** Where the network runs and which model: automatic by default, forced by the person if they like. */
import { LitElement, css, html } from 'lit';
import type { Processing } from './session.ts';
import { base } from './theme.ts';

const BACKEND_OPTIONS: [Processing['backend'], string][] = [
  ['auto', 'Automatic'],
  ['webgpu', 'WebGPU (graphics card)'],
  ['wasm', 'WebAssembly'],
  ['cpu', 'CPU (slowest)'],
];
const MODEL_OPTIONS: [Processing['model'], string][] = [
  ['auto', 'Automatic'],
  ['fast', 'Fast'],
  ['quality', 'Quality (slower)'],
];

export class ProcessingSettings extends LitElement {
  static override properties = { processing: { attribute: false } };
  declare processing: Processing;

  constructor() {
    super();
    this.processing = { backend: 'auto', model: 'auto' };
  }

  static override styles = [
    base,
    css`
      :host {
        display: grid;
        grid-template-columns: repeat(2, minmax(0, 1fr));
        gap: 0.5rem;
      }
      label {
        display: grid;
        gap: 0.25rem;
        font-size: 0.8125rem;
        color: var(--text-2);
      }
      select {
        width: 100%;
        min-width: 0;
        min-height: 44px;
        padding: 0 0.5rem;
        border-radius: 10px;
        border: 1px solid var(--line);
        background: var(--surface-2);
        color: var(--text);
        font: inherit;
        font-size: 0.9375rem;
      }
    `,
  ];

  private change(patch: Partial<Processing>): void {
    this.dispatchEvent(new CustomEvent<Processing>('processing-change', { detail: { ...this.processing, ...patch } }));
  }

  override render() {
    const { backend, model } = this.processing;
    return html`
      <label
        >Runs on
        <select @change=${(e: Event) => this.change({ backend: (e.target as HTMLSelectElement).value as Processing['backend'] })}>
          ${BACKEND_OPTIONS.map(([value, label]) => html`<option value=${value} ?selected=${value === backend}>${label}</option>`)}
        </select>
      </label>
      <label
        >Model
        <select @change=${(e: Event) => this.change({ model: (e.target as HTMLSelectElement).value as Processing['model'] })}>
          ${MODEL_OPTIONS.map(([value, label]) => html`<option value=${value} ?selected=${value === model}>${label}</option>`)}
        </select>
      </label>
    `;
  }
}
customElements.define('tp-processing', ProcessingSettings);
