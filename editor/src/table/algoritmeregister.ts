// The header's Algoritmeregister download, for a public table: the entry the server writes for this table's decision
// (publication standard 1.0), with the fields the owner still completes named in it. The server decides what is
// public (the version in force), so a draft marked public before it is adopted is refused with the reason shown.
import { downloadFile } from '../download.ts';
import { announce, h } from '../dom.ts';
import { t } from '../i18n/index.ts';
import { isPublic } from '../../../server/engine/index.ts';
import type { TableSession } from './session.ts';

async function download(s: TableSession): Promise<void> {
  if (await downloadFile(`/api/v1/tables/${encodeURIComponent(s.id)}/algoritmeregister`, `algoritmeregister-${s.id}.json`)) announce(t('algoreg.downloaded'));
}

/** The download button, only where the table shown is public. */
export function algoritmeregisterButton(s: TableSession): HTMLElement | null {
  if (!isPublic(s.model.table)) return null;
  return h('button', { type: 'button', id: 'algoritmeregister-download', title: t('algoreg.download.title'), onclick: () => void download(s) }, t('algoreg.download'));
}
