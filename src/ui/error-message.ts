/** An inline error: what went wrong (the worker's words) and what to do next. */
import { LitElement, css, html } from 'lit';
import type { TapetumErrorCode } from '../pipeline/errors.ts';
import type { WorkerErrorInfo } from '../worker/api.ts';
import { icon } from './icons.ts';
import { base } from './theme.ts';

const NEXT_STEP: Record<TapetumErrorCode, string> = {
  'not-dng': 'Choose a raw .dng file from your camera or phone (best), or a JPEG or PNG photo.',
  unsupported: 'Convert the raw file to DNG with Adobe DNG Converter, or open a different photo.',
  truncated: 'The file is incomplete: copy it again from the camera or card, then open it again.',
  corrupt: 'Copy the file again from the camera or card, or try another photo.',
  'too-large': 'Open a smaller photo, or a crop of this one.',
  model: 'Reload the page while online so the model can be downloaded again.',
  cancelled: 'Start it again when you are ready.',
  internal: 'Try again. If it keeps happening, reload the page.',
};

const TITLE: Record<TapetumErrorCode, string> = {
  'not-dng': 'This file can’t be opened',
  unsupported: 'This raw format isn’t supported',
  truncated: 'This file is incomplete',
  corrupt: 'This file is damaged',
  'too-large': 'This photo is too large',
  model: 'The enhancement model couldn’t load',
  cancelled: 'Stopped',
  internal: 'Something went wrong',
};

export class ErrorMessage extends LitElement {
  static override properties = { error: { attribute: false }, context: {} };
  declare error: WorkerErrorInfo | undefined;
  /** What was being done, e.g. the file name. */
  declare context: string | undefined;

  static override styles = [
    base,
    css`
      :host {
        display: block;
      }
      .box {
        display: flex;
        gap: 0.75rem;
        padding: 1rem;
        border-radius: 14px;
        border: 1px solid var(--danger-line);
        background: var(--danger-bg);
      }
      .box > svg {
        color: var(--danger);
        margin-top: 2px;
      }
      h3 {
        font-size: 1rem;
        margin-bottom: 0.25rem;
      }
      .message {
        color: var(--text);
        overflow-wrap: anywhere;
      }
      .next {
        margin-top: 0.5rem;
        color: var(--text-2);
      }
      .actions {
        display: flex;
        flex-wrap: wrap;
        gap: 0.5rem;
        margin-top: 0.75rem;
      }
    `,
  ];

  override render() {
    const error = this.error;
    if (!error) return html``;
    return html`
      <div class="box" role="alert">
        ${icon('alert')}
        <div>
          <h3>${TITLE[error.code] ?? TITLE.internal}${this.context ? html`: <span class="muted">${this.context}</span>` : ''}</h3>
          <p class="message">${error.message}</p>
          <p class="next"><strong>What to do:</strong> ${NEXT_STEP[error.code] ?? NEXT_STEP.internal}</p>
          <div class="actions"><slot></slot></div>
        </div>
      </div>
    `;
  }
}
customElements.define('tp-error', ErrorMessage);
