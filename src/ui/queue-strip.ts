/** The photos of this session as a strip of thumbnails with their state; pick one to show it. */
import { LitElement, css, html, nothing } from 'lit';
import { icon } from './icons.ts';
import { toImageData } from './image-data.ts';
import type { PhotoItem } from './session.ts';
import { base } from './theme.ts';

const THUMB = 64;

function statusText(item: PhotoItem): string {
  if (item.status === 'waiting') return 'Waiting';
  if (item.status === 'opening') return 'Opening…';
  if (item.status === 'failed') return 'Can’t open';
  if (item.job) return item.job.kind === 'full' ? 'Enhancing…' : 'Previewing…';
  if (item.render?.full) return 'Enhanced';
  return 'Ready';
}

export class QueueStrip extends LitElement {
  static override properties = { items: { attribute: false, hasChanged: () => true }, selectedKey: {} };
  declare items: PhotoItem[];
  declare selectedKey: string | undefined;
  /** Which preview each thumbnail canvas shows, so it is drawn once. */
  private readonly drawn = new WeakMap<HTMLCanvasElement, unknown>();

  constructor() {
    super();
    this.items = [];
  }

  static override styles = [
    base,
    css`
      :host {
        display: block;
      }
      ul {
        display: flex;
        gap: 0.5rem;
        margin: 0;
        padding: 2px 2px 6px;
        list-style: none;
        overflow-x: auto;
        scrollbar-width: thin;
      }
      li {
        position: relative;
        flex: none;
      }
      .pick {
        display: grid;
        grid-template-columns: ${THUMB}px;
        gap: 4px;
        padding: 4px;
        min-height: 0;
        border-radius: 12px;
        background: var(--surface);
        text-align: left;
      }
      .pick[aria-current='true'] {
        border-color: var(--accent);
        box-shadow: 0 0 0 1px var(--accent);
      }
      canvas,
      .placeholder {
        width: ${THUMB}px;
        height: ${THUMB}px;
        border-radius: 8px;
        background: var(--surface-3);
        object-fit: cover;
        display: grid;
        place-items: center;
      }
      .name,
      .state {
        width: ${THUMB}px;
        overflow: hidden;
        text-overflow: ellipsis;
        white-space: nowrap;
        font-size: 0.6875rem;
        font-weight: 500;
      }
      .state {
        color: var(--text-2);
      }
      .state.failed {
        color: var(--danger);
      }
      .remove {
        position: absolute;
        top: -4px;
        right: -4px;
        min-width: 32px;
        min-height: 32px;
        padding: 0;
        border-radius: 50%;
        background: var(--surface-3);
      }
      .remove svg {
        width: 16px;
        height: 16px;
      }
    `,
  ];

  protected override updated(): void {
    for (const item of this.items) {
      const canvas = this.renderRoot.querySelector<HTMLCanvasElement>(`canvas[data-key="${item.key}"]`);
      const preview = item.opened?.preview;
      if (!canvas || !preview || this.drawn.get(canvas) === preview) continue;
      this.drawn.set(canvas, preview);
      drawCover(canvas, toImageData(preview));
    }
  }

  private emit(type: 'select' | 'remove', key: string): void {
    this.dispatchEvent(new CustomEvent<string>(type, { detail: key }));
  }

  override render() {
    return html`
      <ul aria-label="Photos in this session">
        ${this.items.map(
          (item) => html`<li>
            <button class="pick" aria-current=${item.key === this.selectedKey ? 'true' : 'false'} @click=${() => this.emit('select', item.key)} aria-label="${item.source.name}, ${statusText(item)}">
              ${item.opened ? html`<canvas data-key=${item.key} width=${THUMB * 2} height=${THUMB * 2}></canvas>` : html`<span class="placeholder">${item.status === 'failed' ? icon('alert') : nothing}</span>`}
              <span class="name">${item.source.name}</span>
              <span class="state ${item.status === 'failed' ? 'failed' : ''}">${statusText(item)}</span>
            </button>
            <button class="remove" aria-label="Remove ${item.source.name}" title="Remove" @click=${() => this.emit('remove', item.key)}>${icon('close')}</button>
          </li>`,
        )}
      </ul>
    `;
  }
}
customElements.define('tp-queue', QueueStrip);

/** Draws an image into a square canvas, cropped to cover it. */
function drawCover(canvas: HTMLCanvasElement, data: ImageData): void {
  const { width, height } = data;
  const source = document.createElement('canvas');
  source.width = width;
  source.height = height;
  source.getContext('2d')!.putImageData(data, 0, 0);
  const side = Math.min(width, height);
  const context = canvas.getContext('2d')!;
  context.imageSmoothingQuality = 'high';
  context.drawImage(source, (width - side) / 2, (height - side) / 2, side, side, 0, 0, canvas.width, canvas.height);
}
