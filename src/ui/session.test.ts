import { afterEach, describe, expect, it, vi } from 'vitest';
import type { ClassicOptions, DisplayImage, EnhanceOptions, EnhanceResult, ExportFormat, OpenedFile, Progress } from '../worker/api.ts';
import { PhotoSession, type Messaging, type PhotoSource, type SessionApi } from './session.ts';

const image = (width: number): DisplayImage => ({ width, height: width, pixels: new Uint8ClampedArray(width * width * 4) });

interface Call {
  id: string;
  options: EnhanceOptions;
  onProgress?: (p: Progress) => void;
  resolve(r: EnhanceResult): void;
  reject(e: unknown): void;
}

interface ClassicCall {
  id: string;
  options: ClassicOptions;
  resolve(image: DisplayImage): void;
  reject(e: unknown): void;
}

/** A worker stand-in: opens succeed unless the name says "bad"; enhance and classic calls wait to be settled. */
class FakeWorker implements SessionApi {
  opened: string[] = [];
  enhanceCalls: Call[] = [];
  classicCalls: ClassicCall[] = [];
  cancelled: string[] = [];
  closed: string[] = [];
  exports: ExportFormat[] = [];

  async open(name: string, bytes: ArrayBuffer): Promise<OpenedFile> {
    this.opened.push(name);
    if (name.includes('bad')) throw { code: 'truncated', message: 'The file is truncated.' };
    return { id: `id-${name}`, name, kind: 'dng', warnings: [], preview: image(4), autoRatio: 50, width: bytes.byteLength, height: 1 };
  }

  enhance(id: string, options: EnhanceOptions, onProgress?: (p: Progress) => void): Promise<EnhanceResult> {
    // The real worker aborts a file's running enhancement when a new one starts.
    for (const call of this.enhanceCalls) if (call.id === id) call.reject({ code: 'cancelled', message: 'cancelled' });
    return new Promise((resolve, reject) => this.enhanceCalls.push({ id, options, onProgress, resolve, reject }));
  }

  classic(id: string, options: ClassicOptions): Promise<DisplayImage> {
    return new Promise((resolve, reject) => this.classicCalls.push({ id, options, resolve, reject }));
  }

  async cancel(id: string): Promise<void> {
    this.cancelled.push(id);
    for (const call of this.enhanceCalls) if (call.id === id) call.reject({ code: 'cancelled', message: 'cancelled' });
  }

  async exportImage(_id: string, format: ExportFormat) {
    this.exports.push(format);
    return { name: `x.${format}`, mime: 'image/png', bytes: new Uint8Array(3) };
  }

  async close(id: string): Promise<void> {
    this.closed.push(id);
  }

  /** Settles the latest enhance call successfully. */
  finishLatest(ratioUsed = 50): void {
    const call = this.enhanceCalls.at(-1)!;
    call.resolve({ after: image(2), ratioUsed, backendUsed: 'wasm', modelUsed: 'fast', timingsMs: { decode: 1, infer: 2, total: 3 } });
  }
}

const messaging: Messaging = { proxy: (f) => f, transfer: (v) => v };
const source = (name: string): PhotoSource => ({ name, read: async () => new ArrayBuffer(8) });
const settle = () => new Promise((r) => setTimeout(r, 0));

afterEach(() => vi.useRealTimers());

describe('PhotoSession', () => {
  it('opens queued files in order, shows the first and renders a quick preview of it', async () => {
    const worker = new FakeWorker();
    const session = new PhotoSession(worker, messaging, { previewMaxSide: 512 });
    session.add([source('a.dng'), source('b.dng')]);
    await settle();
    expect(worker.opened).toEqual(['a.dng', 'b.dng']);
    expect(session.selected?.source.name).toBe('a.dng');
    expect(session.items.map((i) => i.status)).toEqual(['ready', 'ready']);
    expect(worker.enhanceCalls).toHaveLength(1);
    expect(worker.enhanceCalls[0]!.options).toEqual({ ratio: 'auto', backend: 'auto', model: 'auto', previewMaxSide: 512 });
    worker.finishLatest();
    await settle();
    expect(session.selected?.render?.full).toBe(false);
    expect(session.selected?.job).toBeUndefined();
  });

  it('keeps a failed file with its error and goes on with the next one', async () => {
    const worker = new FakeWorker();
    const session = new PhotoSession(worker, messaging);
    session.add([source('bad.dng'), source('good.dng')]);
    await settle();
    expect(session.items[0]!.status).toBe('failed');
    expect(session.items[0]!.error).toEqual({ code: 'truncated', message: 'The file is truncated.' });
    expect(session.items[1]!.status).toBe('ready');
    session.select(session.items[1]!.key);
    expect(worker.enhanceCalls.map((c) => c.id)).toEqual(['id-good.dng']);
  });

  it('waits for the brightness to rest, then renders one preview at that ratio', async () => {
    const worker = new FakeWorker();
    const session = new PhotoSession(worker, messaging, { ratioDebounceMs: 100 });
    session.add([source('a.dng')]);
    await settle();
    worker.finishLatest();
    await settle();
    vi.useFakeTimers();
    session.setRatio(20);
    session.setRatio(40);
    session.setRatio(80);
    vi.advanceTimersByTime(99);
    expect(worker.enhanceCalls).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(worker.enhanceCalls).toHaveLength(2);
    expect(worker.enhanceCalls[1]!.options.ratio).toBe(80);
  });

  it('does not let a pending brightness preview cancel a full render started after it', async () => {
    const worker = new FakeWorker();
    const session = new PhotoSession(worker, messaging, { ratioDebounceMs: 50 });
    session.add([source('a.dng')]);
    await settle();
    worker.finishLatest();
    await settle();
    vi.useFakeTimers();
    session.setRatio(100);
    const full = session.renderFull();
    vi.advanceTimersByTime(100);
    expect(worker.enhanceCalls.at(-1)!.options).toEqual({ ratio: 100, backend: 'auto', model: 'auto' });
    worker.finishLatest();
    expect(await full).toBe(true);
  });

  it('ignores the cancellation of a superseded run and reports progress of the current one only', async () => {
    const worker = new FakeWorker();
    const session = new PhotoSession(worker, messaging, { ratioDebounceMs: 0 });
    session.add([source('a.dng')]);
    await settle();
    const full = session.renderFull();
    const fullCall = worker.enhanceCalls.at(-1)!;
    fullCall.onProgress?.({ phase: 'infer', done: 1, total: 4, elapsedMs: 10 });
    expect(session.selected?.job).toMatchObject({ kind: 'full', progress: { done: 1 } });
    session.setRatio(30);
    await settle();
    expect(await full).toBe(false);
    const job = session.selected?.job;
    expect(job?.kind).toBe('preview');
    fullCall.onProgress?.({ phase: 'infer', done: 2, total: 4, elapsedMs: 20 });
    expect(job?.progress).toBeUndefined();
    expect(session.selected?.jobError).toBeUndefined();
  });

  it('renders full resolution before exporting, once per brightness', async () => {
    const worker = new FakeWorker();
    const session = new PhotoSession(worker, messaging);
    session.add([source('a.dng')]);
    await settle();
    worker.finishLatest();
    await settle();
    const exported = session.export('png');
    await settle();
    expect(worker.enhanceCalls.at(-1)!.options).toEqual({ ratio: 'auto', backend: 'auto', model: 'auto' });
    worker.finishLatest();
    expect((await exported)?.name).toBe('x.png');
    expect(session.hasFullRender()).toBe(true);
    await session.export('jpeg');
    expect(worker.enhanceCalls).toHaveLength(2);
    expect(worker.exports).toEqual(['png', 'jpeg']);
  });

  it('cancels the running enhancement without showing an error', async () => {
    const worker = new FakeWorker();
    const session = new PhotoSession(worker, messaging);
    session.add([source('a.dng')]);
    await settle();
    const full = session.renderFull();
    session.cancel();
    expect(await full).toBe(false);
    expect(worker.cancelled).toEqual(['id-a.dng']);
    expect(session.selected?.job).toBeUndefined();
    expect(session.selected?.jobError).toBeUndefined();
  });

  it('shows an enhancement failure and stays usable', async () => {
    const worker = new FakeWorker();
    const session = new PhotoSession(worker, messaging);
    session.add([source('a.dng')]);
    await settle();
    worker.enhanceCalls.at(-1)!.reject({ code: 'model', message: 'The model is damaged.' });
    await settle();
    expect(session.selected?.jobError?.code).toBe('model');
    const again = session.renderFull();
    worker.finishLatest();
    expect(await again).toBe(true);
    expect(session.selected?.jobError).toBeUndefined();
  });

  it('renders again with a chosen backend and model, which later full renders use too', async () => {
    const worker = new FakeWorker();
    const session = new PhotoSession(worker, messaging);
    session.add([source('a.dng')]);
    await settle();
    worker.finishLatest();
    await settle();
    session.setProcessing({ backend: 'cpu', model: 'quality' });
    expect(worker.enhanceCalls.at(-1)!.options).toMatchObject({ backend: 'cpu', model: 'quality', previewMaxSide: 768 });
    worker.finishLatest();
    await settle();
    const exported = session.export('png');
    await settle();
    expect(worker.enhanceCalls.at(-1)!.options).toEqual({ ratio: 'auto', backend: 'cpu', model: 'quality' });
    worker.finishLatest();
    await exported;
  });

  it('closes a removed photo in the worker and shows its neighbour', async () => {
    const worker = new FakeWorker();
    const session = new PhotoSession(worker, messaging);
    session.add([source('a.dng'), source('b.dng')]);
    await settle();
    session.remove(session.items[0]!.key);
    expect(worker.closed).toEqual(['id-a.dng']);
    expect(session.selected?.source.name).toBe('b.dng');
    expect(worker.enhanceCalls.at(-1)!.id).toBe('id-b.dng');
  });

  it('shows the enhanced image at once, the opened preview standing in until the classic image comes', async () => {
    const worker = new FakeWorker();
    const session = new PhotoSession(worker, messaging, { previewMaxSide: 512 });
    session.add([source('a.dng')]);
    await settle();
    worker.finishLatest(60);
    await settle();
    const item = session.selected!;
    expect(item.render?.after.width).toBe(2);
    expect(item.render?.before).toBe(item.opened!.preview);
    expect(item.render?.classic).toBe('pending');
    expect(item.job).toBeUndefined();
    // The classic image of the same source and brightness as the render.
    expect(worker.classicCalls.map((c) => [c.id, c.options])).toEqual([['id-a.dng', { ratio: 60, previewMaxSide: 512 }]]);

    const classic = image(3);
    worker.classicCalls[0]!.resolve(classic);
    await settle();
    expect(item.render?.before).toBe(classic);
    expect(item.render?.classic).toBe('ready');
  });

  it('asks for the full-resolution classic image after a full render', async () => {
    const worker = new FakeWorker();
    const session = new PhotoSession(worker, messaging);
    session.add([source('a.dng')]);
    await settle();
    const full = session.renderFull();
    worker.finishLatest(80);
    expect(await full).toBe(true);
    expect(worker.classicCalls.at(-1)!.options).toEqual({ ratio: 80 });
  });

  it('ignores a classic image of a render that a newer one has replaced', async () => {
    const worker = new FakeWorker();
    const session = new PhotoSession(worker, messaging, { ratioDebounceMs: 0 });
    session.add([source('a.dng')]);
    await settle();
    worker.finishLatest(50);
    await settle();
    session.setRatio(90);
    await settle();
    worker.finishLatest(90);
    await settle();
    const item = session.selected!;
    expect(item.render?.ratio).toBe(90);
    expect(worker.classicCalls.map((c) => c.options.ratio)).toEqual([50, 90]);

    worker.classicCalls[0]!.resolve(image(3));
    await settle();
    expect(item.render?.before).toBe(item.opened!.preview);
    expect(item.render?.classic).toBe('pending');
    const current = image(5);
    worker.classicCalls[1]!.resolve(current);
    await settle();
    expect(item.render?.before).toBe(current);
  });

  it('keeps the enhanced image and the preview when the classic image fails', async () => {
    const worker = new FakeWorker();
    const session = new PhotoSession(worker, messaging);
    session.add([source('a.dng')]);
    await settle();
    worker.finishLatest();
    await settle();
    worker.classicCalls[0]!.reject({ code: 'internal', message: 'Out of memory.' });
    await settle();
    const item = session.selected!;
    expect(item.render?.after.width).toBe(2);
    expect(item.render?.before).toBe(item.opened!.preview);
    expect(item.render?.classic).toBe('failed');
    expect(item.status).toBe('ready');
    expect(item.jobError).toBeUndefined();
  });
});
