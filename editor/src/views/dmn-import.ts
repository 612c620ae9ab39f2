// "DMN importeren" in the register: pick a DMN model, see per decision table what will happen (a new table, a new
// draft of an existing one with its diff as the Verschillen tab shows it, or nothing), then confirm. Nothing is
// stored before the confirmation, and the confirmation names the draft revision each table was previewed at, so a
// draft someone saved meanwhile is refused (409), never overwritten. A refused model lists each element's problem in
// the editor's language, worded from its code (server/dmn/messages.ts), never the server's English.
import { ApiError, sendFile, type TableDiff } from '../api.ts';
import { announce, h, modal } from '../dom.ts';
import { isMessageKey, problemText, t, type MessageKey } from '../i18n/index.ts';
import type { DecisionTable, MessageParams } from '../../../server/engine/index.ts';
import { renderDiff } from '../table/diff.ts';
import { errorText } from './errors.ts';

/** One problem of a DMN import as the server reports it (server/dmn/types.ts, ImportProblem). */
export interface DmnProblem {
  severity: 'error' | 'warning';
  element: string;
  id: string;
  name?: string;
  message: string;
  code?: string;
  params?: MessageParams;
  cause?: { message: string; code?: string; params?: MessageParams };
}

interface PlannedTable {
  id: string;
  title: string;
  action: 'create' | 'draft' | 'unchanged';
  revision: number | null;
  table: DecisionTable;
  diff: TableDiff | null;
}

interface Preview {
  model: { name: string; dmnVersion: string };
  tables: PlannedTable[];
  warnings: DmnProblem[];
}

/** DRG elements named by their own kind; everything else belongs to a decision and is named by it. */
const OWN_KIND = new Set(['businessKnowledgeModel', 'decisionService', 'knowledgeSource', 'import', 'definitions', 'xml']);

/** `Beslissing 'Tarief': regel centrum, zone: hier hoort een waarde`. */
export function dmnProblemText(p: DmnProblem): string {
  const kind = OWN_KIND.has(p.element) ? p.element : 'decision';
  const who = t(`dmn.element.${kind}` as MessageKey, { name: p.name ?? p.id });
  const key = `dmn.problem.${p.code ?? ''}`;
  const text = isMessageKey(key) ? t(key, { ...(p.params ?? {}), problem: p.cause ? problemText(p.cause) : '' }) : problemText(p);
  return `${who}: ${text}`;
}

function problemItems(problems: DmnProblem[]): HTMLElement {
  return h(
    'ul',
    { class: 'excel-problems dmn-problems' },
    problems.map((p) => h('li', null, dmnProblemText(p), p.id && !OWN_KIND.has(p.element) ? h('span', { class: 'muted small mono' }, ` (${p.element} ${p.id})`) : null)),
  );
}

/** A refused model: every problem by element, in words. */
function refusedList(err: unknown): HTMLElement {
  const body = err instanceof ApiError ? (err.body as { problems?: DmnProblem[] } | null) : null;
  const problems = (body?.problems ?? []).filter((p) => p.severity === 'error');
  return h(
    'div',
    { role: 'alert', id: 'dmn-problems' },
    h('p', { class: 'form-error' }, problems.length > 0 ? t('dmn.import.problems', { n: problems.length }) : errorText(err)),
    problems.length > 0 ? problemItems(problems) : null,
  );
}

function columnsLine(table: DecisionTable): string {
  const label = (c: { name: string; label?: string }) => c.label ?? c.name;
  return `${t('diff.columns')}: ${table.inputs.map(label).join(', ')} → ${table.outputs.map(label).join(', ')}`;
}

function plannedSection(p: PlannedTable): HTMLElement {
  const action = p.action === 'create' ? t('dmn.import.create') : p.action === 'draft' ? t('dmn.import.draft') : t('dmn.import.unchanged');
  return h(
    'section',
    { class: 'dmn-planned', 'data-table': p.id, 'aria-labelledby': `dmn-t-${p.id}` },
    h('h3', { id: `dmn-t-${p.id}` }, p.title, ' ', h('span', { class: 'muted small mono' }, p.id)),
    h('p', { class: `dmn-action dmn-action-${p.action}` }, action),
    p.action === 'create' ? h('p', { class: 'small' }, `${t('dmn.import.rules', { n: p.table.rules.length })}. ${columnsLine(p.table)}`) : null,
    p.action === 'draft' && p.diff ? renderDiff(p.diff, p.table, null) : null,
  );
}

async function importFile(file: File, button: HTMLButtonElement, done: (ids: string[]) => void): Promise<void> {
  const title = t('dmn.import.dialog', { file: file.name });
  let preview: Preview | null = null;
  let failure: unknown = null;
  // A large model takes a moment: the button says so meanwhile.
  button.disabled = true;
  button.setAttribute('aria-busy', 'true');
  button.textContent = t('dmn.import.reading');
  try {
    preview = await sendFile<Preview>('/api/v1/dmn/import/preview', file);
  } catch (err) {
    failure = err;
  } finally {
    button.disabled = false;
    button.removeAttribute('aria-busy');
    button.textContent = t('dmn.import');
  }
  if (!preview) {
    await modal<null>(title, (close) =>
      h('div', { class: 'excel-import dmn-import' }, refusedList(failure), h('div', { class: 'dialog-actions' }, h('span', { class: 'spacer' }), h('button', { type: 'button', class: 'primary', onclick: () => close(null) }, t('excel.close')))),
    );
    return;
  }
  const plan = preview;
  const changing = plan.tables.filter((p) => p.action !== 'unchanged');
  const warnings = plan.warnings.filter((w) => w.severity === 'warning');
  const error = h('div', { 'aria-live': 'polite' });
  const ok = await modal<true>(title, (close) => {
    const apply = h('button', { type: 'button', class: 'primary', id: 'dmn-apply', disabled: changing.length === 0 }, t('dmn.import.apply'));
    apply.addEventListener('click', () => {
      apply.disabled = true;
      const revisions = plan.tables.map((p) => `${p.id}:${p.revision === null ? 'new' : p.revision}`).join(',');
      sendFile<{ created: string[]; updated: string[] }>(`/api/v1/dmn/import?revisions=${encodeURIComponent(revisions)}`, file)
        .then((r) => {
          close(true);
          announce(t('dmn.import.done', { n: r.created.length + r.updated.length }), 'ok');
          done([...r.created, ...r.updated]);
        })
        .catch((err: unknown) => {
          apply.disabled = false;
          error.replaceChildren(err instanceof ApiError && err.code === 'INVALID_FILE' ? refusedList(err) : h('p', { class: 'form-error', role: 'alert' }, errorText(err)));
        });
    });
    return h(
      'div',
      { class: 'excel-import dmn-import' },
      h('p', null, t('dmn.import.intro', { model: plan.model.name, version: plan.model.dmnVersion })),
      changing.length === 0 ? h('p', { class: 'banner' }, t('dmn.import.nothing')) : null,
      h('div', { class: 'dmn-plan' }, plan.tables.map(plannedSection)),
      warnings.length > 0 ? h('div', { class: 'dmn-warnings' }, h('p', null, t('dmn.import.warnings', { n: warnings.length })), problemItems(warnings)) : null,
      error,
      h('div', { class: 'dialog-actions' }, h('span', { class: 'spacer' }), h('button', { type: 'button', onclick: () => close(null) }, t('excel.cancel')), apply),
    );
  });
  if (!ok) return;
}

/** The register's "DMN importeren" button, with its hidden file picker (the button is what the keyboard reaches). */
export function dmnImportButton(done: (ids: string[]) => void): HTMLElement {
  const input = h('input', { type: 'file', id: 'dmn-file', accept: '.dmn,.xml,application/xml,text/xml', class: 'sr-only', tabindex: '-1', 'aria-hidden': 'true' });
  input.addEventListener('change', () => {
    const file = input.files?.[0];
    input.value = '';
    if (file) void importFile(file, button, done);
  });
  const button = h('button', { type: 'button', id: 'dmn-import', title: t('dmn.import.title'), onclick: () => input.click() }, t('dmn.import'));
  return h('span', { class: 'dmn-controls' }, button, input);
}
