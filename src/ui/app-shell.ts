/**
 * <tapetum-app>: the header, the two pages (photos, diagnostics) switched by the URL hash,
 * drag-and-drop and paste anywhere on the page, the camera dialog and the update prompt.
 */
import { LitElement, css, html } from 'lit';
import './camera-capture.ts';
import type { CameraCapture } from './camera-capture.ts';
import './diagnostics-page.ts';
import type { DiagnosticsApi } from './diagnostics-page.ts';
import './editor-view.ts';
import type { FeatureMapLoader } from './feature-maps.ts';
import './file-input.ts';
import { icon } from './icons.ts';
import type { PhotoSession, PhotoSource } from './session.ts';
import { sourcesFromTransfer } from './sources.ts';
import { base } from './theme.ts';
import './update-prompt.ts';

type Page = 'photos' | 'diagnostics';

const pageFromHash = (): Page => (location.hash === '#/diagnostics' ? 'diagnostics' : 'photos');

export class TapetumApp extends LitElement {
  static override properties = {
    session: { attribute: false },
    diagnosticsApi: { attribute: false },
    loadFeatureMaps: { attribute: false },
    updateReady: { type: Boolean },
    page: { state: true },
  };
  declare session: PhotoSession;
  declare diagnosticsApi: DiagnosticsApi;
  declare loadFeatureMaps: FeatureMapLoader | undefined;
  /** A new version is installed and waiting. */
  declare updateReady: boolean;
  declare page: Page;

  private dragDepth = 0;
  private readonly onChange = () => this.requestUpdate();
  private readonly onHash = () => (this.page = pageFromHash());
  private readonly onPaste = (event: ClipboardEvent) => {
    const sources = sourcesFromTransfer(event.clipboardData);
    if (sources.length === 0) return;
    event.preventDefault();
    this.addPhotos(sources);
  };

  constructor() {
    super();
    this.updateReady = false;
    this.page = pageFromHash();
  }

  static override styles = [
    base,
    css`
      :host {
        display: block;
        min-height: 100dvh;
      }
      header {
        position: sticky;
        top: 0;
        z-index: 10;
        display: flex;
        align-items: center;
        gap: 0.5rem;
        height: var(--header-height);
        padding: 0 max(1rem, env(safe-area-inset-left));
        background: rgba(9, 11, 16, 0.86);
        backdrop-filter: blur(10px);
        border-bottom: 1px solid var(--line);
      }
      .brand {
        display: flex;
        align-items: center;
        gap: 0.55rem;
        margin-right: auto;
        color: var(--text);
        text-decoration: none;
        font-weight: 700;
        font-size: 1.15rem;
        letter-spacing: 0.02em;
        min-height: 48px;
      }
      .brand svg {
        width: 30px;
        height: 30px;
      }
      nav {
        display: flex;
        gap: 0.25rem;
      }
      nav a {
        display: inline-flex;
        align-items: center;
        gap: 0.4rem;
        min-height: 44px;
        padding: 0 0.8rem;
        border-radius: 10px;
        color: var(--text-2);
        text-decoration: none;
        font-weight: 550;
      }
      nav a[aria-current='page'] {
        color: var(--text);
        background: var(--surface-2);
      }
      main {
        padding: 1rem max(1rem, env(safe-area-inset-right)) 2rem max(1rem, env(safe-area-inset-left));
      }
      .empty {
        max-width: 720px;
        margin: 4vh auto 0;
      }
      .drop-veil {
        position: fixed;
        inset: 0;
        z-index: 30;
        display: grid;
        place-items: center;
        background: rgba(9, 11, 16, 0.8);
        border: 3px dashed var(--accent);
        font-size: 1.25rem;
        font-weight: 600;
        pointer-events: none;
      }
      @media (max-width: 420px) {
        nav a .label {
          display: none;
        }
      }
    `,
  ];

  override connectedCallback(): void {
    super.connectedCallback();
    this.session.addEventListener('change', this.onChange);
    window.addEventListener('hashchange', this.onHash);
    document.addEventListener('paste', this.onPaste);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.session.removeEventListener('change', this.onChange);
    window.removeEventListener('hashchange', this.onHash);
    document.removeEventListener('paste', this.onPaste);
  }

  addPhotos(sources: PhotoSource[]): void {
    if (sources.length === 0) return;
    if (this.page !== 'photos') location.hash = '';
    this.session.add(sources);
  }

  private get dragging(): boolean {
    return this.dragDepth > 0;
  }

  private onDragEnter(event: DragEvent): void {
    if (!event.dataTransfer?.types.includes('Files')) return;
    event.preventDefault();
    this.dragDepth++;
    this.requestUpdate();
  }

  private onDragLeave(): void {
    this.dragDepth = Math.max(0, this.dragDepth - 1);
    this.requestUpdate();
  }

  private onDrop(event: DragEvent): void {
    event.preventDefault();
    this.dragDepth = 0;
    this.requestUpdate();
    this.addPhotos(sourcesFromTransfer(event.dataTransfer));
  }

  private openCamera(): void {
    void this.renderRoot.querySelector<CameraCapture>('tp-camera')?.open();
  }

  private photosPage() {
    if (this.session.items.length === 0) {
      return html`<div class="empty">
        <tp-file-input ?dragging=${this.dragging} @photos=${(e: CustomEvent<PhotoSource[]>) => this.addPhotos(e.detail)} @camera=${this.openCamera}></tp-file-input>
      </div>`;
    }
    return html`<tp-editor .session=${this.session} @photos=${(e: CustomEvent<PhotoSource[]>) => this.addPhotos(e.detail)} @camera=${this.openCamera}></tp-editor>`;
  }

  override render() {
    const page = this.page;
    return html`
      <div
        @dragenter=${this.onDragEnter}
        @dragover=${(e: DragEvent) => e.preventDefault()}
        @dragleave=${this.onDragLeave}
        @drop=${this.onDrop}
      >
        <header>
          <a class="brand" href="#" aria-label="Tapetum, photos">
            <svg viewBox="0 0 32 32" aria-hidden="true">
              <path d="M3 16c3-5 7.5-8 13-8s10 3 13 8c-3 5-7.5 8-13 8S6 21 3 16z" fill="#10131b" stroke="#f5c04a" stroke-width="2" />
              <ellipse cx="16" cy="16" rx="2.6" ry="6" fill="#f5c04a" />
            </svg>
            Tapetum
          </a>
          <nav aria-label="Pages">
            <a href="#" aria-current=${page === 'photos' ? 'page' : 'false'}>${icon('eye')}<span class="label">Photos</span></a>
            <a href="#/diagnostics" aria-current=${page === 'diagnostics' ? 'page' : 'false'}>${icon('gauge')}<span class="label">Diagnostics</span></a>
          </nav>
        </header>
        <main>
          ${page === 'diagnostics'
            ? html`<tp-diagnostics .api=${this.diagnosticsApi} .loadFeatureMaps=${this.loadFeatureMaps}></tp-diagnostics>`
            : this.photosPage()}
        </main>
        ${this.dragging && this.session.items.length > 0 ? html`<div class="drop-veil" aria-hidden="true">Drop to add photos</div>` : ''}
      </div>
      <tp-camera @photos=${(e: CustomEvent<PhotoSource[]>) => this.addPhotos(e.detail)}></tp-camera>
      <tp-update ?open=${this.updateReady} @reload=${() => this.dispatchEvent(new Event('update-accepted'))}></tp-update>
    `;
  }
}
customElements.define('tapetum-app', TapetumApp);

