// Excel in the table header: download the table shown as .xlsx, and read an edited .xlsx or CSV back. An upload is
// first shown as a diff (the diff view of the Verschillen tab) against the stored draft, with every problem named by
// sheet and cell; only "Overnemen en opslaan" puts it in the working copy and saves it with the ordinary draft save,
// so the revision the editor has open decides, and a stale one meets the usual conflict.
import { ApiError, sendFile, type TableDiff } from '../api.ts';
import { h, modal } from '../dom.ts';
import { downloadFile } from '../download.ts';
import { problemText, t } from '../i18n/index.ts';
import type { DecisionTable } from '../../../server/engine/index.ts';
import { errorText } from '../views/errors.ts';
import { renderDiff } from './diff.ts';
import type { TableSession } from './session.ts';

interface ImportAnswer {
  tableId: string;
  sheet: string;
  revision: number;
  table: DecisionTable;
  diff: TableDiff | null;
}

const enc = encodeURIComponent;

async function download(s: TableSession): Promise<void> {
  // A published version is exported as that version; otherwise what the editor shows: the draft, else the newest.
  const which = s.version === undefined ? 'draft' : String(s.version);
  await downloadFile(`/api/v1/tables/${enc(s.id)}/export.xlsx?version=${which}`, `${s.id}.xlsx`);
}

/** The problems of a refused file, one per cell, as the server names them (`Boete!C7`). */
function problemList(err: unknown): HTMLElement {
  const details = err instanceof ApiError ? err.details : [];
  return h(
    'div',
    { role: 'alert', id: 'excel-problems' },
    h('p', { class: 'form-error' }, details.length > 0 ? t('excel.problems', { n: details.length }) : errorText(err)),
    details.length > 0 ? h('ul', { class: 'excel-problems' }, details.map((d) => h('li', null, h('strong', { class: 'mono' }, d.path), `: ${problemText(d)}`))) : null,
  );
}

async function upload(s: TableSession, file: File, save: () => Promise<void>): Promise<void> {
  let answer: ImportAnswer;
  try {
    answer = await sendFile<ImportAnswer>(`/api/v1/tables/${enc(s.id)}/draft/import`, file);
  } catch (err) {
    await modal<null>(t('excel.title', { file: file.name }), (close) =>
      h('div', { class: 'excel-import' }, problemList(err), h('div', { class: 'dialog-actions' }, h('span', { class: 'spacer' }), h('button', { type: 'button', class: 'primary', onclick: () => close(null) }, t('excel.close')))),
    );
    return;
  }
  const same = answer.diff?.summary.same ?? false;
  const current = s.draft?.table ?? s.model.table;
  const ok = await modal<true>(t('excel.title', { file: file.name }), (close) =>
    h(
      'div',
      { class: 'excel-import' },
      h('p', null, t('excel.intro', { sheet: answer.sheet })),
      s.dirty() ? h('p', { class: 'banner banner-warn' }, t('excel.unsaved')) : null,
      answer.diff ? renderDiff(answer.diff, answer.table, current) : null,
      h(
        'div',
        { class: 'dialog-actions' },
        h('span', { class: 'spacer' }),
        h('button', { type: 'button', onclick: () => close(null) }, t('excel.cancel')),
        h('button', { type: 'button', class: 'primary', id: 'excel-apply', disabled: same, onclick: () => close(true) }, t('excel.apply')),
      ),
    ),
  );
  if (!ok) return;
  s.model.replace(answer.table, 'excel');
  await save();
}

/** The header's Excel buttons: download always, upload where the draft may be edited. */
export function excelControls(s: TableSession, save: () => Promise<void>): HTMLElement {
  const input = h('input', { type: 'file', id: 'excel-file', accept: '.xlsx,.csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet,text/csv', class: 'sr-only', tabindex: '-1', 'aria-hidden': 'true' });
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    input.value = '';
    if (file) void upload(s, file, save);
  });
  return h(
    'span',
    { class: 'excel-controls' },
    h('button', { type: 'button', id: 'excel-download', title: t('excel.download.title'), onclick: () => void download(s) }, t('excel.download')),
    s.model.readonly ? null : [h('button', { type: 'button', id: 'excel-upload', title: t('excel.upload.title'), onclick: () => input.click() }, t('excel.upload')), input],
  );
}
