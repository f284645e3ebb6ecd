import { describe, expect, it } from 'vitest';
import { MAX_RATIO, MIN_RATIO, STEPS, ratioToSlider, sliderToRatio } from './brightness-scale.ts';
import { formatDuration, formatExposure, formatRatio } from './format.ts';
import { overallFraction, phaseLabel } from './progress-text.ts';

describe('brightness scale', () => {
  it('spans x1 to x300 and puts x100 where a typed 100 lands', () => {
    expect(sliderToRatio(0)).toBe(MIN_RATIO);
    expect(sliderToRatio(STEPS)).toBe(MAX_RATIO);
    for (const ratio of [1, 2, 10, 25, 100, 250, 300]) expect(sliderToRatio(ratioToSlider(ratio))).toBe(ratio);
  });

  it('is logarithmic: equal slider steps are equal factors', () => {
    expect(sliderToRatio(STEPS / 2)).toBe(Number(Math.sqrt(300).toPrecision(2)));
  });
});

describe('progress text', () => {
  it('moves forward through the phases and fills the bar at the end', () => {
    const at = (phase: 'decode' | 'load-model' | 'prepare' | 'infer' | 'finish', done: number, total: number) => overallFraction({ phase, done, total, elapsedMs: 0 });
    const sequence = [at('decode', 1, 1), at('load-model', 0, 3), at('load-model', 3, 3), at('prepare', 1, 1), at('infer', 0, 8), at('infer', 4, 8), at('infer', 8, 8), at('finish', 2, 2)];
    for (let i = 1; i < sequence.length; i++) expect(sequence[i]).toBeGreaterThanOrEqual(sequence[i - 1]!);
    expect(sequence.at(-1)).toBe(1);
  });

  it('names the tile being worked on', () => {
    expect(phaseLabel({ phase: 'infer', done: 2, total: 12, elapsedMs: 0 })).toBe('Enhancing — tile 3 of 12');
    expect(phaseLabel({ phase: 'infer', done: 12, total: 12, elapsedMs: 0 })).toBe('Enhancing — tile 12 of 12');
  });
});

describe('formats', () => {
  it('reads like a camera display', () => {
    expect(formatExposure(1 / 30)).toBe('1/30 s');
    expect(formatExposure(2.5)).toBe('2.5 s');
    expect(formatRatio(100)).toBe('×100');
    expect(formatRatio(2.345)).toBe('×2.3');
    expect(formatDuration(850)).toBe('850 ms');
    expect(formatDuration(3400)).toBe('3.4 s');
    expect(formatDuration(125_000)).toBe('2 min 5 s');
  });
});
