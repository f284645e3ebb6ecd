/**
 * Shared look: a dark theme for night photography (deep blue-black surfaces, a warm gold accent
 * like the eye-shine the app is named after), large touch targets, visible focus rings.
 * Colours are CSS custom properties set on :root in index.html, so every component agrees.
 */
import { css } from 'lit';

export const base = css`
  :host {
    box-sizing: border-box;
    color: var(--text);
    font: inherit;
  }
  *,
  *::before,
  *::after {
    box-sizing: inherit;
  }
  h2,
  h3 {
    margin: 0;
    font-weight: 600;
    letter-spacing: 0.01em;
  }
  p {
    margin: 0;
  }
  button,
  .button {
    display: inline-flex;
    align-items: center;
    justify-content: center;
    gap: 0.5rem;
    min-height: 48px;
    min-width: 48px;
    padding: 0 1.1rem;
    border: 1px solid var(--line);
    border-radius: 12px;
    background: var(--surface-2);
    color: var(--text);
    font: inherit;
    font-weight: 550;
    cursor: pointer;
    text-decoration: none;
    transition: background 120ms, border-color 120ms, transform 80ms;
  }
  button:hover,
  .button:hover {
    background: var(--surface-3);
  }
  button:active,
  .button:active {
    transform: scale(0.98);
  }
  button:disabled {
    opacity: 0.45;
    cursor: default;
    transform: none;
  }
  button.primary,
  .button.primary {
    background: var(--accent);
    border-color: var(--accent);
    color: var(--on-accent);
  }
  button.primary:hover,
  .button.primary:hover {
    background: var(--accent-strong);
  }
  button.ghost {
    background: transparent;
    border-color: transparent;
  }
  button.ghost:hover {
    background: var(--surface-2);
  }
  :focus-visible {
    outline: 3px solid var(--focus);
    outline-offset: 2px;
  }
  svg.icon {
    width: 22px;
    height: 22px;
    flex: none;
    fill: none;
    stroke: currentColor;
    stroke-width: 2;
    stroke-linecap: round;
    stroke-linejoin: round;
  }
  .muted {
    color: var(--text-2);
  }
  .visually-hidden {
    position: absolute;
    width: 1px;
    height: 1px;
    overflow: hidden;
    clip: rect(0 0 0 0);
    white-space: nowrap;
  }
  .card {
    background: var(--surface);
    border: 1px solid var(--line);
    border-radius: 16px;
    padding: 1rem;
  }
`;
