/** Public API of classic raw development and its building blocks. */
export { develop, developLinear, balancedCameraToSrgb, finishRender, type DevelopOptions } from './develop.ts';
export { applyRatio } from './normalize.ts';
export { packBayer, unpackBayer, bayerOrigin, type PackedBayer, type PackOptions } from './pack.ts';
export { demosaic } from './demosaic.ts';
export { suppressFalseColor } from './false-color.ts';
export { cameraToXyzMatrix, calibrationWeight, forwardFromColorMatrix, neutralToXy, xyToNeutral, type ColorAdaptation, type ColorMetadata } from './camera-color.ts';
export { cctFromXy, xyFromCct, xyToXyz, xyzToXy, D50_XY, D65_XY, type Xy } from './chromaticity.ts';
export { illuminantTemperature, illuminantXy } from './illuminant.ts';
export { bradford, srgbEncode, SRGB_TO_XYZ_D65, XYZ_D50_TO_SRGB } from './srgb.ts';
export { cameraNeutral, whiteBalance } from './white-balance.ts';
export { exposureGain, renderSrgb, srgbCode16, srgbCode8, type RenderTarget } from './tone.ts';
export { orient } from './orientation.ts';
export { cropRect } from './crop.ts';
export { to8bit, type RgbaImage8, type RgbImage, type RgbImage8 } from '../image/rgb-image.ts';
