/** How numbers read in the UI: durations, exposure, sizes, ratios. */

export function formatDuration(ms: number): string {
  if (ms < 1000) return `${Math.round(ms)} ms`;
  if (ms < 60_000) return `${(ms / 1000).toFixed(ms < 10_000 ? 1 : 0)} s`;
  const minutes = Math.floor(ms / 60_000);
  return `${minutes} min ${Math.round((ms % 60_000) / 1000)} s`;
}

/** 1/30 s for short exposures, 2.5 s for long ones. */
export function formatExposure(seconds: number): string {
  if (seconds >= 0.5) return `${Number(seconds.toFixed(1))} s`;
  return `1/${Math.round(1 / seconds)} s`;
}

export function formatMegapixels(width: number, height: number): string {
  return `${width} × ${height} (${((width * height) / 1e6).toFixed(1)} MP)`;
}

/** An amplification as a person reads it: whole numbers from 10 up, one decimal below. */
export function ratioValue(ratio: number): number {
  return ratio >= 10 ? Math.round(ratio) : Number(ratio.toFixed(1));
}

export function formatRatio(ratio: number): string {
  return `×${ratioValue(ratio)}`;
}

export function formatBytes(bytes: number): string {
  if (bytes < 1e6) return `${Math.round(bytes / 1e3)} kB`;
  return `${(bytes / 1e6).toFixed(1)} MB`;
}
