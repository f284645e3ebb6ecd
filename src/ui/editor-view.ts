/**
 * The photo view: the queue, the before/after viewer, brightness, full-resolution rendering
 * with progress, export and details. Wide screens put the controls beside the photo, phones
 * below it.
 */
import { LitElement, css, html, nothing } from 'lit';

import './brightness-control.ts';
import './compare-viewer.ts';
import './error-message.ts';
import './export-panel.ts';
import { FORMAT_LABELS, type ExportRequest } from './export-panel.ts';
import './file-input.ts';
import { icon } from './icons.ts';
import './metadata-panel.ts';
import { saveProcessing } from './preferences.ts';
import './processing-settings.ts';
import './progress-bar.ts';
import './queue-strip.ts';
import type { PhotoItem, PhotoSession, Processing, Ratio } from './session.ts';
import { downloadFile, shareOrDownload, type Delivery } from './share.ts';
import { base } from './theme.ts';

const DELIVERY_TEXT: Record<Delivery, (name: string) => string> = {
  shared: (name) => `Shared ${name}.`,
  'share-dismissed': () => 'Sharing was cancelled.',
  downloaded: (name) => `Downloaded ${name}.`,
  'downloaded-instead-of-share': (name) => `Sharing isn’t available in this browser, so ${name} was downloaded instead.`,
};

export class EditorView extends LitElement {
  static override properties = { session: { attribute: false, hasChanged: () => true }, exportStatus: { state: true } };
  declare session: PhotoSession;
  declare exportStatus: string;

  constructor() {
    super();
    this.exportStatus = '';
  }

  static override styles = [
    base,
    css`
      :host {
        display: block;
      }
      .layout {
        display: grid;
        grid-template-columns: minmax(0, 1fr) 360px;
        gap: 1rem;
        height: calc(100dvh - var(--header-height) - 2rem);
        min-height: 480px;
      }
      .stage {
        display: grid;
        grid-template-rows: minmax(0, 1fr);
        min-height: 0;
      }
      tp-compare {
        height: 100%;
      }
      .failed {
        display: grid;
        place-items: center;
        padding: 1rem;
        border-radius: 16px;
        background: var(--surface);
      }
      aside {
        display: flex;
        flex-direction: column;
        gap: 0.75rem;
        overflow-y: auto;
        min-height: 0;
        padding-right: 2px;
      }
      .queue-row {
        display: flex;
        align-items: flex-start;
        gap: 0.5rem;
      }
      tp-queue {
        flex: 1;
        min-width: 0;
      }
      .add {
        display: flex;
        flex-direction: column;
        gap: 0.4rem;
      }
      .card h3 {
        font-size: 0.9375rem;
        margin-bottom: 0.6rem;
        color: var(--text-2);
        text-transform: uppercase;
        letter-spacing: 0.06em;
        font-size: 0.75rem;
      }
      .resolution {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: 0.75rem;
        margin-top: 0.75rem;
      }
      .resolution p {
        font-size: 0.875rem;
        color: var(--text-2);
      }
      .resolution .done {
        color: var(--ok);
      }
      .srgb-note,
      .classic-note {
        font-size: 0.875rem;
        color: var(--text-2);
        border-left: 3px solid var(--accent);
        padding-left: 0.75rem;
      }
      .classic-note {
        margin-top: 0.75rem;
      }
      @media (max-width: 860px) {
        .layout {
          display: flex;
          flex-direction: column;
          height: auto;
        }
        .stage,
        tp-compare {
          height: auto;
        }
        aside {
          overflow: visible;
        }
      }
    `,
  ];

  private get item(): PhotoItem | undefined {
    return this.session.selected;
  }

  private setProcessing(processing: Processing): void {
    saveProcessing(processing);
    this.session.setProcessing(processing);
  }

  private async export({ format, share }: ExportRequest): Promise<void> {
    this.exportStatus = `Preparing ${FORMAT_LABELS[format]}…`;
    const file = await this.session.export(format);
    if (!file) {
      this.exportStatus = '';
      return;
    }
    let delivery: Delivery = 'downloaded';
    if (share) delivery = await shareOrDownload(file);
    else downloadFile(file);
    this.exportStatus = DELIVERY_TEXT[delivery](file.name);
  }

  private viewer(item: PhotoItem) {
    if (item.status === 'failed') {
      return html`<div class="failed">
        <tp-error .error=${item.error} .context=${item.source.name}>
          <button @click=${() => this.session.retry(item.key)}>Try again</button>
          <button class="primary" @click=${() => this.session.remove(item.key)}>Remove</button>
        </tp-error>
      </div>`;
    }
    const render = item.render;
    if (render) {
      const beforeLabel = render.classic === 'ready' ? 'Classic' : 'Classic preview';
      return html`<tp-compare .beforeImage=${render.before} .afterImage=${render.after} beforeLabel=${beforeLabel} afterLabel="Tapetum"></tp-compare>`;
    }
    return html`<tp-compare .beforeImage=${item.opened?.preview} beforeLabel=${item.opened ? 'Classic preview' : 'Opening…'}></tp-compare>`;
  }

  private resolution(item: PhotoItem) {
    const full = this.session.hasFullRender(item);
    const running = item.job?.kind === 'full';
    return html`<div class="resolution">
      ${full
        ? html`<p class="done">Full resolution · ${item.opened!.width} × ${item.opened!.height}</p>`
        : html`<p>${item.render ? 'Showing a quick preview' : 'Preparing a quick preview…'}</p>
            <button class="primary" ?disabled=${running || !item.opened} @click=${() => this.session.renderFull()}>${icon('sparkle')} Enhance full size</button>`}
    </div>`;
  }

  private controls(item: PhotoItem) {
    if (item.status !== 'ready' || !item.opened) return nothing;
    const busy = Boolean(item.job) || Boolean(item.exporting);
    return html`
      ${item.opened.kind === 'srgb'
        ? html`<p class="srgb-note">This is a JPEG/PNG, so Tapetum rebuilt raw data from it. A raw DNG from the camera gives the best result.</p>`
        : nothing}
      <section class="card" aria-labelledby="brightness-title">
        <h3 id="brightness-title">Adjust</h3>
        <tp-brightness .ratio=${item.ratio} .autoRatio=${item.render?.ratio === 'auto' ? item.render.result.ratioUsed : item.opened.autoRatio} @ratio-change=${(e: CustomEvent<Ratio>) => this.session.setRatio(e.detail)}></tp-brightness>
        ${this.resolution(item)}
        ${item.render?.classic === 'failed'
          ? html`<p class="classic-note">The classic image to compare with could not be made, so the comparison shows the smaller classic preview.</p>`
          : nothing}
      </section>
      ${item.job ? html`<section class="card"><tp-progress .job=${item.job} @cancel=${() => this.session.cancel()}></tp-progress></section>` : nothing}
      ${item.jobError
        ? html`<tp-error .error=${item.jobError}><button @click=${() => this.session.renderFull()}>Try again</button></tp-error>`
        : nothing}
      <section class="card" aria-labelledby="export-title">
        <h3 id="export-title">Save</h3>
        <tp-export ?busy=${busy} .status=${this.exportStatus} @export=${(e: CustomEvent<ExportRequest>) => this.export(e.detail)}></tp-export>
      </section>
      <section class="card" aria-labelledby="details-title">
        <h3 id="details-title">Details</h3>
        <tp-metadata .item=${item}></tp-metadata>
      </section>
      <section class="card" aria-labelledby="processing-title">
        <h3 id="processing-title">Processing</h3>
        <tp-processing .processing=${this.session.processing} @processing-change=${(e: CustomEvent<Processing>) => this.setProcessing(e.detail)}></tp-processing>
      </section>
    `;
  }

  override render() {
    const item = this.item;
    return html`
      <div class="layout">
        <div class="stage">${item ? this.viewer(item) : nothing}</div>
        <aside aria-label="Photo controls">
          <div class="queue-row">
            <tp-queue
              .items=${this.session.items}
              .selectedKey=${this.session.selectedKey}
              @select=${(e: CustomEvent<string>) => {
                this.exportStatus = '';
                this.session.select(e.detail);
              }}
              @remove=${(e: CustomEvent<string>) => this.session.remove(e.detail)}
            ></tp-queue>
            <div class="add">
              <tp-file-input compact @photos=${(e: Event) => this.dispatchEvent(new CustomEvent('photos', { detail: (e as CustomEvent).detail, bubbles: true, composed: true }))}></tp-file-input>
              <button aria-label="Take a photo" title="Take a photo" @click=${() => this.dispatchEvent(new Event('camera', { bubbles: true, composed: true }))}>${icon('camera')}</button>
            </div>
          </div>
          ${item ? this.controls(item) : nothing}
        </aside>
      </div>
    `;
  }
}
customElements.define('tp-editor', EditorView);

