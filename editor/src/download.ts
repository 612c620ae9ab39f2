// Saving a file in the browser: what the server sends for a download button (DMN, Excel, Algoritmeregister), or a
// file the editor makes itself, under the name given; a refusal is announced in words rather than saved.
import { fetchFile } from './api.ts';
import { announce, h } from './dom.ts';
import { errorText } from './views/errors.ts';

/** Lets the browser save `blob` as `file`. */
export function saveBlob(blob: Blob, file: string): void {
  const a = h('a', { href: URL.createObjectURL(blob), download: file });
  document.body.append(a);
  a.click();
  a.remove();
  URL.revokeObjectURL(a.href);
}

/** Fetches `path` and saves it as `file`; true when saved, false when refused (and announced). */
export async function downloadFile(path: string, file: string): Promise<boolean> {
  try {
    saveBlob(await fetchFile(path), file);
    return true;
  } catch (err) {
    announce(errorText(err), 'error');
    return false;
  }
}
