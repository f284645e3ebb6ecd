/**
 * The app's state without any DOM: the queue of photos, which one is shown, its brightness
 * setting, the running enhancement and the latest render. Components read it and call its
 * methods; it announces every change with a 'change' event. All pixel work is the worker's.
 */
import { QUICK_RENDER_MAX_SIDE, type BackendName, type DisplayImage, type EnhanceResult, type ExportFormat, type ModelTier, type OpenedFile, type Progress, type TapetumWorkerApi, type WorkerErrorInfo } from '../worker/api.ts';

export type SessionApi = Pick<TapetumWorkerApi, 'open' | 'enhance' | 'classic' | 'cancel' | 'exportImage' | 'close'>;

/** Comlink's wrappers, injected so the session runs against a fake worker in tests. */
export interface Messaging {
  proxy<T extends object>(callback: T): T;
  transfer<T>(value: T, transferables: Transferable[]): T;
}

/** Where a photo comes from: a picked or dropped File, a pasted image, the sample, a camera frame. */
export interface PhotoSource {
  name: string;
  read(): Promise<ArrayBuffer>;
}

export type Ratio = number | 'auto';

/** Which backend and model tier run the network ('auto': the engine's choice for this device). */
export interface Processing {
  backend: BackendName | 'auto';
  model: ModelTier | 'auto';
}

export interface Render {
  /**
   * The classic side of the comparison: the opened file's preview (smaller, already there)
   * until the worker's classic development at this render's ratio and size arrives.
   */
  before: DisplayImage;
  /** Whether `before` is that classic development yet ('failed': the preview stays). */
  classic: 'pending' | 'ready' | 'failed';
  after: DisplayImage;
  result: Omit<EnhanceResult, 'after'>;
  /** Full resolution, or the quick low-resolution preview. */
  full: boolean;
  ratio: Ratio;
}

export interface Job {
  kind: 'preview' | 'full';
  progress?: Progress;
  cancelling?: boolean;
}

export interface PhotoItem {
  key: string;
  source: PhotoSource;
  status: 'waiting' | 'opening' | 'ready' | 'failed';
  opened?: OpenedFile;
  /** Why the file could not be opened. */
  error?: WorkerErrorInfo;
  ratio: Ratio;
  render?: Render;
  job?: Job;
  /** Why the last enhancement or export failed. */
  jobError?: WorkerErrorInfo;
  /** The format being encoded for download or sharing. */
  exporting?: ExportFormat;
}

export interface ExportedFile {
  name: string;
  mime: string;
  bytes: Uint8Array;
}

export interface SessionOptions {
  /** Longest side of the quick preview render. */
  previewMaxSide: number;
  /** Wait after a brightness change before rendering, so dragging a slider stays smooth. */
  ratioDebounceMs: number;
}

const DEFAULTS: SessionOptions = { previewMaxSide: QUICK_RENDER_MAX_SIDE, ratioDebounceMs: 200 };

/** What the worker sends when a call fails (plain data), or the best reading of anything else. */
export function errorInfo(error: unknown): WorkerErrorInfo {
  const e = error as Partial<WorkerErrorInfo> | undefined;
  if (e && typeof e.code === 'string' && typeof e.message === 'string') return { code: e.code, message: e.message };
  const message = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message: `Something went wrong (${message}).` };
}

export class PhotoSession extends EventTarget {
  items: PhotoItem[] = [];
  selectedKey?: string;
  processing: Processing = { backend: 'auto', model: 'auto' };
  private readonly options: SessionOptions;
  private opening = false;
  private nextKey = 1;
  private ratioTimer?: ReturnType<typeof setTimeout>;

  constructor(
    private readonly api: SessionApi,
    private readonly messaging: Messaging,
    options: Partial<SessionOptions> = {},
  ) {
    super();
    this.options = { ...DEFAULTS, ...options };
  }

  get selected(): PhotoItem | undefined {
    return this.items.find((item) => item.key === this.selectedKey);
  }

  /** Queues photos and shows the first of them: what was just added is what the person wants to see. */
  add(sources: PhotoSource[]): void {
    if (sources.length === 0) return;
    for (const source of sources) {
      this.items.push({ key: `photo-${this.nextKey++}`, source, status: 'waiting', ratio: 'auto' });
    }
    this.selectedKey = this.items[this.items.length - sources.length]!.key;
    this.changed();
    void this.openWaiting();
  }

  select(key: string): void {
    this.selectedKey = key;
    this.changed();
    const item = this.selected;
    if (item?.status === 'ready' && !item.render && !item.job) void this.enhance(item, 'preview');
  }

  /** Opens queued files one after another (the worker decodes one at a time anyway). */
  private async openWaiting(): Promise<void> {
    if (this.opening) return;
    this.opening = true;
    try {
      for (let item = this.nextWaiting(); item; item = this.nextWaiting()) await this.openItem(item);
    } finally {
      this.opening = false;
    }
  }

  private nextWaiting(): PhotoItem | undefined {
    return this.items.find((item) => item.status === 'waiting');
  }

  private async openItem(item: PhotoItem): Promise<void> {
    item.status = 'opening';
    item.error = undefined;
    this.changed();
    try {
      const bytes = await item.source.read();
      item.opened = await this.api.open(item.source.name, this.messaging.transfer(bytes, [bytes]));
      item.status = 'ready';
    } catch (error) {
      item.status = 'failed';
      item.error = errorInfo(error);
    }
    this.changed();
    if (item.status === 'ready' && item.key === this.selectedKey && this.items.includes(item)) void this.enhance(item, 'preview');
  }

  /** Opens a file that failed again (for example after it finished copying). */
  retry(key: string): void {
    const item = this.items.find((i) => i.key === key);
    if (!item || item.status !== 'failed') return;
    item.status = 'waiting';
    this.changed();
    void this.openWaiting();
  }

  /** A new brightness: a quick preview follows once the setting rests. */
  setRatio(ratio: Ratio): void {
    const item = this.selected;
    if (!item) return;
    item.ratio = ratio;
    this.changed();
    clearTimeout(this.ratioTimer);
    this.ratioTimer = setTimeout(() => {
      if (item.status === 'ready' && this.items.includes(item)) void this.enhance(item, 'preview');
    }, this.options.ratioDebounceMs);
  }

  /** A backend or model choice; every photo's render is redone with it, the shown one now. */
  setProcessing(processing: Processing): void {
    this.processing = processing;
    // In place: a classic image still on its way belongs to the same render.
    for (const item of this.items) if (item.render) item.render.full = false;
    this.changed();
    const item = this.selected;
    if (item?.status === 'ready') void this.enhance(item, 'preview');
  }

  /** Full-resolution enhancement of the shown photo at its current brightness. */
  async renderFull(): Promise<boolean> {
    const item = this.selected;
    return item?.status === 'ready' ? this.enhance(item, 'full') : false;
  }

  /** Whether the shown photo has a full-resolution render at its current brightness. */
  hasFullRender(item: PhotoItem | undefined = this.selected): boolean {
    return Boolean(item?.render?.full && item.render.ratio === item.ratio);
  }

  /**
   * Runs one enhancement. A newer call on the same photo supersedes it: the worker aborts the
   * older run, whose 'cancelled' rejection is then ignored here. Resolves true when it rendered.
   */
  private async enhance(item: PhotoItem, kind: Job['kind']): Promise<boolean> {
    const id = item.opened!.id;
    // A full render already uses the latest brightness: a preview still waiting for it is moot.
    if (kind === 'full') clearTimeout(this.ratioTimer);
    const job: Job = { kind };
    const ratio = item.ratio;
    item.job = job;
    item.jobError = undefined;
    this.changed();
    const onProgress = this.messaging.proxy((progress: Progress) => {
      if (item.job !== job) return;
      job.progress = progress;
      this.changed();
    });
    try {
      const previewMaxSide = kind === 'preview' ? this.options.previewMaxSide : undefined;
      const options = { ratio, ...this.processing, ...(previewMaxSide !== undefined && { previewMaxSide }) };
      const { after, ...result } = await this.api.enhance(id, options, onProgress);
      if (item.job !== job) return false;
      const render: Render = { before: item.opened!.preview, classic: 'pending', after, result, full: kind === 'full', ratio };
      item.render = render;
      void this.loadClassic(item, render, previewMaxSide);
      return true;
    } catch (error) {
      if (item.job !== job) return false;
      const info = errorInfo(error);
      if (info.code !== 'cancelled') item.jobError = info;
      return false;
    } finally {
      if (item.job === job) {
        item.job = undefined;
        this.changed();
      }
    }
  }

  /**
   * Fetches the classic image to compare `render` with and puts it in place of the preview,
   * unless a newer render has replaced that one. A failure keeps the preview: the enhanced
   * image is what matters.
   */
  private async loadClassic(item: PhotoItem, render: Render, previewMaxSide: number | undefined): Promise<void> {
    try {
      const before = await this.api.classic(item.opened!.id, { ratio: render.result.ratioUsed, ...(previewMaxSide !== undefined && { previewMaxSide }) });
      if (item.render !== render) return;
      render.before = before;
      render.classic = 'ready';
    } catch {
      if (item.render !== render) return;
      render.classic = 'failed';
    }
    this.changed();
  }

  cancel(): void {
    const item = this.selected;
    if (!item?.job || !item.opened) return;
    item.job.cancelling = true;
    this.changed();
    void this.api.cancel(item.opened.id);
  }

  /**
   * The shown photo encoded as `format`, from a full-resolution render at the current
   * brightness (rendered first when there is none). Undefined when that render failed or was
   * cancelled; the reason is in jobError.
   */
  async export(format: ExportFormat): Promise<ExportedFile | undefined> {
    const item = this.selected;
    if (!item?.opened || item.status !== 'ready') return undefined;
    if (!this.hasFullRender(item) && !(await this.enhance(item, 'full'))) return undefined;
    item.exporting = format;
    item.jobError = undefined;
    this.changed();
    try {
      return await this.api.exportImage(item.opened.id, format);
    } catch (error) {
      item.jobError = errorInfo(error);
      return undefined;
    } finally {
      item.exporting = undefined;
      this.changed();
    }
  }

  remove(key: string): void {
    const index = this.items.findIndex((item) => item.key === key);
    if (index < 0) return;
    const [item] = this.items.splice(index, 1);
    if (item!.opened) void this.api.close(item!.opened.id);
    if (this.selectedKey === key) this.selectedKey = (this.items[index] ?? this.items[index - 1])?.key;
    this.changed();
    const next = this.selected;
    if (next?.status === 'ready' && !next.render && !next.job) void this.enhance(next, 'preview');
  }

  private changed(): void {
    this.dispatchEvent(new Event('change'));
  }
}
