/**
 * The unprocessing path for sRGB images (camera frames, JPEG, PNG): sRGB codes -> linear
 * light -> an RGGB mosaic of a "neutral camera" whose colour space is linear sRGB (no
 * ColorMatrix, AsShotNeutral 1,1,1) -> a 16-bit raster wrapped as a `DecodedDng`.
 * From there everything (packing, the U-Net, classic development, export) is the DNG path,
 * so both kinds of input meet the network in the same form. A raw DNG still gives better
 * results: a JPEG's shadows were quantized and denoised by the camera before we see them.
 */
import type { DecodedDng, DngMetadata } from '../dng/types.ts';
import { srgbToLinear } from '../metrics/transfer.ts';
import { decodeSrgbFile, type SrgbImage } from './srgb-file.ts';

const WHITE = 65535;

/** Stored 16-bit linear value for every code of an 8- or 16-bit sRGB image. */
function linearTable(codes: number): Uint16Array {
  const table = new Uint16Array(codes);
  for (let c = 0; c < codes; c++) table[c] = Math.round(srgbToLinear(c / (codes - 1)) * WHITE);
  return table;
}

const TABLES = new Map<number, Uint16Array>();
function tableFor(data: Uint8Array | Uint16Array): Uint16Array {
  const codes = data instanceof Uint16Array ? 65536 : 256;
  let table = TABLES.get(codes);
  if (!table) TABLES.set(codes, (table = linearTable(codes)));
  return table;
}

/**
 * Mosaic of the image in RGGB order (red at even rows and columns). Odd sizes are padded by
 * repeating the last row/column so every output pixel has a full 2x2 quad; DefaultCrop
 * removes the padding again.
 */
export function unprocessSrgb(image: SrgbImage): DecodedDng {
  const { width, height, data: codes } = image;
  const table = tableFor(codes);
  const stride = width + (width & 1);
  const rows = height + (height & 1);
  const mosaic = new Uint16Array(stride * rows);
  for (let y = 0; y < rows; y++) {
    const sourceRow = Math.min(y, height - 1) * width;
    for (let x = 0; x < stride; x++) {
      const channel = (y & 1) + (x & 1); // R 0, G 1, B 2 for RGGB
      mosaic[y * stride + x] = table[codes[(sourceRow + Math.min(x, width - 1)) * 3 + channel]!]!;
    }
  }
  return { metadata: neutralCameraMetadata(stride, rows, width, height, image.orientation), stored: { width: stride, height: rows, samplesPerPixel: 1, data: mosaic }, warnings: [] };
}

function neutralCameraMetadata(width: number, height: number, cropWidth: number, cropHeight: number, orientation: number): DngMetadata {
  return {
    width,
    height,
    bitsPerSample: 16,
    compression: 1,
    photometric: 'cfa',
    samplesPerPixel: 1,
    cfaPattern: [0, 1, 1, 2],
    activeArea: { x: 0, y: 0, width, height },
    defaultCrop: { x: 0, y: 0, width: cropWidth, height: cropHeight },
    blackLevel: { repeatRows: 1, repeatCols: 1, values: [0] },
    whiteLevel: [WHITE],
    orientation,
    asShotNeutral: [1, 1, 1],
    opcodes: [],
  };
}

/** A JPEG or PNG file, unprocessed (see above); throws TapetumError for anything else. */
export function unprocessFile(bytes: Uint8Array): DecodedDng {
  return unprocessSrgb(decodeSrgbFile(bytes));
}
