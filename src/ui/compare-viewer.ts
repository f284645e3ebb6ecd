/**
 * Before/after viewer: the classic development on the left of a draggable divider, the
 * enhanced image on the right, with zoom (wheel, pinch, buttons, keys) and pan up to and
 * past 100 % (one image pixel per device pixel of the after image). With only one image it
 * shows that alone. A before image of another pixel size (a smaller stand-in) is stretched
 * over the same box as the after image.
 */
import { LitElement, css, html, nothing, type PropertyValues } from 'lit';
import type { DisplayImage } from '../worker/api.ts';
import { icon } from './icons.ts';
import { toImageData } from './image-data.ts';
import { base } from './theme.ts';
import { clampTransform, fitTransform, zoomAt, type Size, type ViewTransform } from './view-transform.ts';

const ZOOM_STEP = 1.5;
const PAN_STEP = 60;

function draw(canvas: HTMLCanvasElement | null, image: DisplayImage | undefined): void {
  if (!canvas || !image) return;
  canvas.width = image.width;
  canvas.height = image.height;
  canvas.getContext('2d')?.putImageData(toImageData(image), 0, 0);
}

export class CompareViewer extends LitElement {
  static override properties = {
    beforeImage: { attribute: false },
    afterImage: { attribute: false },
    beforeLabel: {},
    afterLabel: {},
    split: { state: true },
    view: { state: true },
  };
  declare beforeImage: DisplayImage | undefined;
  declare afterImage: DisplayImage | undefined;
  declare beforeLabel: string;
  declare afterLabel: string;
  /** Divider position, 0..1 of the viewport width. */
  declare split: number;
  declare view: ViewTransform | undefined;

  private viewport: Size = { width: 1, height: 1 };
  private readonly pointers = new Map<number, { x: number; y: number }>();
  private dragging: 'divider' | 'pan' | undefined;
  /** Whether the person zoomed or panned; until then the image follows the viewport's size (fit). */
  private adjusted = false;
  private readonly resizeObserver = new ResizeObserver(([entry]) => this.resized(entry!.contentRect));

  constructor() {
    super();
    this.beforeLabel = 'Before';
    this.afterLabel = 'After';
    this.split = 0.5;
  }

  static override styles = [
    base,
    css`
      :host {
        position: relative;
        display: flex;
        flex-direction: column;
        user-select: none;
        -webkit-user-select: none;
      }
      .frame {
        position: relative;
        flex: 1 1 auto;
        min-height: 200px;
        border-radius: 16px;
        overflow: hidden;
        background: #05060a;
      }
      /* Phones: the frame takes the photo's shape and the zoom bar moves below it. */
      @media (max-width: 860px) {
        .frame {
          flex: none;
          aspect-ratio: var(--aspect, 3 / 2);
          max-height: 65dvh;
        }
        .zoom.zoom {
          position: static;
          align-self: center;
          margin-top: 6px;
          background: var(--surface);
        }
      }
      .viewport {
        position: absolute;
        inset: 0;
        overflow: hidden;
        touch-action: none;
        cursor: grab;
      }
      .viewport:focus-visible {
        outline-offset: -3px;
      }
      .stage {
        position: absolute;
        left: 0;
        top: 0;
        transform-origin: 0 0;
      }
      canvas {
        position: absolute;
        inset: 0;
        display: block;
      }
      .stage.sharp canvas {
        image-rendering: pixelated;
      }
      .divider {
        position: absolute;
        top: 0;
        bottom: 0;
        width: 48px;
        margin-left: -24px;
        display: flex;
        justify-content: center;
        cursor: ew-resize;
        touch-action: none;
      }
      .divider::before {
        content: '';
        width: 2px;
        height: 100%;
        background: rgba(255, 255, 255, 0.9);
        box-shadow: 0 0 8px rgba(0, 0, 0, 0.6);
      }
      .knob {
        position: absolute;
        top: 50%;
        width: 40px;
        height: 40px;
        margin-top: -20px;
        border-radius: 50%;
        background: rgba(255, 255, 255, 0.95);
        box-shadow: 0 2px 10px rgba(0, 0, 0, 0.5);
        display: grid;
        place-items: center;
        color: #111;
        font-weight: 700;
        font-size: 14px;
        letter-spacing: -1px;
      }
      .divider:focus-visible .knob {
        outline: 3px solid var(--focus);
        outline-offset: 2px;
      }
      .divider:focus-visible {
        outline: none;
      }
      .tag {
        position: absolute;
        top: 12px;
        padding: 4px 10px;
        border-radius: 999px;
        background: rgba(8, 10, 16, 0.72);
        backdrop-filter: blur(6px);
        font-size: 0.8125rem;
        font-weight: 600;
        pointer-events: none;
      }
      .tag.before {
        left: 12px;
      }
      .tag.after {
        right: 12px;
        color: var(--accent);
      }
      .zoom {
        position: absolute;
        right: 10px;
        bottom: 10px;
        display: flex;
        align-items: center;
        gap: 2px;
        padding: 3px;
        border-radius: 14px;
        background: rgba(8, 10, 16, 0.78);
        backdrop-filter: blur(6px);
      }
      .zoom button {
        min-height: 44px;
        min-width: 44px;
        padding: 0 0.6rem;
        border: none;
        background: transparent;
      }
      .zoom button:hover {
        background: rgba(255, 255, 255, 0.1);
      }
      .level {
        min-width: 3.5rem;
        text-align: center;
        font-size: 0.875rem;
        font-variant-numeric: tabular-nums;
      }
    `,
  ];

  protected override firstUpdated(): void {
    this.resizeObserver.observe(this.renderRoot.querySelector('.frame')!);
  }

  override disconnectedCallback(): void {
    super.disconnectedCallback();
    this.resizeObserver.disconnect();
  }

  private get image(): DisplayImage | undefined {
    return this.afterImage ?? this.beforeImage;
  }

  private get compare(): boolean {
    return Boolean(this.beforeImage && this.afterImage);
  }

  /** Scale of 100 %: one image pixel per device pixel. */
  private get oneToOne(): number {
    return 1 / (window.devicePixelRatio || 1);
  }

  private resized(rect: DOMRectReadOnly): void {
    this.viewport = { width: Math.max(rect.width, 1), height: Math.max(rect.height, 1) };
    const image = this.image;
    if (image) this.view = this.view && this.adjusted ? clampTransform(this.view, image, this.viewport, this.oneToOne) : fitTransform(image, this.viewport);
  }

  protected override willUpdate(changed: PropertyValues<this>): void {
    const image = this.image;
    if (!image) {
      this.view = undefined;
      return;
    }
    // The image that set the view before this update: a new before image alone (the classic
    // development replacing a smaller placeholder) leaves the after image, and the view, as they are.
    const previous = (name: 'afterImage' | 'beforeImage') => (changed.has(name) ? (changed.get(name) as DisplayImage | undefined) : this[name]);
    const old = previous('afterImage') ?? previous('beforeImage');
    const sizeChanged = (changed.has('afterImage') || changed.has('beforeImage')) && (!old || old.width !== image.width || old.height !== image.height);
    if (!this.view || sizeChanged) this.view = this.keepView(old, image);
  }

  /** After a resolution change (preview -> full), the same part of the photo stays in view. */
  private keepView(old: DisplayImage | undefined, image: DisplayImage): ViewTransform {
    if (!old || !this.view || !this.adjusted) return fitTransform(image, this.viewport);
    const factor = old.width / image.width;
    return clampTransform({ scale: this.view.scale * factor, x: this.view.x, y: this.view.y }, image, this.viewport, this.oneToOne);
  }

  protected override updated(changed: PropertyValues<this>): void {
    if (changed.has('beforeImage')) draw(this.renderRoot.querySelector('canvas.before'), this.beforeImage);
    if (changed.has('afterImage')) draw(this.renderRoot.querySelector('canvas.after'), this.afterImage);
  }

  private setView(next: ViewTransform): void {
    const image = this.image;
    if (!image) return;
    this.adjusted = true;
    this.view = clampTransform(next, image, this.viewport, this.oneToOne);
  }

  private zoomBy(factor: number, px = this.viewport.width / 2, py = this.viewport.height / 2): void {
    if (this.view) this.setView(zoomAt(this.view, factor, px, py));
  }

  /** Fit, or 100 % around a point. */
  zoomTo(mode: 'fit' | 'actual', px = this.viewport.width / 2, py = this.viewport.height / 2): void {
    const image = this.image;
    if (!image || !this.view) return;
    this.adjusted = mode !== 'fit';
    this.view = mode === 'fit' ? fitTransform(image, this.viewport) : clampTransform(zoomAt(this.view, this.oneToOne / this.view.scale, px, py), image, this.viewport, this.oneToOne);
  }

  private local(event: PointerEvent | WheelEvent | MouseEvent): { x: number; y: number } {
    const rect = this.renderRoot.querySelector('.frame')!.getBoundingClientRect();
    return { x: event.clientX - rect.left, y: event.clientY - rect.top };
  }

  private onPointerDown(event: PointerEvent, target: 'divider' | 'viewport'): void {
    event.preventDefault();
    (event.currentTarget as HTMLElement).setPointerCapture(event.pointerId);
    this.pointers.set(event.pointerId, this.local(event));
    // At fit, dragging anywhere compares; zoomed in, dragging the picture pans it.
    const zoomedIn = this.view && this.image && this.view.scale > fitTransform(this.image, this.viewport).scale * 1.01;
    this.dragging = target === 'divider' || (!zoomedIn && this.compare) ? 'divider' : 'pan';
    if (this.dragging === 'divider' && this.pointers.size === 1) this.split = this.local(event).x / this.viewport.width;
  }

  private onPointerMove(event: PointerEvent): void {
    const previous = this.pointers.get(event.pointerId);
    if (!previous || !this.view) return;
    const point = this.local(event);
    if (this.pointers.size === 2) {
      const [a, b] = [...this.pointers.values()];
      const other = a === previous ? b! : a!;
      const before = Math.hypot(previous.x - other.x, previous.y - other.y);
      const after = Math.hypot(point.x - other.x, point.y - other.y);
      if (before > 0) this.zoomBy(after / before, (point.x + other.x) / 2, (point.y + other.y) / 2);
    } else if (this.dragging === 'divider') {
      this.split = Math.min(Math.max(point.x / this.viewport.width, 0), 1);
    } else {
      this.setView({ ...this.view, x: this.view.x + point.x - previous.x, y: this.view.y + point.y - previous.y });
    }
    this.pointers.set(event.pointerId, point);
  }

  private onPointerUp(event: PointerEvent): void {
    this.pointers.delete(event.pointerId);
    if (this.pointers.size === 0) this.dragging = undefined;
  }

  private onWheel(event: WheelEvent): void {
    event.preventDefault();
    const { x, y } = this.local(event);
    this.zoomBy(Math.exp(-event.deltaY * 0.002), x, y);
  }

  private onDoubleClick(event: MouseEvent): void {
    const image = this.image;
    if (!image || !this.view) return;
    const { x, y } = this.local(event);
    this.zoomTo(this.view.scale < this.oneToOne * 0.99 ? 'actual' : 'fit', x, y);
  }

  private onViewportKey(event: KeyboardEvent): void {
    if (!this.view) return;
    const pan = (dx: number, dy: number) => this.setView({ ...this.view!, x: this.view!.x + dx, y: this.view!.y + dy });
    const actions: Record<string, () => void> = {
      '+': () => this.zoomBy(ZOOM_STEP),
      '=': () => this.zoomBy(ZOOM_STEP),
      '-': () => this.zoomBy(1 / ZOOM_STEP),
      '0': () => this.zoomTo('fit'),
      '1': () => this.zoomTo('actual'),
      ArrowLeft: () => pan(PAN_STEP, 0),
      ArrowRight: () => pan(-PAN_STEP, 0),
      ArrowUp: () => pan(0, PAN_STEP),
      ArrowDown: () => pan(0, -PAN_STEP),
    };
    const action = actions[event.key];
    if (!action) return;
    event.preventDefault();
    action();
  }

  private onDividerKey(event: KeyboardEvent): void {
    const step = event.shiftKey ? 0.01 : 0.05;
    const moves: Record<string, number> = { ArrowLeft: this.split - step, ArrowRight: this.split + step, Home: 0, End: 1 };
    const next = moves[event.key];
    if (next === undefined) return;
    event.preventDefault();
    event.stopPropagation();
    this.split = Math.min(Math.max(next, 0), 1);
  }

  override render() {
    const image = this.image;
    const aspect = image ? `--aspect: ${image.width} / ${image.height}` : '';
    return html`<div class="frame" style=${aspect}>${image && this.view ? this.photo(image, this.view) : nothing}</div>
      ${image && this.view ? this.zoomBar(this.view) : nothing}`;
  }

  private zoomBar(view: ViewTransform) {
    const percent = Math.round((view.scale / this.oneToOne) * 100);
    return html`<div class="zoom" role="group" aria-label="Zoom">
      <button title="Zoom out (-)" aria-label="Zoom out" @click=${() => this.zoomBy(1 / ZOOM_STEP)}>${icon('zoomOut')}</button>
      <span class="level" aria-live="polite" aria-label="Zoom level ${percent} percent">${percent} %</span>
      <button title="Zoom in (+)" aria-label="Zoom in" @click=${() => this.zoomBy(ZOOM_STEP)}>${icon('zoomIn')}</button>
      <button title="Fit (0)" aria-label="Fit to screen" @click=${() => this.zoomTo('fit')}>${icon('fit')}</button>
      <button title="100 % (1)" aria-label="Zoom to 100 percent" @click=${() => this.zoomTo('actual')}>1:1</button>
    </div>`;
  }

  private photo(image: DisplayImage, view: ViewTransform) {
    const splitX = this.split * this.viewport.width;
    // The after image shows right of the divider: clip it in image pixels.
    const clipLeft = Math.min(Math.max((splitX - view.x) / view.scale, 0), image.width);
    const sharp = view.scale >= this.oneToOne;
    const stageStyle = `width:${image.width}px;height:${image.height}px;transform:translate(${view.x}px,${view.y}px) scale(${view.scale})`;
    return html`
      <div
        class="viewport"
        tabindex="0"
        role="img"
        aria-label="${this.compare ? `${this.beforeLabel} and ${this.afterLabel} comparison` : this.afterLabel}. Plus and minus zoom, 0 fits, 1 shows 100 percent, arrow keys pan."
        @pointerdown=${(e: PointerEvent) => this.onPointerDown(e, 'viewport')}
        @pointermove=${this.onPointerMove}
        @pointerup=${this.onPointerUp}
        @pointercancel=${this.onPointerUp}
        @wheel=${this.onWheel}
        @dblclick=${this.onDoubleClick}
        @keydown=${this.onViewportKey}
      >
        <div class="stage ${sharp ? 'sharp' : ''}" style=${stageStyle}>
          <canvas class="before" ?hidden=${!this.beforeImage} style="width:${image.width}px;height:${image.height}px"></canvas>
          <canvas
            class="after"
            ?hidden=${!this.afterImage}
            style="width:${image.width}px;height:${image.height}px;${this.compare ? `clip-path: inset(0 0 0 ${clipLeft}px)` : ''}"
          ></canvas>
        </div>
      </div>
      ${this.compare
        ? html`
            <span class="tag before" aria-hidden="true">${this.beforeLabel}</span>
            <span class="tag after" aria-hidden="true">${this.afterLabel}</span>
            <div
              class="divider"
              style="left:${splitX}px"
              tabindex="0"
              role="slider"
              aria-label="Divider between ${this.beforeLabel} and ${this.afterLabel}"
              aria-valuemin="0"
              aria-valuemax="100"
              aria-valuenow=${Math.round(this.split * 100)}
              aria-valuetext="${Math.round((1 - this.split) * 100)} percent ${this.afterLabel}"
              @pointerdown=${(e: PointerEvent) => this.onPointerDown(e, 'divider')}
              @pointermove=${this.onPointerMove}
              @pointerup=${this.onPointerUp}
              @pointercancel=${this.onPointerUp}
              @keydown=${this.onDividerKey}
            >
              <span class="knob" aria-hidden="true">‹ ›</span>
            </div>
          `
        : html`<span class="tag before" aria-hidden="true">${this.beforeLabel}</span>`}
    `;
  }
}
customElements.define('tp-compare', CompareViewer);

