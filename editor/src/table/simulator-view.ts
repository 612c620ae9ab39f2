// The simulator's rendering: the decision (one decision as label → value lines, several as a table), the
// explanation per rule and cell, and the dialog that names a test case. State and logic are simulator-state.ts.
import { announce, clear, h, modal } from '../dom.ts';
import { engineErrorText, formatDate, lang, t } from '../i18n/index.ts';
import type { Explanation } from '../../../server/engine/explain.ts';
import type { EngineError, RuleTrace } from '../../../server/engine/index.ts';
import { RequiredTableArchived } from './fixture-run.ts';
import type { TableSession } from './session.ts';
import { shownTrace, type Simulation } from './simulator-state.ts';
import { formatValue } from './values.ts';

/** Draws the simulation's decision into `result` and its explanation into `trace` (both emptied without one). */
export function renderSimulation(s: TableSession, sim: Simulation | null, result: HTMLElement, trace: HTMLElement): void {
  if (!sim) {
    clear(result);
    clear(trace);
    return;
  }
  const { result: res, error } = sim;
  if (error) {
    clear(result, h('h3', null, t('sim.result')), h('p', { class: 'form-error', role: 'alert' }, simulationError(error)));
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
      sim.explanation ? reasoning(sim.explanation) : null,
    );
  }
  renderTrace(s, res?.trace ?? [], trace);
}

function simulationError(error: EngineError): string {
  if (error.code === 'INVALID_TABLE') return t('sim.invalidTable');
  if (error instanceof RequiredTableArchived) return t('sim.requiredArchived', { table: error.tableId, date: formatDate(error.since) });
  return t('sim.error', { message: engineErrorText(error) });
}

/**
 * The reasoned decision as a case handler pastes it into a decision letter: in the editor's language (Dutch first),
 * the other language folded away, and a button that copies the text shown.
 */
export function reasoning(e: Explanation, id = 'sim-reasoning', help: string = t('sim.reasoningHelp')): HTMLElement {
  const first = lang() === 'en' ? e.en : e.nl;
  const other = lang() === 'en' ? e.nl : e.en;
  const text = h('div', { class: 'reasoning-text', id: `${id}-text`, tabindex: '0', role: 'region', 'aria-labelledby': `${id}-title` }, first);
  const copy = async (): Promise<void> => {
    try {
      await navigator.clipboard.writeText(first);
      announce(t('sim.reasoningCopied'), 'ok');
    } catch {
      // No clipboard (an insecure origin, a refused permission): select the text so the user can copy it.
      const range = document.createRange();
      range.selectNodeContents(text);
      const sel = window.getSelection();
      sel?.removeAllRanges();
      sel?.addRange(range);
      announce(t('sim.reasoningCopyFailed'), 'error');
    }
  };
  return h(
    'section',
    { class: 'sim-reasoning', id, 'aria-labelledby': `${id}-title` },
    h('h3', { id: `${id}-title` }, t('sim.reasoning')),
    h('p', { class: 'muted small' }, help),
    text,
    h('div', { class: 'actions' }, h('button', { type: 'button', id: `${id}-copy`, onclick: () => void copy() }, t('sim.copyReasoning'))),
    h('details', { class: 'reasoning-other' }, h('summary', null, t('sim.reasoningOther')), h('div', { class: 'reasoning-text', id: `${id}-other`, lang: lang() === 'en' ? 'nl' : 'en', tabindex: '0', role: 'region', 'aria-label': t('sim.reasoningOther') }, other)),
  );
}

function renderTrace(s: TableSession, tr: RuleTrace[], trace: HTMLElement): void {
  if (tr.length === 0) {
    clear(trace);
    return;
  }
  const inputs = s.model.table.inputs;
  clear(
    trace,
    h('h3', null, t('sim.trace')),
    // Its own scroll region: with many inputs the trace is wider than the panel, which must not scroll sideways.
    h(
      'div',
      { class: 'table-scroll trace-scroll', tabindex: '0', role: 'region', 'aria-label': t('sim.trace') },
      h(
        'table',
        { class: 'data compact trace' },
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('grid.rule')), inputs.map((c) => h('th', { scope: 'col' }, c.label ?? c.name)))),
        h(
          'tbody',
          null,
          shownTrace(tr).map((rt) =>
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
    ),
  );
}

/**
 * Asks the name of the test case to save, and a reason when the name replaces an existing case. A new case needs no
 * story beyond where it came from; replacing a case changes an expectation someone relied on, so then the reason is
 * required (it goes into the draft's history and the audit trail). Null when cancelled.
 */
export function askCaseName(existing: ReadonlySet<string | undefined>): Promise<{ name: string; reason: string } | null> {
  return modal<{ name: string; reason: string }>(t('sim.saveFixture'), (close) => {
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
}
