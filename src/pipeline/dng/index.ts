/** Public API of the DNG decoder. */
export { decodeBlocks, decodeDng, DEFAULT_MAX_PIXELS, type BlockHelper, type BlockJob, type DecodeOptions } from './decode';
export { readDngMetadata, type DngMetadataReport } from './metadata';
export { linearize } from './linearize';
export type { DecodedJpeg, LossyJpegDecoder } from './lossy-jpeg';
export type * from './types';
