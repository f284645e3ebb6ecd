/**
 * The processing worker: everything that touches pixels or the network runs here, exposed to
 * the page with Comlink (see api.ts). Large results are transferred, not copied.
 */
import * as Comlink from 'comlink';
import { cropRect } from '../pipeline/develop/crop.ts';
import { develop, developLinear } from '../pipeline/develop/develop.ts';
import type { RenderTarget } from '../pipeline/develop/tone.ts';
import { decodeDng } from '../pipeline/dng/decode.ts';
import { linearize } from '../pipeline/dng/linearize.ts';
import type { DecodedDng, LinearRaw } from '../pipeline/dng/types.ts';
import { autoRatio } from '../pipeline/enhance/auto-ratio.ts';
import { enhanceLinear, renderEnhanced } from '../pipeline/enhance/enhance.ts';
import { enhancedDng } from '../pipeline/enhance/export-dng.ts';
import { isTapetumError, TapetumError } from '../pipeline/errors.ts';
import { encodeJpeg } from '../pipeline/image/encode-jpeg.ts';
import { recycleFloat32 } from '../pipeline/image/float-pool.ts';
import { encodePng } from '../pipeline/image/encode-png.ts';
import { to8bit, type RgbaImage8, type RgbImage } from '../pipeline/image/rgb-image.ts';
import { srgbFormatOf, unprocessFile } from '../pipeline/unprocess/index.ts';
import {
  QUICK_RENDER_MAX_SIDE,
  type BackendName,
  type ClassicOptions,
  type DisplayImage,
  type EnhanceOptions,
  type EnhanceResult,
  type ExportFormat,
  type ModelTier,
  type OpenedFile,
  type Phase,
  type Progress,
  type TapetumWorkerApi,
  type TapetumWorkerDiagnostics,
} from './api.ts';
import { defaultTileSize, isAvailable } from './backend-choice.ts';
import { describeCapabilities, deviceMemoryGiB, loseWebGpuDevice, probeEnvironment } from './backends.ts';
import { benchmarkModel } from './benchmark.ts';
import { startDecodeHelpers } from './decode-helpers.ts';
import { toDisplay } from './display.ts';
import { binnedDng, binningFactor } from './downscale.ts';
import { errorInfo } from './error-info.ts';
import { featureMaps } from './feature-maps.ts';
import { rememberLastRender } from './last-render.ts';
import { modelFetcher } from './model-source.ts';
import { engineFor, exclusive, runWithFallback, setUpForNextPhoto, type RunContext } from './session.ts';

/** Tile side (packed pixels) the benchmark times on fast backends. */
const BENCHMARK_TILE = 256;

interface OpenFile {
  name: string;
  decoded: DecodedDng;
  decodeMs: number;
  /**
   * `linearize(decoded)`, kept so enhancing and developing at full resolution do not linearize
   * again: a Float32Array of the active area (about 4 bytes per photosite, 48 MB at 12 MP).
   */
  linear: LinearRaw;
  /** The ratio 'auto' stands for, from `linear`: previews and full renders share it. */
  autoRatio: number;
  /** The last full-resolution enhancement: linear output and the ratio it used. */
  enhanced?: { image: LinearRaw; ratio: number };
  /** The binned copy behind the preview of `open` and quick renders, kept while the user adjusts brightness. */
  lowResolution?: { maxSide: number; decoded: DecodedDng };
  running?: AbortController;
}

/** Started with this worker, so that the first photo does not wait for them. */
const decodeHelpers = startDecodeHelpers();
const files = new Map<string, OpenFile>();
let nextId = 1;

async function reporting<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (error) {
    throw errorInfo(error);
  }
}

function fileOf(id: string): OpenFile {
  const file = files.get(id);
  if (!file) throw new TapetumError('internal', 'This photo is no longer open. Open it again.');
  return file;
}

async function decodeFile(bytes: Uint8Array): Promise<{ decoded: DecodedDng; kind: OpenedFile['kind'] }> {
  if (srgbFormatOf(bytes)) return { decoded: unprocessFile(bytes), kind: 'srgb' };
  return { decoded: await decodeDng(bytes, { helpers: decodeHelpers.jobs }), kind: 'dng' };
}

/** The automatic ratio, or 1 with a warning for files the network cannot take (no Bayer mosaic). */
function chooseAutoRatio(linear: LinearRaw, decoded: DecodedDng, warnings: string[]): number {
  try {
    return autoRatio(linear, decoded.metadata);
  } catch (error) {
    if (!isTapetumError(error) || error.code !== 'unsupported') throw error;
    warnings.push(`${error.message} It can be developed classically but not enhanced.`);
    return 1;
  }
}

async function open(name: string, buffer: ArrayBuffer): Promise<OpenedFile> {
  const start = performance.now();
  const { decoded, kind } = await decodeFile(new Uint8Array(buffer));
  const decodeMs = performance.now() - start;
  const warnings = [...decoded.warnings];
  const linear = linearize(decoded);
  const ratio = chooseAutoRatio(linear, decoded, warnings);
  const file: OpenFile = { name, decoded, decodeMs, linear, autoRatio: ratio };
  const preview = toDisplay(develop(lowResolutionCopy(file, QUICK_RENDER_MAX_SIDE), { ratio }, 'rgba8'));
  const full = outputSize(decoded);
  const id = `file-${nextId++}`;
  files.set(id, file);
  const opened: OpenedFile = { id, name, kind, ...(kind === 'dng' && { metadata: decoded.metadata }), warnings, preview, autoRatio: ratio, ...full };
  return Comlink.transfer(opened, [preview.pixels.buffer]);
}

/** Width and height after DefaultCrop and Orientation, as `develop` will produce them. */
function outputSize({ metadata }: DecodedDng): { width: number; height: number } {
  const { width, height } = cropRect(metadata.defaultCrop, metadata.activeArea.width, metadata.activeArea.height);
  return metadata.orientation >= 5 && metadata.orientation <= 8 ? { width: height, height: width } : { width, height };
}

function progressReporter(onProgress: ((p: Progress) => void) | undefined, start: number) {
  return (phase: Phase, done: number, total: number, etaMs?: number) => {
    void onProgress?.({ phase, done, total, elapsedMs: performance.now() - start, ...(etaMs !== undefined && { etaMs }) });
  };
}

async function enhance(id: string, options: EnhanceOptions, onProgress?: (p: Progress) => void): Promise<EnhanceResult> {
  const file = fileOf(id);
  file.running?.abort();
  const controller = new AbortController();
  file.running = controller;
  const start = performance.now();
  const report = progressReporter(onProgress, start);
  try {
    return await exclusive(async () => {
      if (controller.signal.aborted) throw new TapetumError('cancelled', 'The enhancement was cancelled.');
      report('decode', 1, 1); // decoded when the file was opened
      const lowResolution = options.previewMaxSide !== undefined;
      const source = lowResolution ? lowResolutionCopy(file, options.previewMaxSide!) : file.decoded;
      const outcome = await runWithFallback(
        { backend: options.backend, model: options.model },
        controller.signal,
        ({ engine, signal }) =>
          enhanceLinear(source, lowResolution ? engine.quick : engine.model.unet, {
            ratio: options.ratio === 'auto' ? file.autoRatio : options.ratio,
            // The binned copy has its own linear data; the full one is kept from `open`.
            ...(!lowResolution && { linear: file.linear }),
            tileSize: options.tileSize ?? defaultTileSize(engine.backend.name, engine.model.manifest.architecture, { maxBufferBytes: engine.backend.maxBufferBytes, deviceMemoryGiB: deviceMemoryGiB() }),
            signal,
            onProgress: (p) => report(p.phase, p.done, p.total, p.etaMs),
          }),
        (done, total) => report('load-model', done, total),
      );
      const { image, ratioUsed, timings, window } = outcome.value;
      report('finish', 0, 1);
      const after = toDisplay(renderEnhanced(image, source.metadata, 'rgba8'));
      if (!lowResolution) {
        if (file.enhanced) recycleFloat32(file.enhanced.image.data);
        file.enhanced = { image, ratio: ratioUsed };
        // Only the default window plan repeats for the next photo of this size.
        if (outcome.backend === 'wasm' && options.tileSize === undefined) {
          void rememberLastRender(outcome.backend, outcome.tier, { window, arrayLengths: [file.linear.data.length, image.data.length] });
        }
      }
      report('finish', 1, 1);
      const result: EnhanceResult = {
        after,
        ratioUsed,
        backendUsed: outcome.backend,
        modelUsed: outcome.tier,
        ...(outcome.fallback && { fallback: outcome.fallback }),
        timingsMs: { decode: file.decodeMs, infer: timings.inferMs, total: file.decodeMs + performance.now() - start },
      };
      return Comlink.transfer(result, [after.pixels.buffer]);
    });
  } finally {
    if (file.running === controller) file.running = undefined;
  }
}

function lowResolutionCopy(file: OpenFile, maxSide: number): DecodedDng {
  if (file.lowResolution?.maxSide !== maxSide) {
    const { linear } = file;
    file.lowResolution = { maxSide, decoded: binnedDng(file.decoded, linear, binningFactor(linear.width, linear.height, maxSide)) };
  }
  return file.lowResolution.decoded;
}

/** Classic development at `ratio` of the full photo, or of the low-resolution copy when previewMaxSide is given. */
function classicImage(file: OpenFile, ratio: number, previewMaxSide: number | undefined, target: 'rgba8'): RgbaImage8;
function classicImage(file: OpenFile, ratio: number, previewMaxSide: number | undefined, target: 'rgb16'): RgbImage;
function classicImage(file: OpenFile, ratio: number, previewMaxSide: number | undefined, target: RenderTarget): RgbImage | RgbaImage8 {
  if (previewMaxSide !== undefined) return develop(lowResolutionCopy(file, previewMaxSide), { ratio }, target);
  return developLinear(file.linear, file.decoded.metadata, { ratio }, target);
}

/** One pixel job at a time, like enhance: the comparison image waits for a running enhancement. */
async function classic(id: string, { ratio, previewMaxSide }: ClassicOptions): Promise<DisplayImage> {
  return exclusive(async () => {
    const image = toDisplay(classicImage(fileOf(id), ratio, previewMaxSide, 'rgba8'));
    return Comlink.transfer(image, [image.pixels.buffer]);
  });
}

const MIME: Record<ExportFormat, string> = { png: 'image/png', png16: 'image/png', jpeg: 'image/jpeg', dng: 'image/x-adobe-dng' };
const EXTENSION: Record<ExportFormat, string> = { png: 'png', png16: 'png', jpeg: 'jpg', dng: 'dng' };

function encode(format: Exclude<ExportFormat, 'dng'>, image: RgbImage): Uint8Array {
  if (format === 'png16') return encodePng(image);
  return format === 'png' ? encodePng(to8bit(image)) : encodeJpeg(to8bit(image));
}

async function exportImage(id: string, format: ExportFormat): Promise<{ name: string; mime: string; bytes: Uint8Array }> {
  const file = fileOf(id);
  const { metadata } = file.decoded;
  let bytes: Uint8Array;
  if (format === 'dng') {
    if (!file.enhanced) throw new TapetumError('unsupported', 'Enhance the photo before exporting a DNG: the original file already is the unenhanced raw.');
    bytes = enhancedDng(file.enhanced.image, metadata);
  } else {
    bytes = encode(format, file.enhanced ? renderEnhanced(file.enhanced.image, metadata) : classicImage(file, file.autoRatio, undefined, 'rgb16'));
  }
  const stem = file.name.replace(/\.[^.]*$/, '') || 'photo';
  const name = `${stem}${file.enhanced ? '-tapetum' : ''}.${EXTENSION[format]}`;
  return Comlink.transfer({ name, mime: MIME[format], bytes }, [bytes.buffer]);
}

async function benchmark(backend: BackendName, model: ModelTier) {
  return exclusive(async () => {
    const { probe } = await probeEnvironment();
    if (!isAvailable(probe, backend)) throw new TapetumError('unsupported', `The ${backend} backend is not available in this browser.`);
    const engine = await engineFor(backend, model, probe);
    return benchmarkModel(engine.quick, modelFetcher(model), BENCHMARK_TILE);
  });
}

/**
 * Queued like an enhancement, whose engine it is: one that follows finds it ready or waits for it.
 * Then the set-up for the last session's window shape, unless a photo was opened meanwhile (the
 * system launched the app with it): that photo's preview would wait seconds for it.
 */
async function prepare(options: Pick<EnhanceOptions, 'backend' | 'model'>) {
  return exclusive(async () => {
    const setUp = ({ engine }: RunContext) => (files.size === 0 ? setUpForNextPhoto(engine) : Promise.resolve(undefined));
    const outcome = await runWithFallback({ backend: options.backend, model: options.model }, undefined, setUp);
    return { backend: outcome.backend, model: outcome.tier, ...(outcome.value && { warmedWindow: outcome.value }) };
  });
}

/**
 * Forgets the photo. Its large arrays go to the next photo of the same size, unless a job still
 * runs on them (it stops at its next check of the cancel signal).
 */
function close(id: string): void {
  const file = files.get(id);
  if (!file) return;
  files.delete(id);
  if (file.running) {
    file.running.abort();
    return;
  }
  recycleFloat32(file.linear.data);
  if (file.enhanced) recycleFloat32(file.enhanced.image.data);
}

const api: TapetumWorkerApi & TapetumWorkerDiagnostics = {
  capabilities: () => reporting(async () => describeCapabilities(await probeEnvironment())),
  prepare: (options) => reporting(() => prepare(options)),
  open: (name, bytes) => reporting(() => open(name, bytes)),
  enhance: (id, options, onProgress) => reporting(() => enhance(id, options, onProgress)),
  classic: (id, options) => reporting(() => classic(id, options)),
  cancel: async (id) => files.get(id)?.running?.abort(),
  exportImage: (id, format) => reporting(() => exportImage(id, format)),
  close: async (id) => close(id),
  benchmark: (backend, model) => reporting(() => benchmark(backend, model)),
  featureMaps: (request) => reporting(() => featureMaps(request, request.fileId === undefined ? undefined : fileOf(request.fileId))),
  loseGpuDevice: async () => loseWebGpuDevice(),
  stopDecodeHelpers: async () => decodeHelpers.terminate(),
};

Comlink.expose(api);
