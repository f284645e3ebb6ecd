/**
 * Taking a photo with the device camera: a live view and a shutter (getUserMedia, with
 * ImageCapture's full-resolution still where the browser has it, else the video frame), or
 * the system camera through `<input capture>` where live video is unavailable or refused.
 * Frames are sRGB, so they go through the unprocessing path; the dialog says a raw DNG is better.
 */
import { LitElement, css, html, nothing } from 'lit';
import { icon } from './icons.ts';
import type { PhotoSource } from './session.ts';
import { sourceFromBlob, sourceFromFile } from './sources.ts';
import { base } from './theme.ts';

/** The part of the Image Capture API used here (not in TypeScript's DOM types). */
interface ImageCaptureLike {
  takePhoto(): Promise<Blob>;
}
type ImageCaptureConstructor = new (track: MediaStreamTrack) => ImageCaptureLike;

function timestamp(): string {
  return new Date().toISOString().replace(/[-:]/g, '').replace(/\..*/, '').replace('T', '-');
}

async function frameAsPng(video: HTMLVideoElement): Promise<Blob> {
  const canvas = document.createElement('canvas');
  canvas.width = video.videoWidth;
  canvas.height = video.videoHeight;
  canvas.getContext('2d')!.drawImage(video, 0, 0);
  return new Promise((resolve, reject) => canvas.toBlob((blob) => (blob ? resolve(blob) : reject(new Error('no frame'))), 'image/png'));
}

export class CameraCapture extends LitElement {
  static override properties = { stream: { state: true }, message: { state: true }, busy: { state: true } };
  declare stream: MediaStream | undefined;
  declare message: string;
  declare busy: boolean;

  constructor() {
    super();
    this.message = '';
    this.busy = false;
  }

  static override styles = [
    base,
    css`
      dialog {
        width: min(100vw, 960px);
        max-width: 100vw;
        max-height: 100dvh;
        padding: 0;
        border: 1px solid var(--line);
        border-radius: 20px;
        background: var(--surface);
        color: var(--text);
      }
      dialog::backdrop {
        background: rgba(0, 0, 0, 0.75);
      }
      .frame {
        position: relative;
        background: #000;
        aspect-ratio: 4 / 3;
        max-height: 70dvh;
        width: 100%;
      }
      video {
        width: 100%;
        height: 100%;
        object-fit: contain;
        display: block;
      }
      .bar {
        display: grid;
        grid-template-columns: 1fr auto 1fr;
        align-items: center;
        justify-items: start;
        gap: 0.75rem;
        padding: 0.75rem 1rem 1rem;
      }
      .note {
        padding: 0.75rem 1rem 0;
        font-size: 0.875rem;
        color: var(--text-2);
      }
      .shutter {
        width: 72px;
        height: 72px;
        border-radius: 50%;
        border: 4px solid var(--text);
        background: var(--accent);
        padding: 0;
      }
      .shutter:hover {
        background: var(--accent-strong);
      }
    `,
  ];

  /** Starts the live view, or the system camera when there is none. Call from a user gesture. */
  async open(): Promise<void> {
    this.message = '';
    if (!navigator.mediaDevices?.getUserMedia) {
      this.systemCamera();
      return;
    }
    try {
      this.stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: 'environment', width: { ideal: 4096 }, height: { ideal: 3072 } }, audio: false });
    } catch {
      // Refused or no camera: the system camera app may still be allowed.
      this.systemCamera();
      return;
    }
    await this.updateComplete;
    const video = this.renderRoot.querySelector('video')!;
    video.srcObject = this.stream;
    this.renderRoot.querySelector('dialog')!.showModal();
  }

  private systemCamera(): void {
    this.renderRoot.querySelector<HTMLInputElement>('input[capture]')?.click();
  }

  private close(): void {
    this.stream?.getTracks().forEach((track) => track.stop());
    this.stream = undefined;
    this.renderRoot.querySelector('dialog')?.close();
  }

  private emit(source: PhotoSource): void {
    this.dispatchEvent(new CustomEvent<PhotoSource[]>('photos', { detail: [source] }));
  }

  private async shoot(): Promise<void> {
    const track = this.stream?.getVideoTracks()[0];
    if (!track) return;
    this.busy = true;
    try {
      const Capture = (globalThis as { ImageCapture?: ImageCaptureConstructor }).ImageCapture;
      const still = Capture ? await new Capture(track).takePhoto().catch(() => undefined) : undefined;
      const name = `camera-${timestamp()}`;
      const source = still ? sourceFromBlob(still, `${name}.jpg`) : sourceFromBlob(await frameAsPng(this.renderRoot.querySelector('video')!), `${name}.png`);
      this.close();
      this.emit(source);
    } catch {
      this.message = 'The camera did not deliver a picture. Try again, or use “Open photos”.';
    } finally {
      this.busy = false;
    }
  }

  private picked(event: Event): void {
    const input = event.target as HTMLInputElement;
    const file = input.files?.[0];
    input.value = '';
    if (file) this.emit(sourceFromFile(file));
  }

  override render() {
    return html`
      <input type="file" accept="image/*" capture="environment" hidden @change=${this.picked} />
      <dialog aria-label="Camera" @close=${this.close} @cancel=${this.close}>
        <div class="frame"><video autoplay playsinline muted aria-label="Camera view"></video></div>
        <p class="note">Camera pictures are already processed by the phone, so Tapetum works from an sRGB frame. For the best result, shoot raw (DNG) and open the file.</p>
        ${this.message ? html`<p class="note" role="alert">${this.message}</p>` : nothing}
        <div class="bar">
          <button class="ghost" @click=${this.close}>${icon('close')} Cancel</button>
          <button class="shutter" aria-label="Take photo" ?disabled=${this.busy} @click=${this.shoot}></button>
        </div>
      </dialog>
    `;
  }
}
customElements.define('tp-camera', CameraCapture);
