// The Testgevallen panel: lists a table's test cases (expected vs actual per case), adds, duplicates, edits (a form per
// case, with JSON as the advanced option: fixture-form.ts) and deletes them; saves with a reason; runs them with
// progress — in the browser with the engine's runner, as the server would (fixture-run.ts), then on the server — and
// shows the rule coverage on the grid. What it shows is computed in fixtures-state.ts; this file renders.
import { api, ApiError, type FixtureCase } from '../api.ts';
import { announce, clear, h } from '../dom.ts';
import { problemText, t } from '../i18n/index.ts';
import { compileTable, EngineError, type CompiledTable } from '../../../server/engine/index.ts';
import { rowToolbar } from './grid-panel.ts';
import { errorText } from '../views/errors.ts';
import { caseItem, type CaseActions } from './fixture-case.ts';
import { blankCase, editCaseForm } from './fixture-form.ts';
import { libraryOf, runCasesLikeServer, serverTarget } from './fixture-run.ts';
import { describeFixturePath, loadFixtures, outcomeOf, saveFixtureSet, serverOutcomes, type CaseOutcome } from './fixtures-state.ts';
import type { FixtureState, TableSession } from './session.ts';

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

  /** Compiles the working copy, or shows why it does not compile and returns null. */
  const compileWorking = (): CompiledTable | null => {
    try {
      return compileTable(structuredClone(s.model.table));
    } catch (err) {
      outcomes = [];
      s.coverage = null;
      render(false);
      clear(summary, h('p', { class: 'form-error', role: 'alert' }, err instanceof EngineError && err.code === 'INVALID_TABLE' ? t('sim.invalidTable') : errorText(err)));
      return null;
    }
  };

  /** Runs the cases in the browser right away (after every change of the table or the cases); the latest run wins. */
  let generation = 0;
  const runNow = async (): Promise<void> => {
    const mine = ++generation;
    const compiled = compileWorking();
    if (!compiled) return;
    try {
      const reports = await runCasesLikeServer(s, libraryOf(s), compiled, state.set.cases);
      if (mine !== generation) return;
      outcomes = reports.map(outcomeOf);
      source = 'local';
      setCoverage(outcomes);
    } catch (err) {
      if (mine !== generation) return;
      clear(summary, h('p', { class: 'form-error', role: 'alert' }, errorText(err)));
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
    const mine = ++generation;
    try {
      const compiled = compileWorking();
      if (!compiled) return;
      // The Run button asks for the version list again: a version may have been adopted since the tab opened.
      libraryOf(s).forget(s.id);
      const reports = await runCasesLikeServer(s, libraryOf(s), compiled, cases, (done, total) => showProgress(done, total));
      if (cases.length === 0) showProgress(0, 0);
      if (mine !== generation) return;
      outcomes = reports.map(outcomeOf);
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
      const target = serverTarget(s);
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
    void runNow();
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
          err.details.length > 0 ? h('ul', null, err.details.map((d) => h('li', null, `${describeFixturePath(d.path, state.set.cases)}: ${problemText(d)}`))) : h('p', null, errorText(err)),
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

  const caseActions: CaseActions = {
    edit: (i) => void editCase(i),
    duplicate: (i) => void editCase(-1, i),
    remove: (i, name) => {
      state.set.cases.splice(i, 1);
      void runNow();
      announce(t('fx.deleted', { name }));
      (list.querySelector<HTMLElement>(`[data-case="${Math.min(i, state.set.cases.length - 1)}"] .fx-case-name`) ?? runButton).focus();
    },
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
          : h('ol', { class: 'fx-cases', id: 'fx-cases', 'aria-label': t('fx.title') }, shown.map(({ c, i }) => caseItem(s, c, i, outcomes[i] ?? null, caseActions))),
      s.fixturesDirty() ? h('p', { class: 'unsaved', id: 'fx-unsaved' }, '● ', t('fx.unsavedHint')) : null,
    );
    syncSave();
  };

  clear(
    side,
    h('h2', null, t('fx.title')),
    h('p', { class: 'muted small' }, t('fx.intro')),
    h('div', { class: 'actions' }, runButton, s.model.readonly ? null : h('button', { type: 'button', id: 'fx-add', onclick: () => void editCase(-1) }, t('fx.add'))),
    progressBox,
    s.model.readonly
      ? null
      : h('div', { class: 'fx-save' }, h('label', { for: 'fx-reason' }, t('fx.reasonLabel')), h('div', { class: 'fx-save-row' }, reason, saveButton), saveHint, saveError),
    h('div', { class: 'fx-options' }, h('label', { class: 'check' }, coverageToggle, ' ', t('fx.showCoverage')), h('label', { class: 'check' }, onlyFailed, ' ', t('fx.onlyFailed'))),
    summary,
    list,
  );
  void runNow();
  const unlisten = s.model.onChange(() => void runNow());
  return {
    el,
    destroy: () => {
      unlisten();
    },
  };
}
