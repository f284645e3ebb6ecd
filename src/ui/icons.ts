/** Line icons (24 x 24 stroke paths, drawn for this app), decorative: labels carry the meaning. */
import { svg, type TemplateResult } from 'lit';

const PATHS = {
  open: svg`<path d="M3 7a2 2 0 0 1 2-2h4l2 2h8a2 2 0 0 1 2 2v8a2 2 0 0 1-2 2H5a2 2 0 0 1-2-2z"/><path d="M12 11v5m-2.5-2.5L12 11l2.5 2.5"/>`,
  camera: svg`<path d="M4 8h3l2-3h6l2 3h3v11H4z"/><circle cx="12" cy="13" r="3.5"/>`,
  sparkle: svg`<path d="M12 3l1.8 5.2L19 10l-5.2 1.8L12 17l-1.8-5.2L5 10l5.2-1.8z"/><path d="M19 16l.7 1.8 1.8.7-1.8.7L19 21l-.7-1.8-1.8-.7 1.8-.7z"/>`,
  download: svg`<path d="M12 4v11m-4-4 4 4 4-4M5 20h14"/>`,
  share: svg`<circle cx="6" cy="12" r="2.5"/><circle cx="18" cy="6" r="2.5"/><circle cx="18" cy="18" r="2.5"/><path d="m8.2 10.8 7.6-3.6m-7.6 6 7.6 3.6"/>`,
  close: svg`<path d="M6 6l12 12M18 6 6 18"/>`,
  zoomIn: svg`<circle cx="11" cy="11" r="6.5"/><path d="m20 20-4.2-4.2M11 8v6m-3-3h6"/>`,
  zoomOut: svg`<circle cx="11" cy="11" r="6.5"/><path d="m20 20-4.2-4.2M8 11h6"/>`,
  fit: svg`<path d="M4 9V4h5m6 0h5v5m0 6v5h-5m-6 0H4v-5"/>`,
  gauge: svg`<path d="M4 16a8 8 0 1 1 16 0"/><path d="m12 16 4-5"/>`,
  back: svg`<path d="M15 5l-7 7 7 7"/>`,
  alert: svg`<path d="M12 4 2.5 20h19z"/><path d="M12 10v4m0 3v.01"/>`,
  refresh: svg`<path d="M20 11a8 8 0 1 0-2.3 5.7"/><path d="M20 5v6h-6"/>`,
  copy: svg`<rect x="8" y="8" width="12" height="12" rx="2"/><path d="M16 8V5a1 1 0 0 0-1-1H5a1 1 0 0 0-1 1v10a1 1 0 0 0 1 1h3"/>`,
  eye: svg`<path d="M2 12s3.5-6 10-6 10 6 10 6-3.5 6-10 6S2 12 2 12z"/><circle cx="12" cy="12" r="3"/>`,
  shield: svg`<path d="M12 3 5 6v5c0 4.5 3 8 7 10 4-2 7-5.5 7-10V6z"/><path d="m9 12 2 2 4-4"/>`,
  layers: svg`<path d="m12 3 9 5-9 5-9-5z"/><path d="m3 13 9 5 9-5"/>`,
};

export type IconName = keyof typeof PATHS;

export function icon(name: IconName): TemplateResult {
  return svg`<svg class="icon" viewBox="0 0 24 24" aria-hidden="true" focusable="false">${PATHS[name]}</svg>`;
}
