/** Public API of the sRGB unprocessing path (camera frames, JPEG, PNG -> the DNG path). */
export { unprocessFile, unprocessSrgb } from './unprocess.ts';
export { decodeSrgbFile, exifOrientation, srgbFormatOf, type SrgbFormat, type SrgbImage } from './srgb-file.ts';
