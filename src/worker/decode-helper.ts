/**
 * A decoding helper: a worker of the processing worker that decodes a share of a DNG's
 * lossless JPEG tiles straight into the shared raster (see decodeDng's `helpers`).
 */
import * as Comlink from 'comlink';
import { decodeBlocks, type BlockJob } from '../pipeline/dng/decode.ts';
import type { WorkerErrorInfo } from './api.ts';
import { errorInfo } from './error-info.ts';

export interface DecodeHelperApi {
  /** Resolves with nothing when the blocks are in place, or with what went wrong. */
  decodeBlocks(job: BlockJob): WorkerErrorInfo | undefined;
}

const api: DecodeHelperApi = {
  decodeBlocks(job) {
    try {
      decodeBlocks(job);
      return undefined;
    } catch (error) {
      return errorInfo(error);
    }
  },
};

Comlink.expose(api);
