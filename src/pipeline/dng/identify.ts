/**
 * Says what a file is when it is not a DNG, so the user learns what to do: a JPEG or PNG
 * is 'not-dng'; a camera's proprietary raw format is 'unsupported' with a way out.
 */
import { TapetumError } from '../errors';

const CONVERT_HINT = 'convert to DNG with Adobe DNG Converter';

function unsupportedRaw(format: string): TapetumError {
  return new TapetumError('unsupported', `${format} raw files are not supported; ${CONVERT_HINT}.`);
}

function notDng(what: string): TapetumError {
  return new TapetumError('not-dng', `${what} Tapetum opens raw photos in DNG format.`);
}

function ascii(bytes: Uint8Array, offset: number, length: number): string {
  return String.fromCharCode(...bytes.subarray(offset, offset + length));
}

/** Raw formats recognisable from their first bytes, checked before any TIFF parsing. */
const RAW_MAGIC: [format: string, matches: (b: Uint8Array) => boolean][] = [
  ['Canon CR2', (b) => ascii(b, 0, 2) === 'II' && ascii(b, 8, 2) === 'CR'],
  ['Canon CR3', (b) => ascii(b, 4, 8) === 'ftypcrx '],
  ['Canon CRW', (b) => ascii(b, 6, 8) === 'HEAPCCDR'],
  ['Fujifilm RAF', (b) => ascii(b, 0, 15) === 'FUJIFILMCCD-RAW'],
  ['Olympus ORF', (b) => ['IIRO', 'IIRS', 'MMOR'].includes(ascii(b, 0, 4))],
  ['Panasonic RW2', (b) => ascii(b, 0, 4) === 'IIU\0'],
  ['Minolta MRW', (b) => ascii(b, 0, 4) === '\0MRM'],
  ['Sigma X3F', (b) => ascii(b, 0, 4) === 'FOVb'],
];

/** Image formats people may mistake for raw files. */
const IMAGE_MAGIC: [format: string, matches: (b: Uint8Array) => boolean][] = [
  ['a JPEG image', (b) => b[0] === 0xff && b[1] === 0xd8 && b[2] === 0xff],
  ['a PNG image', (b) => ascii(b, 0, 8) === '\x89PNG\r\n\x1a\n'],
  ['a GIF image', (b) => ascii(b, 0, 4) === 'GIF8'],
  ['a WebP image', (b) => ascii(b, 0, 4) === 'RIFF' && ascii(b, 8, 4) === 'WEBP'],
  ['a HEIC/HEIF image', (b) => ascii(b, 4, 4) === 'ftyp' && /^(heic|heix|mif1|msf1|hevc|avif)$/.test(ascii(b, 8, 4))],
];

/** Throws for files recognisable from their first bytes as something other than a DNG. */
export function rejectByMagic(bytes: Uint8Array): void {
  if (bytes.length === 0) throw notDng('The file is empty (0 bytes).');
  for (const [format, matches] of RAW_MAGIC) if (matches(bytes)) throw unsupportedRaw(format);
  for (const [format, matches] of IMAGE_MAGIC) {
    if (matches(bytes)) throw notDng(`This is ${format}, not a raw photo.`);
  }
}

/** The error for a file that is not TIFF-structured at all. */
export function notTiffError(bytes: Uint8Array): TapetumError {
  return bytes.length < 8
    ? notDng(`The file is only ${bytes.length} bytes long, too short for a raw photo.`)
    : notDng('This file is not a DNG raw photo (it does not start with a TIFF/DNG header).');
}

/** Camera makers whose non-DNG TIFF-based raw files we can name, by Make prefix. */
const RAW_BY_MAKE: [makePrefix: string, format: string][] = [
  ['NIKON', 'Nikon NEF'],
  ['SONY', 'Sony ARW'],
  ['CANON', 'Canon CR2'],
  ['PENTAX', 'Pentax PEF'],
  ['RICOH', 'Pentax PEF'],
  ['OLYMPUS', 'Olympus ORF'],
  ['OM DIGITAL', 'Olympus ORF'],
  ['PANASONIC', 'Panasonic RW2'],
  ['FUJIFILM', 'Fujifilm RAF'],
  ['SAMSUNG', 'Samsung SRW'],
  ['HASSELBLAD', 'Hasselblad 3FR'],
  ['PHASE ONE', 'Phase One IIQ'],
  ['KODAK', 'Kodak DCR'],
  ['EASTMAN KODAK', 'Kodak DCR'],
  ['MINOLTA', 'Minolta MRW'],
  ['KONICA MINOLTA', 'Minolta MRW'],
  ['SEIKO EPSON', 'Epson ERF'],
  ['MAMIYA', 'Mamiya MEF'],
];

/** The error for a TIFF file without DNGVersion: a named camera raw format, or not a DNG. */
export function tiffWithoutDngVersionError(make: string | undefined): TapetumError {
  const upper = (make ?? '').toUpperCase();
  const known = RAW_BY_MAKE.find(([prefix]) => upper.startsWith(prefix));
  return known
    ? unsupportedRaw(known[1])
    : notDng('This is a TIFF file but not a DNG raw photo (it has no DNGVersion tag).');
}
