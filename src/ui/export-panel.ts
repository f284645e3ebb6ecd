/**
 * Download or share the enhanced photo. Every format comes from a full-resolution render at
 * the current brightness (the session renders one first when needed).
 */
import { LitElement, css, html, nothing } from 'lit';
import type { ExportFormat } from '../worker/api.ts';
import { icon } from './icons.ts';
import { canShareFiles } from './share.ts';
import { base } from './theme.ts';

export interface ExportRequest {
  format: ExportFormat;
  share: boolean;
}

export const FORMAT_LABELS: Record<ExportFormat, string> = {
  png: 'PNG',
  png16: '16-bit PNG',
  jpeg: 'JPEG',
  dng: 'Enhanced DNG',
};

const FORMAT_HINTS: Record<ExportFormat, string> = {
  png: '8-bit, lossless',
  png16: 'for further editing',
  jpeg: 'smallest file',
  dng: 'linear raw for Lightroom, darktable',
};

export class ExportPanel extends LitElement {
  static override properties = { busy: { type: Boolean }, status: {}, shareSupported: { state: true } };
  declare busy: boolean;
  /** The last outcome, announced to screen readers. */
  declare status: string;
  declare shareSupported: boolean;

  constructor() {
    super();
    this.busy = false;
    this.status = '';
    this.shareSupported = canShareFiles();
  }

  static override styles = [
    base,
    css`
      :host {
        display: block;
      }
      .main {
        display: grid;
        grid-template-columns: 1fr 1fr;
        gap: 0.5rem;
      }
      .main button {
        white-space: nowrap;
        padding: 0 0.75rem;
      }
      .formats {
        display: grid;
        grid-template-columns: repeat(3, 1fr);
        gap: 0.5rem;
        margin-top: 0.5rem;
      }
      .formats button {
        flex-direction: column;
        gap: 0;
        padding: 0.4rem 0.5rem;
        min-height: 56px;
        line-height: 1.2;
      }
      .formats small {
        font-weight: 400;
        font-size: 0.75rem;
        color: var(--text-2);
      }
      .share-note {
        font-size: 0.8125rem;
        color: var(--text-2);
        margin-top: 0.5rem;
      }
      .status {
        margin-top: 0.6rem;
        font-size: 0.875rem;
        color: var(--text-2);
        min-height: 1.2em;
      }
    `,
  ];

  private request(format: ExportFormat, share = false): void {
    this.dispatchEvent(new CustomEvent<ExportRequest>('export', { detail: { format, share } }));
  }

  override render() {
    const others: ExportFormat[] = ['png16', 'jpeg', 'dng'];
    return html`
      <div class="main">
        <button class="primary" ?disabled=${this.busy} @click=${() => this.request('png')}>${icon('download')} Save PNG</button>
        <button ?disabled=${this.busy} @click=${() => this.request('png', true)} aria-describedby=${this.shareSupported ? nothing : 'share-note'}>
          ${icon('share')} Share
        </button>
      </div>
      <div class="formats" role="group" aria-label="Other formats">
        ${others.map(
          (format) => html`<button ?disabled=${this.busy} @click=${() => this.request(format)} aria-label="Save ${FORMAT_LABELS[format]}, ${FORMAT_HINTS[format]}">
            ${FORMAT_LABELS[format]}<small>${FORMAT_HINTS[format]}</small>
          </button>`,
        )}
      </div>
      ${this.shareSupported ? nothing : html`<p class="share-note" id="share-note">This browser can’t share files, so Share saves a download instead.</p>`}
      <p class="status" role="status">${this.status}</p>
    `;
  }
}
customElements.define('tp-export', ExportPanel);
