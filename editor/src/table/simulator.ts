// Try it: a form built from the table's inputs decides instantly in the browser with the engine; the matched rules
// light up in the grid, the explanation shows per rule which cells held, and the case can be saved as a test case.
// This file wires the panel (the form, the events, the server check); deciding and marking is simulator-state.ts,
// drawing the result and the explanation simulator-view.ts.
import { api } from '../api.ts';
import { announce, clear, h } from '../dom.ts';
import { t, todayIso } from '../i18n/index.ts';
import { errorText } from '../views/errors.ts';
import { isoValue, temporalField } from '../date-input.ts';
import { loadFixtures, saveFixtureSet } from './fixtures-state.ts';
import { rowToolbar } from './grid-panel.ts';
import { columnField, control, getPath, readControl, setPath, type Control } from './input-form.ts';
import type { TableSession } from './session.ts';
import { caseFromSimulation, markSimulation, putCase, simulate, type Simulation } from './simulator-state.ts';
import { libraryOf, preloadRequired, requiredFromLibrary, requiredInputs } from './fixture-run.ts';
import type { RequiredTables } from '../../../server/engine/chain.ts';
import type { DecisionTable } from '../../../server/engine/index.ts';
import { askCaseName, reasoning, renderSimulation } from './simulator-view.ts';
import { formatValue } from './values.ts';

export function simulatorPanel(s: TableSession): { el: HTMLElement; destroy: () => void } {
  const form = h('form', { class: 'sim-form', 'aria-labelledby': 'sim-title', onsubmit: (e: Event) => (e.preventDefault(), run()) });
  const result = h('div', { class: 'sim-result', 'aria-live': 'polite', id: 'sim-result' });
  const trace = h('div', { class: 'sim-trace', id: 'sim-trace' });
  const serverOut = h('p', { class: 'muted small', 'aria-live': 'polite', id: 'sim-server-result' });
  // The server's reasoning names the version that decided and its start date: the text for a letter.
  const serverReasoning = h('div', { id: 'sim-server-reasoning-box' });
  const asOfField = temporalField({ id: 'sim-asof' });
  const asOf = asOfField.input;
  const simDate = temporalField({ id: 'sim-date', value: s.simDate || todayIso(), oninput: onDate });
  const controls = new Map<string, Control>();
  let last: Simulation | null = null;
  /** The case's date decides which versions of the required tables run (or that one is archived): fetch those. */
  function onDate(): void {
    s.simDate = isoValue(simDate.input);
    void prepareChain();
  }

  const buildForm = (): void => {
    // A rebuild (other required inputs after a new date) keeps the server part open and the date field focused.
    const serverOpen = form.querySelector('details.server-eval')?.hasAttribute('open') ?? false;
    const focused = document.activeElement;
    controls.clear();
    const field = (col: DecisionTable['inputs'][number], id: string): HTMLElement => {
      const c = control(col, getPath(s.simInput, col.path ?? col.name), id);
      c.addEventListener('change', run);
      if (c instanceof HTMLInputElement) c.addEventListener('input', run);
      controls.set(col.path ?? col.name, c);
      return columnField(col, c);
    };
    const fields = s.model.table.inputs.filter((col) => col.expression === undefined).map((col, i) => field(col, `sim-in-${i}`));
    // What the required tables read besides: a chain decides them first, and they need their own inputs.
    const extra = required ? requiredInputs(s.model.table, required) : [];
    clear(
      form,
      fields,
      extra.length > 0
        ? h('fieldset', { class: 'sim-required', id: 'sim-required' }, h('legend', null, t('sim.requiredInputs')), extra.map((col, i) => field(col, `sim-req-${i}`)))
        : null,
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'submit', class: 'primary', id: 'sim-run' }, t('sim.run')),
        s.model.readonly ? null : h('button', { type: 'button', id: 'sim-save-fixture', onclick: () => void saveAsFixture() }, t('sim.saveFixture')),
      ),
      h(
        'details',
        { class: 'server-eval', open: serverOpen || undefined },
        h('summary', null, t('sim.onServer')),
        h('label', { for: 'sim-date' }, t('sim.date')),
        simDate.el,
        h('label', { for: 'sim-asof' }, t('hist.asOf')),
        asOfField.el,
        h('button', { type: 'button', id: 'sim-server', onclick: () => void onServer() }, t('sim.run')),
        serverOut,
        serverReasoning,
      ),
    );
    if (focused instanceof HTMLElement && focused !== document.activeElement && form.contains(focused)) focused.focus();
  };

  const caseInput = (): Record<string, unknown> => {
    const input: Record<string, unknown> = {};
    const columns = [...s.model.table.inputs, ...(required ? requiredInputs(s.model.table, required) : [])];
    for (const col of columns) {
      const el = controls.get(col.path ?? col.name);
      if (!el) continue;
      const v = readControl(col, el);
      if (v !== undefined) setPath(input, col.path ?? col.name, v);
    }
    return input;
  };

  // A table with `requires`: its required tables are fetched once, then every simulation decides the chain.
  let required: RequiredTables | null = null;
  const prepareChain = async (): Promise<void> => {
    if (!s.model.table.requires?.length) return;
    const date = s.simDate || todayIso();
    try {
      await preloadRequired(s.model.table, libraryOf(s), date);
    } catch {
      /* unreachable server: the simulation names the missing table when it runs */
    }
    const before = required ? requiredInputs(s.model.table, required).map((c) => c.path ?? c.name).join('|') : null;
    required = requiredFromLibrary(libraryOf(s), date);
    // Rebuilt only when the required tables ask other inputs: a new date keeps the form (and the open server part).
    if (before !== requiredInputs(s.model.table, required).map((c) => c.path ?? c.name).join('|')) buildForm();
    if (last) run();
  };

  function run(): void {
    const input = caseInput();
    s.simInput = input;
    // Chosen on the case's date each time, as the server does: the version valid then, or none if it is archived.
    last = simulate(s, input, s.model.table.requires?.length ? requiredFromLibrary(libraryOf(s), s.simDate || todayIso()) : null);
    const first = markSimulation(s, last);
    s.updateMarks();
    // Show the matched rule from its first condition, so the inputs stay in view.
    if (first) s.grid.focusRule(first, s.model.table.inputs[0] ? `in:${s.model.table.inputs[0].name}` : undefined, false);
    renderSimulation(s, last, result, trace);
  }

  const saveAsFixture = async (): Promise<void> => {
    if (!last) run();
    const l = last!;
    let state: Awaited<ReturnType<typeof loadFixtures>>;
    try {
      state = await loadFixtures(s);
    } catch (err) {
      announce(errorText(err), 'error');
      return;
    }
    const answer = await askCaseName(new Set(state.set.cases.map((c) => c.name)));
    if (!answer) return;
    const { name } = answer;
    try {
      putCase(state, caseFromSimulation(l, name));
      await saveFixtureSet(s, state, answer.reason || t('sim.fixtureDefaultReason', { name }));
      announce(t('sim.fixtureSaved', { name }), 'ok');
    } catch (err) {
      s.fixtures = null; // reload next time: the local copy may now differ from the server's
      announce(errorText(err), 'error');
    }
  };

  const onServer = async (): Promise<void> => {
    try {
      const r = await api.evaluate(s.id, {
        input: caseInput(),
        date: s.simDate || todayIso(),
        ...(isoValue(asOf) ? { asOf: isoValue(asOf) } : {}),
        ...(s.version ? { version: s.version } : {}),
        explain: true,
      });
      serverOut.textContent = `${t('sim.serverResult', { version: r.version, validFrom: formatValue(r.validFrom) })}: ${JSON.stringify(r.output)} (${r.matched.join(', ')})`;
      clear(serverReasoning, r.explanation ? reasoning(r.explanation, 'sim-server-reasoning', t('sim.serverReasoningHelp')) : null);
    } catch (err) {
      serverOut.textContent = errorText(err);
      clear(serverReasoning);
    }
  };

  buildForm();
  void prepareChain();
  const el = h(
    'div',
    { class: 'split' },
    h('div', { class: 'split-main' }, rowToolbar(s), s.grid.el),
    h('aside', { class: 'split-side card' }, h('h2', { id: 'sim-title' }, t('sim.title')), h('p', { class: 'muted small' }, t('sim.intro')), form, result, trace),
  );
  const unlisten = s.model.onChange((c) => {
    if (c.kind === 'columns' || c.kind === 'replace') buildForm();
    if (last) {
      try {
        run();
      } catch {
        /* the table does not compile right now: the result waits */
      }
    }
  });
  if (Object.keys(s.simInput).length > 0) {
    try {
      run();
    } catch {
      /* invalid table */
    }
  }
  return {
    el,
    destroy: () => {
      unlisten();
    },
  };
}
