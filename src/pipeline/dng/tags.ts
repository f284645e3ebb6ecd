/** TIFF field types (TIFF 6.0 section 2, plus 13 = IFD). */
export const FieldType = {
  BYTE: 1, ASCII: 2, SHORT: 3, LONG: 4, RATIONAL: 5, SBYTE: 6, UNDEFINED: 7,
  SSHORT: 8, SLONG: 9, SRATIONAL: 10, FLOAT: 11, DOUBLE: 12, IFD: 13,
} as const;

/** Bytes per value of each field type. */
export const FIELD_TYPE_SIZES: Record<number, number> = {
  1: 1, 2: 1, 3: 2, 4: 4, 5: 8, 6: 1, 7: 1, 8: 2, 9: 4, 10: 8, 11: 4, 12: 8, 13: 4,
};

/** The Compression codes Tapetum reads (and, for the first two, writes). */
export const Compression = { UNCOMPRESSED: 1, LOSSLESS_JPEG: 7, LOSSY_JPEG: 34892 } as const;

/** TIFF, EXIF and DNG tag ids the decoder reads (TIFF 6.0, TIFF/EP, EXIF 2.3, DNG 1.6). */
export const Tag = {
  NewSubFileType: 254,
  ImageWidth: 256,
  ImageLength: 257,
  BitsPerSample: 258,
  Compression: 259,
  PhotometricInterpretation: 262,
  FillOrder: 266,
  Make: 271,
  Model: 272,
  StripOffsets: 273,
  Orientation: 274,
  SamplesPerPixel: 277,
  RowsPerStrip: 278,
  StripByteCounts: 279,
  PlanarConfiguration: 284,
  TileWidth: 322,
  TileLength: 323,
  TileOffsets: 324,
  TileByteCounts: 325,
  SubIFDs: 330,
  SampleFormat: 339,
  CFARepeatPatternDim: 33421,
  CFAPattern: 33422,
  ExposureTime: 33434,
  FNumber: 33437,
  ExifIFD: 34665,
  ISOSpeedRatings: 34855,
  DNGVersion: 50706,
  DNGBackwardVersion: 50707,
  UniqueCameraModel: 50708,
  CFAPlaneColor: 50710,
  CFALayout: 50711,
  LinearizationTable: 50712,
  BlackLevelRepeatDim: 50713,
  BlackLevel: 50714,
  BlackLevelDeltaH: 50715,
  BlackLevelDeltaV: 50716,
  WhiteLevel: 50717,
  DefaultCropOrigin: 50719,
  DefaultCropSize: 50720,
  ColorMatrix1: 50721,
  ColorMatrix2: 50722,
  CameraCalibration1: 50723,
  CameraCalibration2: 50724,
  AnalogBalance: 50727,
  AsShotNeutral: 50728,
  AsShotWhiteXY: 50729,
  BaselineExposure: 50730,
  CalibrationIlluminant1: 50778,
  CalibrationIlluminant2: 50779,
  ActiveArea: 50829,
  ForwardMatrix1: 50964,
  ForwardMatrix2: 50965,
  OpcodeList1: 51008,
  OpcodeList2: 51009,
  OpcodeList3: 51022,
  NoiseProfile: 51041,
} as const;

const NAMES = new Map<number, string>(Object.entries(Tag).map(([name, id]) => [id, name]));

/** Tag name for messages ("BlackLevel"), or "0xC612"-style hex for tags we do not know. */
export function tagName(id: number): string {
  return NAMES.get(id) ?? `0x${id.toString(16).toUpperCase().padStart(4, '0')}`;
}
