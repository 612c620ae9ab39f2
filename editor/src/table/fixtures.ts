// Test cases of a table: list, add, edit and delete (as JSON per case), save (PUT), run on the draft — instantly in
// the browser on the working copy, and on the server (POST …/fixtures/run?target=draft) — with expected vs actual
// and the rule coverage shown on the grid.
import { api, ApiError, type FixtureCase, type FixtureReport } from '../api.ts';
import { announce, clear, h, modal } from '../dom.ts';
import { formatDate, t } from '../i18n/index.ts';
import { compileTable, EngineError } from '../../../server/engine/index.ts';
import { rowToolbar } from '../views/table.ts';
import { errorText } from '../views/errors.ts';
import type { FixtureState, TableSession } from './session.ts';
import { compareCase } from './values.ts';

/** The table's fixture set, loaded once per session (an empty set when the table has none yet). */
export async function loadFixtures(s: TableSession): Promise<FixtureState> {
  if (s.fixtures) return s.fixtures;
  try {
    const table = await api.fixtures(s.id);
    // With a stored draft, test cases change inside the draft (approved with it); the table's set is refused then.
    const inDraft = !s.readonly && (table.draftHasFixtures || s.revision > 0);
    const { fixtures, revision } = inDraft && table.draftHasFixtures ? await api.fixtures(s.id, 'draft') : table;
    const set = { ...fixtures, table: fixtures.table ?? s.id, cases: fixtures.cases ?? [] };
    s.fixtures = { set, revision, savedJson: JSON.stringify(set), inDraft };
  } catch (err) {
    if (err instanceof ApiError && err.status === 404 && err.code === 'FIXTURES_NOT_FOUND') {
      const set = { table: s.id, cases: [] };
      s.fixtures = { set, revision: 0, savedJson: JSON.stringify(set) };
    } else throw err;
  }
  return s.fixtures;
}

/**
 * Saves the fixture set where it belongs: in the draft (PUT …/draft/fixtures with a reason and the draft revision, which
 * then moves on) when there is one or the server says the draft holds the fixtures, otherwise as the table's set.
 */
export async function saveFixtureSet(s: TableSession, state: FixtureState, reason: string): Promise<void> {
  const toDraft = async (): Promise<void> => {
    const r = await api.saveDraftFixtures(s.id, state.set, reason, s.revision);
    s.revision = r.revision;
    state.revision = r.revision;
    state.inDraft = true;
  };
  if (state.inDraft || (!s.readonly && s.revision > 0)) await toDraft();
  else {
    try {
      const r = await api.saveFixtures(s.id, state.set, state.revision);
      state.revision = r.revision ?? (state.revision ?? 0) + 1;
    } catch (err) {
      if (!(err instanceof ApiError && err.code === 'DRAFT_HAS_FIXTURES')) throw err;
      await toDraft();
    }
  }
  state.savedJson = JSON.stringify(state.set);
}

export interface CaseOutcome {
  pass: boolean;
  actual: unknown;
  matched: string[];
  error?: string;
}

/** Runs every case on the working copy in the browser. */
export function runLocal(s: TableSession, cases: FixtureCase[]): CaseOutcome[] {
  const compiled = compileTable(structuredClone(s.model.table));
  return cases.map((c) => {
    try {
      const r = compiled.evaluate(c.input ?? {});
      return { pass: compareCase(c, r.output, null), actual: r.output, matched: r.matched };
    } catch (err) {
      if (!(err instanceof EngineError)) throw err;
      const rules = 'rules' in err ? (err as EngineError & { rules: string[] }).rules : [];
      return { pass: compareCase(c, null, err.code), actual: null, matched: rules, error: `${err.code}: ${err.message}` };
    }
  });
}

function compact(v: unknown): string {
  if (v === undefined) return '';
  return JSON.stringify(v);
}

/** Normalises the server's report to one outcome per case (the report format belongs to the fixtures work). */
function serverOutcomes(report: FixtureReport, count: number): (CaseOutcome | null)[] {
  const list = report.cases ?? report.results ?? [];
  const out: (CaseOutcome | null)[] = new Array<CaseOutcome | null>(count).fill(null);
  list.forEach((r, i) => {
    const idx = typeof r.index === 'number' ? r.index : i;
    if (idx >= count) return;
    const pass = r.pass ?? r.passed ?? (r.status === 'pass' || r.status === 'passed');
    const err = typeof r.error === 'string' ? r.error : r.error ? `${r.error.code ?? ''} ${r.error.message ?? ''}`.trim() : undefined;
    out[idx] = { pass: Boolean(pass), actual: r.actual ?? r.output ?? null, matched: r.matched ?? [], error: err ?? r.message };
  });
  return out;
}

export async function fixturesPanel(s: TableSession): Promise<{ el: HTMLElement; destroy: () => void }> {
  const side = h('aside', { class: 'split-side card fixtures-side' });
  const el = h('div', { class: 'split split-wide-side' }, h('div', { class: 'split-main' }, rowToolbar(s), s.grid.el), side);
  let state: FixtureState;
  try {
    state = await loadFixtures(s);
  } catch (err) {
    clear(side, h('h2', null, t('fx.title')), h('p', { class: 'form-error', role: 'alert' }, errorText(err)));
    return { el, destroy: () => undefined };
  }
  let outcomes: (CaseOutcome | null)[] = [];
  let source: 'local' | 'server' = 'local';
  const summary = h('div', { class: 'fx-summary', 'aria-live': 'polite', id: 'fx-summary' });
  const list = h('div', { class: 'fx-list' });
  const coverageToggle = h('input', { type: 'checkbox', id: 'fx-coverage', checked: s.showCoverage });
  coverageToggle.addEventListener('change', () => {
    s.showCoverage = coverageToggle.checked;
    s.updateMarks();
  });

  const runNow = (): void => {
    try {
      const res = runLocal(s, state.set.cases);
      outcomes = res;
      source = 'local';
      const coverage = new Map<string, number>();
      for (const o of res) for (const id of o.matched) coverage.set(id, (coverage.get(id) ?? 0) + 1);
      s.coverage = coverage;
    } catch (err) {
      outcomes = [];
      s.coverage = null;
      clear(summary, h('p', { class: 'form-error' }, err instanceof EngineError && err.code === 'INVALID_TABLE' ? t('sim.invalidTable') : errorText(err)));
      render(false);
      return;
    }
    s.updateMarks();
    render(true);
  };

  const runServer = async (): Promise<void> => {
    if (s.dirty()) {
      announce(t('appr.unsaved'), 'error');
      return;
    }
    clear(summary, h('p', { role: 'status' }, t('fx.running')));
    try {
      const report = await api.runFixtures(s.id, s.readonly ? String(s.version) : 'draft');
      outcomes = serverOutcomes(report, state.set.cases.length);
      source = 'server';
      render(true);
    } catch (err) {
      clear(summary, h('p', { class: 'form-error', role: 'alert' }, errorText(err)));
    }
  };

  const editCase = async (index: number): Promise<void> => {
    const existing = index >= 0 ? state.set.cases[index] : undefined;
    const template: FixtureCase = existing ?? {
      name: '',
      input: Object.fromEntries(s.model.table.inputs.filter((c) => c.expression === undefined).map((c) => [c.name, c.values?.[0] ?? null])),
      expect: Object.fromEntries(s.model.table.outputs.map((o) => [o.name, o.values?.[0] ?? null])),
    };
    const next = await modal<FixtureCase>(existing ? `${t('fx.edit')}: ${existing.name ?? index + 1}` : t('fx.add'), (close) => {
      const area = h('textarea', { id: 'fx-case-json', rows: '14', class: 'mono', spellcheck: 'false', 'aria-label': t('fx.title') });
      area.value = JSON.stringify(template, null, 2);
      const error = h('p', { class: 'form-error', role: 'alert' });
      queueMicrotask(() => area.focus());
      return h(
        'form',
        {
          class: 'form-stack',
          onsubmit: (e: Event) => {
            e.preventDefault();
            try {
              const v = JSON.parse(area.value) as FixtureCase;
              if (!v || typeof v !== 'object' || typeof v.input !== 'object') throw new Error('"input" {…}');
              close(v);
            } catch (err) {
              error.textContent = t('fx.jsonInvalid', { message: err instanceof Error ? err.message : String(err) });
            }
          },
        },
        area,
        error,
        h('div', { class: 'dialog-actions' }, h('span', { class: 'spacer' }), h('button', { type: 'button', onclick: () => close(null) }, t('common.cancel')), h('button', { type: 'submit', class: 'primary' }, t('common.ok'))),
      );
    });
    if (!next) return;
    if (existing) state.set.cases[index] = next;
    else state.set.cases.push(next);
    runNow();
  };

  const save = async (): Promise<void> => {
    try {
      await saveFixtureSet(s, state, t('fx.reason'));
      announce(t('fx.saved'), 'ok');
      render(true);
    } catch (err) {
      announce(errorText(err), 'error');
    }
  };

  const render = (withSummary: boolean): void => {
    const cases = state.set.cases;
    if (withSummary) {
      const done = outcomes.filter((o): o is CaseOutcome => o !== null);
      const passed = done.filter((o) => o.pass).length;
      const rules = s.model.table.rules;
      const covered = rules.filter((r) => (s.coverage?.get(r.id) ?? 0) > 0);
      const uncovered = rules.filter((r) => !(s.coverage?.get(r.id) ?? 0));
      clear(
        summary,
        h('p', null, h('strong', { class: passed === done.length ? 'ok' : 'bad' }, t('fx.summary', { passed, failed: done.length - passed })), ' · ', h('span', { class: 'muted small' }, source === 'local' ? t('fx.local') : t('fx.server'))),
        s.coverage
          ? h(
              'p',
              { id: 'fx-coverage-text' },
              t('fx.coverage', { covered: covered.length, total: rules.length }),
              uncovered.length > 0 ? h('span', { class: 'muted small' }, ` — ${t('fx.uncovered', { rules: uncovered.slice(0, 20).map((r) => r.id).join(', ') })}${uncovered.length > 20 ? ' …' : ''}`) : null,
            )
          : null,
      );
    }
    clear(
      list,
      cases.length === 0
        ? h('p', { class: 'muted' }, t('fx.none'))
        : h(
            'table',
            { class: 'data compact fx-table', id: 'fx-table' },
            h(
              'thead',
              null,
              h(
                'tr',
                null,
                h('th', { scope: 'col' }, t('fx.name')),
                h('th', { scope: 'col' }, t('fx.input')),
                h('th', { scope: 'col' }, t('fx.expect')),
                h('th', { scope: 'col' }, t('fx.actual')),
                h('th', { scope: 'col' }, t('fx.result')),
                h('th', { scope: 'col' }, h('span', { class: 'sr-only' }, t('fx.edit'))),
              ),
            ),
            h(
              'tbody',
              null,
              cases.map((c, i) => {
                const o = outcomes[i];
                return h(
                  'tr',
                  { class: o ? (o.pass ? 'fx-pass' : 'fx-fail') : undefined },
                  h('td', null, c.name ?? `#${i + 1}`, c.date ? h('div', { class: 'muted small' }, formatDate(c.date)) : null),
                  h('td', { class: 'mono small' }, compact(c.input)),
                  h('td', { class: 'mono small' }, c.expectError ? t('fx.expectError', { code: c.expectError }) : compact(c.expect)),
                  h('td', { class: 'mono small' }, o ? (o.error ?? compact(o.actual)) : ''),
                  h(
                    'td',
                    null,
                    o ? h('span', { class: `pill ${o.pass ? 'pill-ok' : 'pill-danger'}` }, o.pass ? t('fx.passed') : t('fx.failed')) : '',
                    o && o.matched.length > 0 ? h('div', { class: 'muted small' }, t('fx.matched', { rules: o.matched.join(', ') })) : null,
                  ),
                  h(
                    'td',
                    { class: 'nowrap' },
                    s.readonly ? null : h('button', { type: 'button', class: 'small', onclick: () => void editCase(i), 'aria-label': `${t('fx.edit')} ${c.name ?? i + 1}` }, t('fx.edit')),
                    s.readonly
                      ? null
                      : h(
                          'button',
                          {
                            type: 'button',
                            class: 'small danger',
                            'aria-label': `${t('fx.delete')} ${c.name ?? i + 1}`,
                            onclick: () => {
                              state.set.cases.splice(i, 1);
                              runNow();
                            },
                          },
                          t('fx.delete'),
                        ),
                  ),
                );
              }),
            ),
          ),
      s.fixturesDirty() ? h('p', { class: 'unsaved' }, '● ', t('fx.unsavedHint')) : null,
    );
  };

  clear(
    side,
    h('h2', null, t('fx.title')),
    h('p', { class: 'muted small' }, t('fx.intro')),
    h(
      'div',
      { class: 'actions' },
      h('button', { type: 'button', id: 'fx-run', class: 'primary', onclick: () => void runServer() }, t('fx.run')),
      s.readonly ? null : h('button', { type: 'button', id: 'fx-add', onclick: () => void editCase(-1) }, t('fx.add')),
      s.readonly ? null : h('button', { type: 'button', id: 'fx-save', onclick: () => void save() }, t('fx.save')),
    ),
    h('label', { class: 'check' }, coverageToggle, ' ', t('fx.showCoverage')),
    summary,
    list,
  );
  runNow();
  const unlisten = s.model.onChange(() => runNow());
  return {
    el,
    destroy: () => {
      unlisten();
    },
  };
}
