/**
 * The enhanced image as a 16-bit LinearRaw DNG that raw converters (LibRaw, darktable,
 * Lightroom) develop like the original, only brightened and denoised.
 *
 * The network's output is white balanced; the DNG colour model expects camera RGB, whose
 * white balance the converter applies from AsShotNeutral. So the data is taken back to camera
 * RGB (times the shot's neutral) and every colour tag of the original is kept: the converter
 * then finds the same white, the same matrices and the same crop and orientation as for the
 * original file, and the user can still change the white balance. Black is 0, white 65535; the
 * noise profile is dropped since the noise is gone.
 */
import type { DngMetadata, LinearRaw } from '../dng/types.ts';
import { writeDng, type DngWriteMetadata } from '../dng/writer.ts';
import { cameraNeutral } from '../develop/white-balance.ts';

const KEPT_TAGS = [
  'make',
  'model',
  'uniqueCameraModel',
  'defaultCrop',
  'orientation',
  'asShotNeutral',
  'asShotWhiteXY',
  'colorMatrix1',
  'colorMatrix2',
  'calibrationIlluminant1',
  'calibrationIlluminant2',
  'forwardMatrix1',
  'forwardMatrix2',
  'cameraCalibration1',
  'cameraCalibration2',
  'analogBalance',
  'baselineExposure',
  'iso',
  'exposureTime',
  'fNumber',
] as const satisfies readonly (keyof DngWriteMetadata)[];

function keptMetadata(metadata: DngMetadata): DngWriteMetadata {
  const kept: Record<string, unknown> = {};
  for (const tag of KEPT_TAGS) if (metadata[tag] !== undefined) kept[tag] = metadata[tag];
  return {
    ...(kept as Partial<DngWriteMetadata>),
    bitsPerSample: 16,
    blackLevel: { repeatRows: 1, repeatCols: 1, values: [0, 0, 0] },
    whiteLevel: [65535, 65535, 65535],
  };
}

/** Balanced camera RGB (neutral at 1, 1, 1) -> camera RGB in 16 bits, clipped to the white level. */
function cameraRgb16(image: LinearRaw, metadata: DngMetadata): Uint16Array {
  const neutral = cameraNeutral(metadata);
  const data = new Uint16Array(image.data.length);
  for (let i = 0; i < data.length; i++) {
    const v = image.data[i]! * neutral[i % 3]!;
    data[i] = v >= 1 ? 65535 : v > 0 ? Math.round(v * 65535) : 0;
  }
  return data;
}

/** DNG bytes of an enhanced image (`enhanceLinear`'s image) of the file with `metadata`. */
export function enhancedDng(image: LinearRaw, metadata: DngMetadata): Uint8Array {
  // Lossless JPEG strips: LibRaw 0.20 misreads LinearRaw tiles wider than the image, strips
  // read back exactly everywhere.
  return writeDng(
    { stored: { width: image.width, height: image.height, samplesPerPixel: 3, data: cameraRgb16(image, metadata) }, metadata: keptMetadata(metadata) },
    { layout: { kind: 'strips' }, compression: 7 },
  );
}
