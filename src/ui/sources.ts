/** Turning files from every way in (picker, drop, paste, camera, the sample) into photo sources. */
import type { PhotoSource } from './session.ts';

/** What the file picker offers: raw DNGs first, and the sRGB images the unprocessing path takes. */
export const ACCEPTED_FILES = '.dng,.DNG,image/x-adobe-dng,image/jpeg,image/png';

export function sourceFromFile(file: File): PhotoSource {
  return { name: file.name || 'pasted-image.png', read: () => file.arrayBuffer() };
}

export function sourceFromBlob(blob: Blob, name: string): PhotoSource {
  return { name, read: () => blob.arrayBuffer() };
}

/** Files of a drop or a paste (text and other non-file items are ignored). */
export function sourcesFromTransfer(transfer: DataTransfer | null): PhotoSource[] {
  if (!transfer) return [];
  const files = [...transfer.files];
  return files.map(sourceFromFile);
}

/** The shipped sample: a dark synthetic scene made by scripts/make-sample.ts. */
export function sampleSource(): PhotoSource {
  const url = `${import.meta.env.BASE_URL}sample-dark.dng`;
  return {
    name: 'sample-dark.dng',
    read: async () => {
      const response = await fetch(url);
      if (!response.ok) throw { code: 'internal', message: `The sample could not be loaded (HTTP ${response.status}).` };
      return response.arrayBuffer();
    },
  };
}
