/**
 * Brightness: the automatic amplification, or a manual one on a logarithmic slider (x1 to
 * x300, the range the engine accepts). Emits 'ratio-change' with a number or 'auto'.
 */
import { LitElement, css, html } from 'lit';
import { MAX_RATIO, MIN_RATIO, STEPS, ratioToSlider, sliderToRatio } from './brightness-scale.ts';
import { ratioValue } from './format.ts';
import type { Ratio } from './session.ts';
import { base } from './theme.ts';

export class BrightnessControl extends LitElement {
  static override properties = { ratio: { attribute: false }, autoRatio: { type: Number } };
  declare ratio: Ratio;
  /** What 'auto' chose for this photo. */
  declare autoRatio: number;

  constructor() {
    super();
    this.ratio = 'auto';
    this.autoRatio = 1;
  }

  static override styles = [
    base,
    css`
      :host {
        display: block;
      }
      .head {
        display: flex;
        align-items: center;
        justify-content: space-between;
        gap: 0.5rem;
      }
      label {
        font-weight: 600;
      }
      .head label {
        margin-right: auto;
      }
      .amount {
        display: inline-flex;
        align-items: center;
        gap: 0.15rem;
        color: var(--accent);
        font-weight: 650;
      }
      .amount input {
        width: 4.2rem;
        min-height: 44px;
        padding: 0 0.4rem;
        border: 1px solid var(--line);
        border-radius: 10px;
        background: var(--surface-2);
        color: var(--accent);
        font: inherit;
        font-variant-numeric: tabular-nums;
        text-align: right;
        appearance: textfield;
        -moz-appearance: textfield;
      }
      .amount input::-webkit-inner-spin-button,
      .amount input::-webkit-outer-spin-button {
        -webkit-appearance: none;
        margin: 0;
      }
      .auto[aria-pressed='true'] {
        background: var(--accent-soft);
        border-color: var(--accent);
        color: var(--accent);
      }
      input[type='range'] {
        width: 100%;
        height: 48px;
        margin: 0.25rem 0 0;
        accent-color: var(--accent);
        background: transparent;
        cursor: pointer;
      }
      .scale {
        display: flex;
        justify-content: space-between;
        font-size: 0.8125rem;
        color: var(--text-2);
      }
    `,
  ];

  private emit(ratio: Ratio): void {
    this.dispatchEvent(new CustomEvent<Ratio>('ratio-change', { detail: ratio }));
  }

  /** A typed amplification, clamped to the range; anything unreadable leaves the setting alone. */
  private typed(event: Event): void {
    const input = event.target as HTMLInputElement;
    const value = Number(input.value);
    if (Number.isFinite(value) && value > 0) this.emit(Math.min(Math.max(value, MIN_RATIO), MAX_RATIO));
    else this.requestUpdate();
  }

  override render() {
    const auto = this.ratio === 'auto';
    const shown = auto ? this.autoRatio : (this.ratio as number);
    return html`
      <div class="head">
        <label for="slider">Brightness</label>
        <span class="amount"
          >×<input
            type="number"
            inputmode="decimal"
            min=${MIN_RATIO}
            max=${MAX_RATIO}
            step="any"
            aria-label="Amplification, 1 to 300"
            .value=${String(ratioValue(shown))}
            @change=${this.typed}
        /></span>
        <button class="auto" aria-pressed=${auto ? 'true' : 'false'} @click=${() => this.emit('auto')} title="Let Tapetum choose the brightness">Auto</button>
      </div>
      <input
        id="slider"
        type="range"
        min="0"
        max=${STEPS}
        step="1"
        .value=${String(ratioToSlider(shown))}
        aria-valuetext="${auto ? 'automatic, ' : ''}amplified ${Math.round(shown)} times"
        @input=${(e: Event) => this.emit(sliderToRatio(Number((e.target as HTMLInputElement).value)))}
      />
      <div class="scale" aria-hidden="true"><span>Darker</span><span>Brighter</span></div>
    `;
  }
}
customElements.define('tp-brightness', BrightnessControl);
