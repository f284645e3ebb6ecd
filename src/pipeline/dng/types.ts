/** Colour of one CFA site, as in the DNG CFAPattern tag: 0 red, 1 green, 2 blue. */
export type CfaColor = 0 | 1 | 2;

/** A 3x3 matrix, row-major. */
export type Matrix3 = [number, number, number, number, number, number, number, number, number];

/** Where the image lies inside the stored raster, in stored pixels. */
export interface Rect {
  x: number;
  y: number;
  width: number;
  height: number;
}

/** One opcode found in OpcodeList1/2/3, and whether the pipeline applies it. */
export interface OpcodeInfo {
  list: 1 | 2 | 3;
  id: number;
  name: string;
  applied: boolean;
  /** Decoded parameters, for the opcodes the pipeline applies (GainMap, MapPolynomial). */
  params?: OpcodeParams;
}

/**
 * The pixels an opcode touches (DNG "area spec"), in the coordinates of the image it
 * applies to: the stored raster for OpcodeList1, the active area for OpcodeList2/3.
 */
export interface OpcodeArea {
  top: number;
  left: number;
  bottom: number;
  right: number;
  plane: number;
  planes: number;
  rowPitch: number;
  colPitch: number;
}

/** GainMap (opcode 9): a grid of gains, bilinearly interpolated, multiplied into the pixels. */
export interface GainMapParams {
  kind: 'GainMap';
  area: OpcodeArea;
  pointsV: number;
  pointsH: number;
  /** Grid spacing and origin in relative image coordinates (0..1 over the image). */
  spacingV: number;
  spacingH: number;
  originV: number;
  originH: number;
  mapPlanes: number;
  /** pointsV x pointsH x mapPlanes gains, row-major, plane fastest. */
  gains: number[];
}

/** MapPolynomial (opcode 8): value -> sum of coefficients[i] * value^i. */
export interface MapPolynomialParams {
  kind: 'MapPolynomial';
  area: OpcodeArea;
  coefficients: number[];
}

export type OpcodeParams = GainMapParams | MapPolynomialParams;

/**
 * Everything the pipeline needs from a DNG, decoded from its tags.
 * Plain JSON-serializable data (it crosses the worker boundary and `tapetum info` prints it).
 */
export interface DngMetadata {
  make?: string;
  model?: string;
  uniqueCameraModel?: string;
  /** Stored raster of the main image (NewSubFileType 0), before ActiveArea/DefaultCrop. */
  width: number;
  height: number;
  bitsPerSample: number;
  compression: number;
  /** 'cfa' = Bayer mosaic, one sample per pixel; 'linear' = LinearRaw, 3 samples per pixel. */
  photometric: 'cfa' | 'linear';
  samplesPerPixel: number;
  /** 2x2 Bayer pattern, row-major over the active area's origin. Only for 'cfa'. */
  cfaPattern?: [CfaColor, CfaColor, CfaColor, CfaColor];
  /** ActiveArea as a rectangle in stored pixels (whole raster when the tag is absent). */
  activeArea: Rect;
  /** DefaultCrop relative to the active area. */
  defaultCrop: Rect;
  /** BlackLevel pattern: repeatRows x repeatCols x samplesPerPixel values, row-major, sample fastest. */
  blackLevel: { repeatRows: number; repeatCols: number; values: number[] };
  /** BlackLevelDeltaH (per active-area column) / DeltaV (per row); lengths match the active area. */
  blackLevelDeltaH?: number[];
  blackLevelDeltaV?: number[];
  /** WhiteLevel per sample. */
  whiteLevel: number[];
  /** LinearizationTable, when present (stored value -> linear value). */
  linearizationTable?: number[];
  /** EXIF/TIFF Orientation 1..8. */
  orientation: number;
  asShotNeutral?: [number, number, number];
  asShotWhiteXY?: [number, number];
  colorMatrix1?: Matrix3;
  colorMatrix2?: Matrix3;
  calibrationIlluminant1?: number;
  calibrationIlluminant2?: number;
  forwardMatrix1?: Matrix3;
  forwardMatrix2?: Matrix3;
  cameraCalibration1?: Matrix3;
  cameraCalibration2?: Matrix3;
  analogBalance?: [number, number, number];
  baselineExposure?: number;
  /** NoiseProfile: (scale, offset) pairs, one pair per sample or one for all. */
  noiseProfile?: number[];
  iso?: number;
  exposureTime?: number;
  fNumber?: number;
  opcodes: OpcodeInfo[];
}

/**
 * Raw samples exactly as stored in the file (after decompression, before any
 * linearization), for the whole stored raster, interleaved when samplesPerPixel > 1.
 */
export interface StoredRaster {
  width: number;
  height: number;
  samplesPerPixel: number;
  data: Uint16Array;
}

export interface DecodedDng {
  metadata: DngMetadata;
  stored: StoredRaster;
  /** Things the decoder saw and did not apply (unknown opcodes, ...), for the user. */
  warnings: string[];
}

/**
 * Scene-linear data inside the active area, black subtracted, divided by (white - black):
 * 0 is black, 1 is the sensor's clipping point. OpcodeList1 and OpcodeList2 are applied.
 * Values may go slightly below 0 (noise) and are not clipped.
 */
export interface LinearRaw {
  width: number;
  height: number;
  /** 1 for a CFA mosaic, 3 for LinearRaw (interleaved RGB in camera space). */
  channels: 1 | 3;
  /** CFA pattern at (0,0) of this (active-area) raster; only when channels is 1. */
  cfaPattern?: [CfaColor, CfaColor, CfaColor, CfaColor];
  data: Float32Array;
  /** Step between the raw codes near black in normalized units (dng/code-step.ts); mosaics only. */
  codeStep?: number;
}
