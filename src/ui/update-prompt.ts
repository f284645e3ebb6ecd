/** "A new version is ready": shown when the service worker has an update waiting. */
import { LitElement, css, html, nothing } from 'lit';
import { icon } from './icons.ts';
import { base } from './theme.ts';

export class UpdatePrompt extends LitElement {
  static override properties = { open: { type: Boolean, reflect: true } };
  declare open: boolean;

  constructor() {
    super();
    this.open = false;
  }

  static override styles = [
    base,
    css`
      :host {
        position: fixed;
        left: 50%;
        bottom: max(16px, env(safe-area-inset-bottom));
        transform: translateX(-50%);
        z-index: 20;
        width: min(calc(100vw - 24px), 460px);
      }
      .toast {
        display: flex;
        align-items: center;
        gap: 0.75rem;
        padding: 0.6rem 0.6rem 0.6rem 1rem;
        border-radius: 16px;
        border: 1px solid var(--line);
        background: var(--surface-2);
        box-shadow: 0 12px 32px rgba(0, 0, 0, 0.5);
      }
      p {
        flex: 1;
      }
    `,
  ];

  override render() {
    if (!this.open) return nothing;
    return html`
      <div class="toast" role="status">
        <p>A new version of Tapetum is ready.</p>
        <button class="ghost" @click=${() => (this.open = false)}>Later</button>
        <button class="primary" @click=${() => this.dispatchEvent(new Event('reload'))}>${icon('refresh')} Reload</button>
      </div>
    `;
  }
}
customElements.define('tp-update', UpdatePrompt);
