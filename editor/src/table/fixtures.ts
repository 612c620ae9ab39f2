// Test cases of a table: list them (with expected vs actual per case), add, duplicate, edit (a form per case, with
// JSON as the advanced option: fixture-form.ts) and delete; save with a reason; run them with progress — instantly in
// the browser on the working copy, then on the server (POST …/fixtures/run?target=draft) — and show the rule coverage
// on the grid.
import { api, ApiError, type FixtureCase, type FixtureReport } from '../api.ts';
import { announce, clear, h } from '../dom.ts';
import { formatDate, t, type MessageKey } from '../i18n/index.ts';
import { compileTable, EngineError } from '../../../server/engine/index.ts';
import { rowToolbar } from '../views/table.ts';
import { errorText } from '../views/errors.ts';
import { blankCase, editCaseForm } from './fixture-form.ts';
import type { FixtureState, TableSession } from './session.ts';
import { compareCase, formatValue, jsonEqual } from './values.ts';

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
 * Saves the fixture set with the reason for the change. In the editor a change of the expectations belongs to the draft
 * (DESIGN §7: shown in its diff, with a reason): PUT …/draft/fixtures with the draft revision (0 makes the draft), which
 * then moves on. A user who may not edit drafts (a tester, 403) saves the table's own set instead (PUT …/fixtures).
 */
export async function saveFixtureSet(s: TableSession, state: FixtureState, reason: string): Promise<void> {
  const toDraft = async (): Promise<void> => {
    const r = await api.saveDraftFixtures(s.id, state.set, reason, s.revision);
    s.revision = r.revision;
    if (s.draft) s.draft = { ...s.draft, revision: r.revision };
    state.revision = r.revision;
    state.inDraft = true;
  };
  if (state.inDraft || !s.readonly) {
    try {
      await toDraft();
    } catch (err) {
      if (state.inDraft || !(err instanceof ApiError && err.status === 403)) throw err;
      const r = await api.saveFixtures(s.id, state.set, state.revision);
      state.revision = r.revision ?? (state.revision ?? 0) + 1;
    }
  } else {
    const r = await api.saveFixtures(s.id, state.set, state.revision);
    state.revision = r.revision ?? (state.revision ?? 0) + 1;
  }
  state.savedJson = JSON.stringify(state.set);
  s.notify();
}

export interface CaseOutcome {
  pass: boolean;
  actual: unknown;
  matched: string[];
  /** `CODE: message` when the case ended in an error. */
  error?: string;
  errorCode?: string;
}

/** Runs one case on a compiled working copy in the browser. */
function runCase(compiled: ReturnType<typeof compileTable>, c: FixtureCase): CaseOutcome {
  try {
    const r = compiled.evaluate(c.input ?? {});
    return { pass: compareCase(c, r.output, null), actual: r.output, matched: r.matched };
  } catch (err) {
    if (!(err instanceof EngineError)) throw err;
    const rules = 'rules' in err ? (err as EngineError & { rules: string[] }).rules : [];
    return { pass: compareCase(c, null, err.code), actual: null, matched: rules, error: `${err.code}: ${err.message}`, errorCode: err.code };
  }
}

/** Runs every case on the working copy in the browser. */
export function runLocal(s: TableSession, cases: FixtureCase[]): CaseOutcome[] {
  const compiled = compileTable(structuredClone(s.model.table));
  return cases.map((c) => runCase(compiled, c));
}

/** Normalises the server's report to one outcome per case (by the case's index in the set). */
function serverOutcomes(report: FixtureReport, count: number): (CaseOutcome | null)[] {
  const list = report.cases ?? report.results ?? [];
  const out: (CaseOutcome | null)[] = new Array<CaseOutcome | null>(count).fill(null);
  list.forEach((r, i) => {
    const idx = typeof r.index === 'number' ? r.index : i;
    if (idx >= count) return;
    const pass = r.pass ?? r.passed ?? (r.status === 'pass' || r.status === 'passed');
    const code = typeof r.error === 'object' && r.error ? r.error.code : undefined;
    const err = typeof r.error === 'string' ? r.error : r.error ? `${r.error.code ?? ''}: ${r.error.message ?? ''}` : undefined;
    // `message` repeats the mismatches in English: the comparison table shows them.
    out[idx] = { pass: Boolean(pass), actual: r.actual ?? r.output ?? null, matched: r.matched ?? [], error: err, errorCode: code };
  });
  return out;
}

/** One value for the comparison table: "—" for a field the output does not have. */
function show(v: unknown, col?: { name: string; label?: string; type?: string }): string {
  if (v === undefined) return '—';
  if (Array.isArray(v) || (v !== null && typeof v === 'object')) return JSON.stringify(v);
  return formatValue(v, col);
}

/** A case's input in one line: `label: value · …`. */
function inputLine(s: TableSession, c: FixtureCase): string {
  const input = c.input ?? {};
  const parts = Object.entries(input).map(([k, v]) => `${s.model.table.inputs.find((x) => x.name === k)?.label ?? k}: ${show(v, s.model.table.inputs.find((x) => x.name === k))}`);
  return parts.length > 0 ? parts.join(' · ') : '—';
}

/** Rows of expected vs actual for a case: per expected field, or the whole list, or the error code. */
function comparison(s: TableSession, c: FixtureCase, o: CaseOutcome | null): { field: string; expected: string; actual: string; same: boolean }[] {
  const label = (k: string): string => s.model.table.outputs.find((x) => x.name === k)?.label ?? k;
  const col = (k: string) => s.model.table.outputs.find((x) => x.name === k);
  if (c.expectError !== undefined) {
    const actual = o ? (o.errorCode ?? (o.error ? o.error.split(':')[0]! : t('fx.noError'))) : '';
    return [{ field: t('fx.error'), expected: c.expectError, actual, same: !o || actual === c.expectError }];
  }
  const expect = c.expect;
  if (expect === undefined) return [];
  const actualOut = o?.actual;
  if (Array.isArray(expect) || Array.isArray(actualOut)) {
    // A list: one line per row, `label: value, …`; an empty list is "no rule matches".
    const rowText = (r: unknown): string =>
      r !== null && typeof r === 'object' && !Array.isArray(r) ? Object.entries(r).map(([k, v]) => `${label(k)}: ${show(v, col(k))}`).join(', ') : show(r);
    const exp = Array.isArray(expect) ? expect : [expect];
    if (!o || !Array.isArray(actualOut)) {
      const actual = !o ? '' : (o.errorCode ?? show(actualOut));
      if (exp.length === 0) return [{ field: t('fx.list'), expected: t('fx.noMatch'), actual, same: !o }];
      return exp.map((r, i) => ({ field: t('fx.form.row', { n: i + 1 }), expected: rowText(r), actual: i === 0 ? actual : '', same: !o }));
    }
    if (exp.length === 0 && actualOut.length === 0) return [{ field: t('fx.list'), expected: t('fx.noMatch'), actual: t('fx.noMatch'), same: true }];
    return Array.from({ length: Math.max(exp.length, actualOut.length) }, (_, i) => ({
      field: t('fx.form.row', { n: i + 1 }),
      expected: i < exp.length ? rowText(exp[i]) : '—',
      actual: i < actualOut.length ? rowText(actualOut[i]) : '—',
      same: jsonEqual(exp[i], actualOut[i]),
    }));
  }
  return Object.entries(expect).map(([k, v]) => {
    const got = actualOut && typeof actualOut === 'object' ? (actualOut as Record<string, unknown>)[k] : undefined;
    const actual = !o ? '' : o.errorCode ? o.errorCode : actualOut === null ? t('fx.noMatch') : show(got, col(k));
    return { field: label(k), expected: show(v, col(k)), actual, same: !o || jsonEqual(v, got) };
  });
}

/** Field names of a fixture problem path, said the way the form says them. */
const FIELD_KEYS: Record<string, MessageKey> = {
  name: 'fx.field.name',
  input: 'fx.field.input',
  expect: 'fx.field.expect',
  expectError: 'fx.field.expectError',
  date: 'fx.field.date',
  asOf: 'fx.field.asOf',
  note: 'fx.field.note',
  reason: 'fx.field.reason',
};

/** `/fixtures/cases/3/input/gedrag` → `Testgeval “X” (nr. 4), invoer gedrag`. */
export function describeFixturePath(path: string, cases: FixtureCase[]): string {
  const m = /^(?:\/fixtures)?\/cases\/(\d+)(?:\/([^/]+)(.*))?$/.exec(path);
  if (!m) {
    const key = FIELD_KEYS[path.replace(/^\/(fixtures\/)?/, '')];
    return key ? t(key) : path || '/';
  }
  const i = Number(m[1]);
  const key = m[2] ? FIELD_KEYS[m[2]] : undefined;
  const field = key ? t(key) : (m[2] ?? '');
  const rest = m[3] ? m[3].split('/').filter(Boolean).join('.') : '';
  const where = t('fx.problemAt', { name: cases[i]?.name ?? '', n: i + 1 });
  return [where, [field, rest].filter(Boolean).join(' ')].filter(Boolean).join(', ');
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
  let source: 'local' | 'server' | 'newest' = 'local';
  let running = false;
  const summary = h('div', { class: 'fx-summary', 'aria-live': 'polite', id: 'fx-summary' });
  const progressBox = h('div', { class: 'fx-progress', id: 'fx-progress-box', hidden: true });
  const list = h('div', { class: 'fx-list' });
  const coverageToggle = h('input', { type: 'checkbox', id: 'fx-coverage', checked: s.showCoverage });
  coverageToggle.addEventListener('change', () => {
    s.showCoverage = coverageToggle.checked;
    s.updateMarks();
  });
  const onlyFailed = h('input', { type: 'checkbox', id: 'fx-only-failed' });
  onlyFailed.addEventListener('change', () => render(false));
  const runButton = h('button', { type: 'button', id: 'fx-run', class: 'primary', onclick: () => void runAll() }, t('fx.run'));

  // Saving: a required reason next to the button; the hint under them says why the button is off.
  const reason = h('input', { id: 'fx-reason', required: true, autocomplete: 'off', 'aria-describedby': 'fx-save-hint' });
  const saveButton = h('button', { type: 'button', id: 'fx-save', 'aria-describedby': 'fx-save-hint', onclick: () => void save() }, t('fx.save'));
  const saveHint = h('p', { class: 'muted small', id: 'fx-save-hint' });
  const saveError = h('div', { class: 'form-error fx-save-error', id: 'fx-save-error', role: 'alert' });
  const syncSave = (): void => {
    const dirty = s.fixturesDirty();
    const hasReason = reason.value.trim() !== '';
    saveButton.disabled = !dirty || !hasReason;
    saveHint.textContent = !dirty ? t('fx.nothingToSave') : hasReason ? '' : t('fx.reasonNeeded');
    reason.setAttribute('aria-invalid', dirty && !hasReason ? 'true' : 'false');
  };
  reason.addEventListener('input', syncSave);
  reason.addEventListener('keydown', (e) => {
    if (e.key === 'Enter' && !saveButton.disabled) {
      e.preventDefault();
      void save();
    }
  });

  const setCoverage = (res: (CaseOutcome | null)[]): void => {
    const coverage = new Map<string, number>();
    for (const o of res) for (const id of o?.matched ?? []) coverage.set(id, (coverage.get(id) ?? 0) + 1);
    s.coverage = coverage;
  };

  /** Runs the cases in the browser right away (after every change of the table or the cases). */
  const runNow = (): void => {
    try {
      outcomes = runLocal(s, state.set.cases);
      source = 'local';
      setCoverage(outcomes);
    } catch (err) {
      outcomes = [];
      s.coverage = null;
      render(false);
      clear(summary, h('p', { class: 'form-error' }, err instanceof EngineError && err.code === 'INVALID_TABLE' ? t('sim.invalidTable') : errorText(err)));
      return;
    }
    s.updateMarks();
    render(true);
  };

  const showProgress = (done: number, total: number | null): void => {
    progressBox.hidden = false;
    const bar = h('progress', { id: 'fx-progress', max: total === null ? undefined : String(total), value: total === null ? undefined : String(done), 'aria-labelledby': 'fx-progress-text' });
    clear(progressBox, bar, h('span', { class: 'small', id: 'fx-progress-text', role: 'status' }, total === null ? t('fx.running') : t('fx.progress', { done, total })));
  };

  /**
   * The Run button: every case in the browser first, in steps with a progress bar (a large set keeps the page
   * responsive); then, when table and cases are saved, on the server, whose report replaces the browser's.
   */
  const runAll = async (): Promise<void> => {
    if (running) return;
    running = true;
    runButton.disabled = true;
    const cases = state.set.cases;
    try {
      let compiled: ReturnType<typeof compileTable>;
      try {
        compiled = compileTable(structuredClone(s.model.table));
      } catch (err) {
        clear(summary, h('p', { class: 'form-error', role: 'alert' }, err instanceof EngineError && err.code === 'INVALID_TABLE' ? t('sim.invalidTable') : errorText(err)));
        return;
      }
      const res: CaseOutcome[] = [];
      const STEP = 25;
      for (let i = 0; i < cases.length; i += STEP) {
        for (const c of cases.slice(i, i + STEP)) res.push(runCase(compiled, c));
        showProgress(res.length, cases.length);
        await new Promise((r) => setTimeout(r, 0));
      }
      if (cases.length === 0) showProgress(0, 0);
      outcomes = res;
      source = 'local';
      setCoverage(outcomes);
      s.updateMarks();
      render(true);
      if (s.dirty() || s.fixturesDirty()) {
        summary.append(h('p', { class: 'muted small', id: 'fx-local-only' }, t('fx.localOnly')));
        return;
      }
      showProgress(0, null);
      // Without a stored draft (revision 0) the saved working copy is the newest version: the server has no draft to run.
      const target = s.readonly ? String(s.version) : s.revision > 0 ? 'draft' : 'newest';
      const report = await api.runFixtures(s.id, target);
      outcomes = serverOutcomes(report, cases.length);
      source = target === 'draft' ? 'server' : 'newest';
      setCoverage(outcomes);
      s.updateMarks();
      showProgress(cases.length, cases.length);
      render(true);
    } catch (err) {
      clear(summary, h('p', { class: 'form-error', role: 'alert' }, errorText(err)));
    } finally {
      running = false;
      runButton.disabled = false;
    }
  };

  const editCase = async (index: number, copyOf?: number): Promise<void> => {
    const existing = index >= 0 ? state.set.cases[index] : undefined;
    const source = copyOf !== undefined ? state.set.cases[copyOf] : existing;
    const start: FixtureCase = source ? structuredClone(source) : blankCase(s.model.table);
    if (copyOf !== undefined && source) start.name = freshName(`${source.name ?? ''} ${t('fx.copySuffix')}`.trim());
    const taken = state.set.cases.filter((_, i) => i !== index).map((c) => c.name ?? '');
    const title = existing ? `${t('fx.edit')}: ${existing.name ?? index + 1}` : copyOf !== undefined ? t('fx.duplicate') : t('fx.add');
    const next = await editCaseForm(s.model.table, title, start, taken);
    if (!next) return;
    let at = index;
    if (existing) state.set.cases[index] = next;
    else if (copyOf !== undefined) state.set.cases.splice((at = copyOf + 1), 0, next);
    else {
      state.set.cases.push(next);
      at = state.set.cases.length - 1;
    }
    runNow();
    announce(t('fx.applied', { name: next.name ?? '' }), 'ok');
    list.querySelector<HTMLElement>(`[data-case="${at}"] .fx-case-name`)?.focus();
  };

  const freshName = (base: string): string => {
    const names = new Set(state.set.cases.map((c) => c.name));
    let name = base;
    for (let n = 2; names.has(name); n++) name = `${base} ${n}`;
    return name;
  };

  const save = async (): Promise<void> => {
    const why = reason.value.trim();
    if (!why) {
      syncSave();
      reason.focus();
      return;
    }
    clear(saveError);
    saveButton.disabled = true;
    try {
      await saveFixtureSet(s, state, why);
      reason.value = '';
      announce(t('fx.saved'), 'ok');
      render(false);
    } catch (err) {
      if (err instanceof ApiError && (err.status === 409 || err.code === 'STALE_REVISION')) {
        clear(saveError, h('p', null, t('fx.stale')));
        announce(t('fx.stale'), 'error');
      } else if (err instanceof ApiError && err.status === 422) {
        clear(
          saveError,
          h('p', null, t('fx.invalid')),
          err.details.length > 0 ? h('ul', null, err.details.map((d) => h('li', null, `${describeFixturePath(d.path, state.set.cases)}: ${d.message}`))) : h('p', null, err.message),
        );
        announce(t('fx.invalid'), 'error');
      } else {
        clear(saveError, h('p', null, errorText(err)));
        announce(errorText(err), 'error');
      }
    } finally {
      syncSave();
    }
  };

  const caseItem = (c: FixtureCase, i: number): HTMLElement => {
    const o = outcomes[i] ?? null;
    const name = c.name ?? `#${i + 1}`;
    const rows = comparison(s, c, o);
    const failed = o !== null && !o.pass;
    return h(
      'li',
      { class: `fx-case${o ? (o.pass ? ' fx-pass' : ' fx-fail') : ''}`, dataset: { case: String(i) } },
      h(
        'div',
        { class: 'fx-case-head' },
        h('strong', { class: 'fx-case-name', tabindex: '-1' }, name),
        o ? h('span', { class: `pill ${o.pass ? 'pill-ok' : 'pill-danger'} fx-verdict` }, o.pass ? t('fx.passed') : t('fx.failed')) : null,
        c.date ? h('span', { class: 'muted small' }, formatDate(c.date)) : null,
      ),
      c.note ? h('p', { class: 'muted small fx-case-note' }, String(c.note)) : null,
      h('p', { class: 'small fx-case-input' }, h('span', { class: 'muted' }, `${t('fx.input')}: `), inputLine(s, c)),
      rows.length === 0
        ? h('p', { class: 'muted small' }, t('fx.nothingChecked'))
        : failed
          ? h(
              'table',
              { class: 'data compact fx-compare' },
              h('caption', { class: 'sr-only' }, t('fx.compareCaption', { name })),
              h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('fx.col.outcome')), h('th', { scope: 'col' }, t('fx.expect')), h('th', { scope: 'col' }, t('fx.actual')))),
              h(
                'tbody',
                null,
                rows.map((r) =>
                  h(
                    'tr',
                    { class: r.same ? undefined : 'fx-mismatch' },
                    h('th', { scope: 'row' }, r.field),
                    h('td', { class: 'fx-expected' }, r.expected),
                    h('td', { class: 'fx-actual' }, r.actual, r.same ? null : h('span', { class: 'sr-only' }, ` (${t('fx.mismatch')})`), r.same ? null : h('span', { 'aria-hidden': 'true' }, ' ✗')),
                  ),
                ),
              ),
            )
          : h('p', { class: 'small fx-case-expect' }, h('span', { class: 'muted' }, `${t('fx.expect')}: `), rows.map((r) => `${r.field}: ${r.expected}`).join(' · ')),
      o && o.error && !c.expectError ? h('p', { class: 'small form-error' }, o.error) : null,
      o && o.matched.length > 0 ? h('p', { class: 'muted small' }, t('fx.matched', { rules: o.matched.join(', ') })) : null,
      s.readonly
        ? null
        : h(
            'div',
            { class: 'fx-case-actions' },
            h('button', { type: 'button', class: 'small fx-edit', onclick: () => void editCase(i), 'aria-label': `${t('fx.edit')}: ${name}` }, t('fx.edit')),
            h('button', { type: 'button', class: 'small fx-duplicate', onclick: () => void editCase(-1, i), 'aria-label': `${t('fx.duplicate')}: ${name}` }, t('fx.duplicate')),
            h(
              'button',
              {
                type: 'button',
                class: 'small danger fx-delete',
                'aria-label': `${t('fx.delete')}: ${name}`,
                onclick: () => {
                  state.set.cases.splice(i, 1);
                  runNow();
                  announce(t('fx.deleted', { name }));
                  (list.querySelector<HTMLElement>(`[data-case="${Math.min(i, state.set.cases.length - 1)}"] .fx-case-name`) ?? runButton).focus();
                },
              },
              t('fx.delete'),
            ),
          ),
    );
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
        h('p', null, h('strong', { class: passed === done.length ? 'ok' : 'bad', id: 'fx-totals' }, t('fx.summary', { passed, failed: done.length - passed })), ' · ', h('span', { class: 'muted small', id: 'fx-source' }, source === 'local' ? t('fx.local') : source === 'server' ? t('fx.server') : t('fx.serverNewest'))),
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
    const shown = cases.map((c, i) => ({ c, i })).filter(({ i }) => !onlyFailed.checked || (outcomes[i] && !outcomes[i].pass));
    clear(
      list,
      cases.length === 0
        ? h('p', { class: 'muted' }, t('fx.none'))
        : shown.length === 0
          ? h('p', { class: 'muted' }, t('fx.noneFailed'))
          : h('ol', { class: 'fx-cases', id: 'fx-cases', 'aria-label': t('fx.title') }, shown.map(({ c, i }) => caseItem(c, i))),
      s.fixturesDirty() ? h('p', { class: 'unsaved', id: 'fx-unsaved' }, '● ', t('fx.unsavedHint')) : null,
    );
    syncSave();
  };

  clear(
    side,
    h('h2', null, t('fx.title')),
    h('p', { class: 'muted small' }, t('fx.intro')),
    h('div', { class: 'actions' }, runButton, s.readonly ? null : h('button', { type: 'button', id: 'fx-add', onclick: () => void editCase(-1) }, t('fx.add'))),
    progressBox,
    s.readonly
      ? null
      : h('div', { class: 'fx-save' }, h('label', { for: 'fx-reason' }, t('fx.reasonLabel')), h('div', { class: 'fx-save-row' }, reason, saveButton), saveHint, saveError),
    h('div', { class: 'fx-options' }, h('label', { class: 'check' }, coverageToggle, ' ', t('fx.showCoverage')), h('label', { class: 'check' }, onlyFailed, ' ', t('fx.onlyFailed'))),
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
