// The header's Algoritmeregister download, for a public table: the entry the server writes for this table's decision
// (publication standard 1.0), with the fields the owner still completes named in it. The server decides what is
// public (the version in force), so a draft marked public before it is adopted is refused with the reason shown.
import { fetchFile } from '../api.ts';
import { announce, h } from '../dom.ts';
import { t } from '../i18n/index.ts';
import { isPublic } from '../../../server/engine/index.ts';
import { errorText } from '../views/errors.ts';
import type { TableSession } from './session.ts';

async function download(s: TableSession): Promise<void> {
  try {
    const blob = await fetchFile(`/api/v1/tables/${encodeURIComponent(s.id)}/algoritmeregister`);
    const a = h('a', { href: URL.createObjectURL(blob), download: `algoritmeregister-${s.id}.json` });
    document.body.append(a);
    a.click();
    a.remove();
    URL.revokeObjectURL(a.href);
    announce(t('algoreg.downloaded'));
  } catch (err) {
    announce(errorText(err), 'error');
  }
}

/** The download button, only where the table shown is public. */
export function algoritmeregisterButton(s: TableSession): HTMLElement | null {
  if (!isPublic(s.model.table)) return null;
  return h('button', { type: 'button', id: 'algoritmeregister-download', title: t('algoreg.download.title'), onclick: () => void download(s) }, t('algoreg.download'));
}
