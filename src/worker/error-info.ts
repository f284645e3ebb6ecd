/** Errors cross worker boundaries as plain data: Comlink would keep only an Error's message, not its code. */
import { isTapetumError, TapetumError } from '../pipeline/errors.ts';
import type { WorkerErrorInfo } from './api.ts';

export function errorInfo(error: unknown): WorkerErrorInfo {
  if (isTapetumError(error)) return { code: error.code, message: error.message };
  const detail = error instanceof Error ? error.message : String(error);
  return { code: 'internal', message: `Something went wrong inside Tapetum (${detail}). Please report it with the file that caused it.` };
}

/** The error `errorInfo` described, as a TapetumError again on this side of the boundary. */
export function fromErrorInfo(info: WorkerErrorInfo): TapetumError {
  return new TapetumError(info.code, info.message);
}
