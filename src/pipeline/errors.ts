/**
 * Every failure a user can cause (a bad file, an unsupported format, a too-large image)
 * surfaces as a TapetumError with a `code` the UI and CLI can act on and a message a
 * person understands. Anything else escaping the pipeline is a bug.
 */
export type TapetumErrorCode =
  | 'not-dng' // not a TIFF/DNG at all (JPEG, random bytes, other raw format)
  | 'unsupported' // a DNG feature we do not handle (X-Trans CFA, VC-5, ...)
  | 'truncated' // data ends before what the structure promises
  | 'corrupt' // structure is inconsistent (IFD loop, bad offsets, bad JPEG stream)
  | 'too-large' // dimensions beyond what we will allocate
  | 'model' // model files missing or corrupted
  | 'cancelled'
  | 'internal';

export class TapetumError extends Error {
  override readonly name = 'TapetumError';
  constructor(
    readonly code: TapetumErrorCode,
    message: string,
  ) {
    super(message);
  }
}

export function isTapetumError(e: unknown): e is TapetumError {
  return e instanceof TapetumError;
}
