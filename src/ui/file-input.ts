/**
 * The ways in: a big "Open photos" button (several files at once), the camera, the sample,
 * and a drop target look (dropping and pasting are handled by the app, anywhere on the page).
 * `compact` renders a single "Add photos" button for the editor's toolbar.
 */
import { LitElement, css, html } from 'lit';
import { icon } from './icons.ts';
import type { PhotoSource } from './session.ts';
import { ACCEPTED_FILES, sampleSource, sourceFromFile } from './sources.ts';
import { base } from './theme.ts';

export class FileInput extends LitElement {
  static override properties = { compact: { type: Boolean }, dragging: { type: Boolean, reflect: true } };
  declare compact: boolean;
  /** A file is being dragged over the page. */
  declare dragging: boolean;

  constructor() {
    super();
    this.compact = false;
    this.dragging = false;
  }

  static override styles = [
    base,
    css`
      :host {
        display: block;
      }
      :host([compact]) {
        display: inline-block;
      }
      .hero {
        display: grid;
        justify-items: center;
        gap: 1.25rem;
        padding: 2.5rem 1.25rem;
        border: 2px dashed var(--line);
        border-radius: 24px;
        text-align: center;
        background: radial-gradient(120% 90% at 50% 0%, rgba(245, 192, 74, 0.08), transparent 60%), var(--surface);
        transition: border-color 120ms, background 120ms;
      }
      :host([dragging]) .hero {
        border-color: var(--accent);
        background: var(--accent-soft);
      }
      .eye {
        width: 84px;
        height: 84px;
      }
      h2 {
        font-size: clamp(1.5rem, 5vw, 2.1rem);
        line-height: 1.15;
      }
      .lead {
        max-width: 34rem;
        color: var(--text-2);
        font-size: 1.0625rem;
      }
      .buttons {
        display: grid;
        gap: 0.6rem;
        width: min(100%, 22rem);
      }
      .buttons button {
        min-height: 56px;
        font-size: 1.0625rem;
      }
      .hint {
        font-size: 0.875rem;
        color: var(--text-2);
      }
      .privacy {
        display: inline-flex;
        align-items: center;
        gap: 0.4rem;
        font-size: 0.875rem;
        color: var(--text-2);
      }
      .privacy svg {
        width: 18px;
        height: 18px;
        color: var(--ok);
      }
    `,
  ];

  private emit(sources: PhotoSource[]): void {
    if (sources.length > 0) this.dispatchEvent(new CustomEvent<PhotoSource[]>('photos', { detail: sources }));
  }

  private pick(): void {
    this.renderRoot.querySelector<HTMLInputElement>('input[type=file]')?.click();
  }

  private picked(event: Event): void {
    const input = event.target as HTMLInputElement;
    this.emit([...(input.files ?? [])].map(sourceFromFile));
    input.value = '';
  }

  private camera(): void {
    this.dispatchEvent(new Event('camera'));
  }

  override render() {
    const input = html`<input type="file" multiple accept=${ACCEPTED_FILES} hidden @change=${this.picked} />`;
    if (this.compact) {
      return html`${input}<button @click=${this.pick} aria-label="Add photos">${icon('open')}<span class="label">Add</span></button>`;
    }
    return html`
      ${input}
      <section class="hero" aria-labelledby="hero-title">
        <svg class="eye" viewBox="0 0 96 96" aria-hidden="true">
          <defs>
            <radialGradient id="glow" cx="50%" cy="50%" r="50%">
              <stop offset="0" stop-color="#ffe28a" />
              <stop offset="0.55" stop-color="#f5c04a" />
              <stop offset="1" stop-color="#f5c04a" stop-opacity="0" />
            </radialGradient>
          </defs>
          <circle cx="48" cy="48" r="46" fill="url(#glow)" opacity="0.35" />
          <path d="M10 48c9-15 22-23 38-23s29 8 38 23c-9 15-22 23-38 23S19 63 10 48z" fill="#10131b" stroke="#f5c04a" stroke-width="3" />
          <ellipse cx="48" cy="48" rx="7" ry="17" fill="#f5c04a" />
        </svg>
        <h2 id="hero-title">See in the dark</h2>
        <p class="lead">Turn a very dark raw photo into a clean, bright image — right on this device. Nothing is uploaded.</p>
        <div class="buttons">
          <button class="primary" @click=${this.pick}>${icon('open')} Open photos</button>
          <button @click=${this.camera}>${icon('camera')} Take a photo</button>
          <button @click=${() => this.emit([sampleSource()])}>${icon('sparkle')} Try a sample</button>
        </div>
        <p class="hint">Raw DNG files give the best result. JPEG and PNG work too.<br />You can also drop files here or paste an image.</p>
        <p class="privacy">${icon('shield')} Works offline · your photos never leave this device</p>
      </section>
    `;
  }
}
customElements.define('tp-file-input', FileInput);
