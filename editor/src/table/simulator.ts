// Try it: a form built from the table's inputs decides instantly in the browser with the engine; the matched rules
// light up in the grid, the explanation shows per rule which cells held, and the case can be saved as a test case.
import { api } from '../api.ts';
import { announce, clear, h, modal } from '../dom.ts';
import { t, todayIso } from '../i18n/index.ts';
import { compileTable, EngineError, type CompiledTable, type EvaluationResult, type JsonValue, type RuleTrace } from '../../../server/engine/index.ts';
import { rowToolbar } from '../views/table.ts';
import { errorText } from '../views/errors.ts';
import { loadFixtures, saveFixtureSet } from './fixtures.ts';
import { columnField, control, getPath, readControl, setPath, type Control } from './input-form.ts';
import type { TableSession } from './session.ts';
import { formatValue } from './values.ts';

// The compiled working copy, reused until the table changes (the model bumps its generation on every change).
let compiledFor: { session: TableSession; generation: number; compiled: CompiledTable } | null = null;

function compiled(s: TableSession): CompiledTable {
  if (!compiledFor || compiledFor.session !== s || compiledFor.generation !== s.model.generation) {
    compiledFor = { session: s, generation: s.model.generation, compiled: compileTable(structuredClone(s.model.table)) };
  }
  return compiledFor.compiled;
}

export function simulatorPanel(s: TableSession): { el: HTMLElement; destroy: () => void } {
  const form = h('form', { class: 'sim-form', 'aria-labelledby': 'sim-title', onsubmit: (e: Event) => (e.preventDefault(), run()) });
  const result = h('div', { class: 'sim-result', 'aria-live': 'polite', id: 'sim-result' });
  const trace = h('div', { class: 'sim-trace', id: 'sim-trace' });
  const serverOut = h('p', { class: 'muted small', 'aria-live': 'polite', id: 'sim-server-result' });
  const asOf = h('input', { id: 'sim-asof', type: 'date' });
  const controls = new Map<string, Control>();
  let last: { input: Record<string, unknown>; result: EvaluationResult | null; error: EngineError | null } | null = null;

  const buildForm = (): void => {
    controls.clear();
    const fields = s.model.table.inputs
      .filter((col) => col.expression === undefined)
      .map((col, i) => {
        const id = `sim-in-${i}`;
        const c = control(col, getPath(s.simInput, col.path ?? col.name), id);
        c.addEventListener('change', run);
        if (c instanceof HTMLInputElement) c.addEventListener('input', run);
        controls.set(col.name, c);
        return columnField(col, c);
      });
    clear(
      form,
      fields,
      h(
        'div',
        { class: 'actions' },
        h('button', { type: 'submit', class: 'primary', id: 'sim-run' }, t('sim.run')),
        s.readonly ? null : h('button', { type: 'button', id: 'sim-save-fixture', onclick: () => void saveAsFixture() }, t('sim.saveFixture')),
      ),
      h(
        'details',
        { class: 'server-eval' },
        h('summary', null, t('sim.onServer')),
        h('label', { for: 'sim-date' }, t('sim.date')),
        h('input', { id: 'sim-date', type: 'date', value: s.simDate || todayIso(), oninput: (e: Event) => (s.simDate = (e.target as HTMLInputElement).value) }),
        h('label', { for: 'sim-asof' }, t('hist.asOf')),
        asOf,
        h('button', { type: 'button', id: 'sim-server', onclick: () => void onServer() }, t('sim.run')),
        serverOut,
      ),
    );
  };

  const caseInput = (): Record<string, unknown> => {
    const input: Record<string, unknown> = {};
    for (const col of s.model.table.inputs) {
      const el = controls.get(col.name);
      if (!el) continue;
      const v = readControl(col, el);
      if (v !== undefined) setPath(input, col.path ?? col.name, v);
    }
    return input;
  };

  function run(): void {
    const input = caseInput();
    s.simInput = input;
    let res: EvaluationResult | null = null;
    let error: EngineError | null = null;
    try {
      res = compiled(s).evaluate(input, { trace: true });
    } catch (err) {
      if (err instanceof EngineError) error = err;
      else throw err;
    }
    last = { input, result: res, error };
    s.matched = new Set(res?.matched ?? (error && 'rules' in error ? (error as EngineError & { rules: string[] }).rules : []));
    s.traceMarks = new Map();
    for (const rt of res?.trace ?? []) {
      if (!rt.matched) continue;
      rt.cells.forEach((c) => s.traceMarks.set(`${rt.ruleId}|in:${c.name}`, 'held'));
    }
    s.updateMarks();
    const first = res?.matched[0] ?? [...s.matched][0];
    // Show the matched rule from its first condition, so the inputs stay in view.
    if (first) s.grid.focusRule(first, s.model.table.inputs[0] ? `in:${s.model.table.inputs[0].name}` : undefined, false);
    renderResult();
  }

  const renderResult = (): void => {
    if (!last) {
      clear(result);
      clear(trace);
      return;
    }
    const { result: res, error } = last;
    if (error) {
      clear(result, h('h3', null, t('sim.result')), h('p', { class: 'form-error', role: 'alert' }, error.code === 'INVALID_TABLE' ? t('sim.invalidTable') : t('sim.error', { message: error.message })));
    } else if (res) {
      const outputs = s.model.table.outputs;
      const rows = res.output === null ? [] : Array.isArray(res.output) ? res.output : [res.output];
      clear(
        result,
        h('h3', null, t('sim.result')),
        res.output === null
          ? h('p', { class: 'muted' }, t('sim.noMatch'))
          : rows.length === 1 && !Array.isArray(res.output)
            ? // One decision: label → value, one per line (fits the side panel).
              h(
                'table',
                { class: 'data compact', id: 'sim-output' },
                h(
                  'tbody',
                  null,
                  Object.entries(rows[0]!).map(([k, v]) => {
                    const col = outputs.find((o) => o.name === k);
                    return h('tr', null, h('th', { scope: 'row' }, col?.label ?? k), h('td', null, formatValue(v, col ?? { name: k })));
                  }),
                ),
              )
            : h(
                'div',
                { class: 'table-scroll', tabindex: '0', role: 'region', 'aria-label': t('sim.result') },
                h(
                  'table',
                  { class: 'data compact', id: 'sim-output' },
                  h('thead', null, h('tr', null, Object.keys(rows[0] ?? {}).map((k) => h('th', { scope: 'col' }, outputs.find((o) => o.name === k)?.label ?? k)))),
                  h(
                    'tbody',
                    null,
                    rows.map((r) => h('tr', null, Object.entries(r).map(([k, v]) => h('td', null, formatValue(v, outputs.find((o) => o.name === k) ?? { name: k }))))),
                  ),
                ),
              ),
        h('p', { id: 'sim-matched' }, t('sim.matched', { rules: res.matched.join(', ') || '—' })),
      );
    }
    renderTrace(res?.trace ?? []);
  };

  const renderTrace = (tr: RuleTrace[]): void => {
    if (tr.length === 0) {
      clear(trace);
      return;
    }
    const matched = tr.filter((x) => x.matched);
    // The near misses: rules that failed on the fewest cells, so the advisor sees what was almost chosen.
    const near = tr
      .filter((x) => !x.matched)
      .map((x) => ({ x, failed: x.cells.filter((c) => !c.held).length }))
      .sort((a, b) => a.failed - b.failed || a.x.index - b.x.index)
      .slice(0, Math.max(0, 5 - matched.length))
      .map((a) => a.x);
    const shown = [...matched, ...near].sort((a, b) => a.index - b.index);
    const inputs = s.model.table.inputs;
    clear(
      trace,
      h('h3', null, t('sim.trace')),
      h(
        'table',
        { class: 'data compact trace' },
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('grid.rule')), inputs.map((c) => h('th', { scope: 'col' }, c.label ?? c.name)))),
        h(
          'tbody',
          null,
          shown.map((rt) =>
            h(
              'tr',
              { class: rt.matched ? 'trace-matched' : undefined },
              h('th', { scope: 'row' }, h('button', { type: 'button', class: 'link-button', onclick: () => s.grid.focusRule(rt.ruleId) }, rt.ruleId), rt.matched ? ' ✓' : ''),
              rt.cells.map((c) =>
                h(
                  'td',
                  { class: c.held ? 'held' : 'failed', title: t('sim.trace.value', { value: formatValue(c.value) }) },
                  h('span', { class: 'mono' }, c.text),
                  h('span', { class: 'sr-only' }, ` ${c.held ? t('sim.trace.held') : t('sim.trace.failed')}`),
                  h('span', { 'aria-hidden': 'true' }, c.held ? ' ✓' : ' ✗'),
                  h('div', { class: 'muted small' }, formatValue(c.value)),
                ),
              ),
            ),
          ),
        ),
      ),
    );
  };

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
    const existing = new Set(state.set.cases.map((c) => c.name));
    // A new case needs no story beyond where it came from; replacing a case changes an expectation someone relied
    // on, so then the reason is asked for (it goes into the draft's history and the audit trail).
    const answer = await modal<{ name: string; reason: string }>(t('sim.saveFixture'), (close) => {
      const input = h('input', { id: 'fixture-name', required: true, value: '', autocomplete: 'off' });
      const reason = h('input', { id: 'fixture-reason', value: '', autocomplete: 'off', 'aria-describedby': 'fixture-reason-hint' });
      const hint = h('p', { id: 'fixture-reason-hint', class: 'help form-hint' });
      const update = (): void => {
        const replaces = existing.has(input.value.trim());
        reason.required = replaces;
        hint.textContent = replaces ? t('sim.fixtureReplaces') : t('sim.fixtureReasonOptional');
      };
      input.addEventListener('input', update);
      update();
      queueMicrotask(() => input.focus());
      return h(
        'form',
        {
          class: 'form-grid',
          onsubmit: (e: Event) => {
            e.preventDefault();
            const name = input.value.trim();
            if (!name || (existing.has(name) && !reason.value.trim())) return;
            close({ name, reason: reason.value.trim() });
          },
        },
        h('label', { for: 'fixture-name' }, t('sim.fixtureName')),
        input,
        h('label', { for: 'fixture-reason' }, t('sim.fixtureReason')),
        reason,
        hint,
        h('div', { class: 'dialog-actions' }, h('span', { class: 'spacer' }), h('button', { type: 'button', onclick: () => close(null) }, t('common.cancel')), h('button', { type: 'submit', class: 'primary' }, t('common.save'))),
      );
    });
    if (!answer) return;
    const { name } = answer;
    try {
      const c: Record<string, unknown> = { name, input: structuredClone(l.input) };
      if (l.error) c.expectError = l.error.code;
      else c.expect = (l.result?.output ?? {}) as JsonValue;
      // Saving under an existing case's name replaces that case (its expectation follows the draft); otherwise a new case.
      const at = state.set.cases.findIndex((x) => x.name === name);
      if (at >= 0) state.set.cases[at] = c as (typeof state.set.cases)[number];
      else state.set.cases.push(c as (typeof state.set.cases)[number]);
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
        ...(asOf.value ? { asOf: asOf.value } : {}),
        ...(s.version ? { version: s.version } : {}),
      });
      serverOut.textContent = `${t('sim.serverResult', { version: r.version, validFrom: formatValue(r.validFrom) })}: ${JSON.stringify(r.output)} (${r.matched.join(', ')})`;
    } catch (err) {
      serverOut.textContent = errorText(err);
    }
  };

  buildForm();
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
