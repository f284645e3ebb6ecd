/** Getting an exported file to the person: the system share sheet where it takes files, else a download. */
import type { ExportedFile } from './session.ts';

export type Delivery = 'shared' | 'share-dismissed' | 'downloaded' | 'downloaded-instead-of-share';

export function downloadFile(file: ExportedFile): void {
  const url = URL.createObjectURL(new Blob([file.bytes as Uint8Array<ArrayBuffer>], { type: file.mime }));
  const link = document.createElement('a');
  link.href = url;
  link.download = file.name;
  link.rel = 'noopener';
  document.body.append(link);
  link.click();
  link.remove();
  // The download has taken its copy once the click's task is over.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

function asFile(file: ExportedFile): File {
  return new File([file.bytes as Uint8Array<ArrayBuffer>], file.name, { type: file.mime });
}

/** Whether this browser can share files of this type (probed with an empty one). */
export function canShareFiles(mime = 'image/png'): boolean {
  try {
    return typeof navigator.canShare === 'function' && navigator.canShare({ files: [new File([], 'probe.png', { type: mime })] });
  } catch {
    return false;
  }
}

export async function shareOrDownload(file: ExportedFile): Promise<Delivery> {
  const shareable = asFile(file);
  if (typeof navigator.canShare === 'function' && navigator.canShare({ files: [shareable] })) {
    try {
      await navigator.share({ files: [shareable], title: file.name });
      return 'shared';
    } catch (error) {
      if ((error as DOMException).name === 'AbortError') return 'share-dismissed';
      // NotAllowedError and friends: the share sheet refused; a download still works.
    }
  }
  downloadFile(file);
  return 'downloaded-instead-of-share';
}
