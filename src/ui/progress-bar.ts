/** What the running enhancement is doing: phase, tiles, time left, and a way to stop it. */
import { LitElement, css, html, nothing } from 'lit';
import { formatDuration } from './format.ts';
import { overallFraction, phaseLabel } from './progress-text.ts';
import type { Job } from './session.ts';
import { base } from './theme.ts';

export class ProgressBar extends LitElement {
  static override properties = { job: { attribute: false, hasChanged: () => true } };
  declare job: Job | undefined;

  static override styles = [
    base,
    css`
      :host {
        display: block;
      }
      .row {
        display: flex;
        align-items: center;
        gap: 0.75rem;
      }
      .text {
        flex: 1;
        min-width: 0;
      }
      .phase {
        font-weight: 600;
      }
      .detail {
        font-size: 0.875rem;
        color: var(--text-2);
        font-variant-numeric: tabular-nums;
      }
      .track {
        height: 6px;
        margin-top: 0.6rem;
        border-radius: 3px;
        background: var(--surface-3);
        overflow: hidden;
      }
      .fill {
        height: 100%;
        background: linear-gradient(90deg, var(--accent-strong), var(--accent));
        border-radius: 3px;
        transition: width 200ms ease-out;
      }
    `,
  ];

  override render() {
    const progress = this.job?.progress;
    const fraction = overallFraction(progress);
    const what = this.job?.kind === 'full' ? 'Full resolution' : 'Quick preview';
    const eta = progress?.etaMs !== undefined && progress.etaMs > 500 ? ` · about ${formatDuration(progress.etaMs)} left` : '';
    return html`
      <div class="row">
        <div class="text" aria-live="polite">
          <div class="phase">${this.job?.cancelling ? 'Stopping…' : phaseLabel(progress)}</div>
          <div class="detail">${what}${progress ? ` · ${formatDuration(progress.elapsedMs)}${eta}` : ''}</div>
        </div>
        ${this.job
          ? html`<button class="ghost" @click=${() => this.dispatchEvent(new Event('cancel'))} ?disabled=${this.job.cancelling ?? false}>Cancel</button>`
          : nothing}
      </div>
      <div class="track" role="progressbar" aria-label="${what} progress" aria-valuemin="0" aria-valuemax="100" aria-valuenow=${Math.round(fraction * 100)}>
        <div class="fill" style="width: ${(fraction * 100).toFixed(1)}%"></div>
      </div>
    `;
  }
}
customElements.define('tp-progress', ProgressBar);
