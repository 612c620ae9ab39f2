// DMN downloads: the table shown (the version shown, or the draft) and a whole domain, as a DMN 1.5 model
// (GET …/export.dmn). The upload is the catalogue's (views/dmn-import.ts): a model may hold many tables.
import { downloadFile } from '../download.ts';
import { h } from '../dom.ts';
import { t } from '../i18n/index.ts';
import type { TableSession } from './session.ts';

const enc = encodeURIComponent;

/** The table header's "DMN downloaden": a published version as that version, otherwise the draft (else the newest). */
export function dmnDownloadButton(s: TableSession): HTMLElement {
  const which = (): string => (s.version === undefined ? 'draft' : String(s.version));
  return h(
    'button',
    { type: 'button', id: 'dmn-download', title: t('dmn.download.title'), onclick: () => void downloadFile(`/api/v1/tables/${enc(s.id)}/export.dmn?version=${which()}`, `${s.id}.dmn`) },
    t('dmn.download'),
  );
}

/** "Domein als DMN downloaden" for the domain chosen in the register's filter. */
export function domainDmnButton(domain: () => string): HTMLButtonElement {
  const button = h('button', { type: 'button', id: 'dmn-domain-download', class: 'small' }, t('dmn.download.domain'));
  button.addEventListener('click', () => {
    const d = domain();
    if (d) void downloadFile(`/api/v1/domains/${enc(d)}/export.dmn`, `${d}.dmn`);
  });
  return button;
}
