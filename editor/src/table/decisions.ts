// The Besluiten tab: the decisions this table gave, from the besluitenlog, newest first and a page at a time, with
// filters (period, version, rule, outcome, a search in the input); opening one shows its input, outcome, the rules
// that matched, the trace (which cells held) and the reasoning, all made again by the server from the logged input
// with the logged version. What can be found depends on what the server logs (all, a sample, nothing): said on top.
import { request } from '../api.ts';
import { clear, h } from '../dom.ts';
import { formatDate, formatDateTime, formatNumber, t } from '../i18n/index.ts';
import type { Explanation } from '../../../server/engine/explain.ts';
import type { RuleTrace } from '../../../server/engine/types.ts';
import { errorText } from '../views/errors.ts';
import { isoValue, temporalField } from '../date-input.ts';
import type { TableSession } from './session.ts';
import { reasoning } from './simulator-view.ts';
import { formatValue } from './values.ts';

interface LoggedDecision {
  id: number;
  version: number;
  hash: string;
  input: unknown;
  output: unknown;
  matched: string[];
  caseDate: string | null;
  asOf: string | null;
  caller: string | null;
  evaluatedAt: string;
}

interface DecisionPage {
  decisions: LoggedDecision[];
  next: number | null;
  scanLimited: boolean;
  limit: number;
  log: { mode: 'off' | 'sample' | 'all'; sampleRate?: number; retentionDays?: number };
}

interface DecisionDetail extends LoggedDecision {
  trace: RuleTrace[] | null;
  explanation: Explanation | null;
  traceProblem: string | null;
  columns: string[];
}

const enc = encodeURIComponent;

/** `key: value` pairs of a logged object (nested objects as JSON), for a row of the list. */
function pairs(v: unknown): string {
  if (v === null || v === undefined) return t('dec.none');
  if (Array.isArray(v)) return v.map(pairs).join(' | ');
  if (typeof v !== 'object') return formatValue(v);
  return Object.entries(v as Record<string, unknown>)
    .map(([k, x]) => `${k}: ${x !== null && typeof x === 'object' ? JSON.stringify(x) : formatValue(x)}`)
    .join(', ');
}

function valuesTable(v: unknown, id: string, caption: string): HTMLElement {
  const rows = v !== null && typeof v === 'object' && !Array.isArray(v) ? Object.entries(v as Record<string, unknown>) : [['', v] as [string, unknown]];
  return h(
    'table',
    { class: 'data compact', id },
    h('caption', null, caption),
    h('tbody', null, rows.map(([k, x]) => h('tr', null, h('th', { scope: 'row' }, k), h('td', { class: 'mono' }, x !== null && typeof x === 'object' ? JSON.stringify(x) : formatValue(x))))),
  );
}

function traceTable(d: DecisionDetail): HTMLElement {
  if (!d.trace) return h('p', { class: 'muted', id: 'decision-trace' }, t('dec.noTrace', { why: d.traceProblem ?? '' }));
  return h(
    'table',
    { class: 'data compact trace', id: 'decision-trace' },
    h('caption', null, t('dec.trace')),
    h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('grid.rule')), d.columns.map((c) => h('th', { scope: 'col' }, c)))),
    h(
      'tbody',
      null,
      d.trace.map((rt) =>
        h(
          'tr',
          { class: rt.matched ? 'trace-matched' : undefined },
          h('th', { scope: 'row' }, rt.ruleId, rt.matched ? ` ✓ ${t('dec.matchedRule')}` : ''),
          rt.cells.map((c) =>
            h(
              'td',
              { class: c.held ? 'held' : 'failed' },
              h('span', { class: 'mono' }, c.text),
              h('span', { class: 'sr-only' }, ` ${c.held ? t('sim.trace.held') : t('sim.trace.failed')}`),
              h('span', { 'aria-hidden': 'true' }, c.held ? ' ✓' : ' ✗'),
            ),
          ),
        ),
      ),
    ),
  );
}

export async function decisionsPanel(s: TableSession): Promise<{ el: HTMLElement }> {
  const base = `/api/v1/tables/${enc(s.id)}/decisions`;
  // dd-mm-jjjj, not the browser's picker (issue 20 point 3).
  const fromField = temporalField({ id: 'dec-from' });
  const toField = temporalField({ id: 'dec-to' });
  const from = fromField.input;
  const to = toField.input;
  const version = h('select', { id: 'dec-version' }, h('option', { value: '' }, t('dec.allVersions')), (s.detail?.versions ?? []).map((v) => h('option', { value: String(v.version) }, t('dec.versionN', { n: v.version }))));
  const rule = h('select', { id: 'dec-rule' }, h('option', { value: '' }, t('dec.allRules')), s.model.table.rules.map((r) => h('option', { value: r.id }, r.id)));
  const outcome = h('input', { id: 'dec-outcome', type: 'search', maxlength: 200 });
  const q = h('input', { id: 'dec-q', type: 'search', maxlength: 200 });
  const logNote = h('p', { class: 'muted', id: 'dec-log' });
  const status = h('p', { role: 'status', id: 'dec-count', class: 'muted' });
  const tbody = h('tbody');
  const more = h('button', { type: 'button', id: 'dec-more', class: 'dec-more' }, t('dec.more'));
  const detail = h('section', { id: 'decision-detail', 'aria-live': 'polite' });
  let next: number | null = null;
  let shown = 0;

  const query = (before?: number): string => {
    const p = new URLSearchParams();
    if (isoValue(from)) p.set('from', isoValue(from));
    if (isoValue(to)) p.set('to', isoValue(to));
    if (version.value) p.set('version', version.value);
    if (rule.value) p.set('rule', rule.value);
    if (outcome.value.trim()) p.set('outcome', outcome.value.trim());
    if (q.value.trim()) p.set('q', q.value.trim());
    if (before !== undefined) p.set('before', String(before));
    p.set('limit', '25');
    return `${base}?${p.toString()}`;
  };

  const open = async (d: LoggedDecision): Promise<void> => {
    clear(detail, h('p', { role: 'status' }, t('common.loading')));
    try {
      const { data } = await request<DecisionDetail>('GET', `${base}/${d.id}`, { endpoint: '/api/v1/tables/{id}/decisions/{logId}' });
      clear(
        detail,
        h('h3', { id: 'decision-title', tabindex: '-1' }, t('dec.detailTitle', { id: data.id, at: formatDateTime(data.evaluatedAt) })),
        h('p', null, t('dec.detailMeta', { version: data.version, date: data.caseDate ? formatDate(data.caseDate) : t('dec.today'), caller: data.caller ?? t('dec.none') })),
        h('div', { class: 'decision-values' }, valuesTable(data.input, 'decision-input', t('dec.input')), valuesTable(data.output, 'decision-output', t('dec.output'))),
        h('p', { id: 'decision-matched' }, h('strong', null, `${t('dec.matched')}: `), data.matched.length > 0 ? data.matched.join(', ') : t('dec.none')),
        traceTable(data),
        data.explanation ? reasoning(data.explanation, 'decision-reasoning', t('dec.reasoningHelp')) : null,
      );
      (detail.querySelector('#decision-title') as HTMLElement | null)?.focus();
    } catch (err) {
      clear(detail, h('p', { class: 'form-error', role: 'alert' }, errorText(err)));
    }
  };

  const load = async (append: boolean): Promise<void> => {
    if (!append) {
      clear(tbody);
      clear(detail);
      shown = 0;
    }
    status.textContent = t('common.loading');
    try {
      const { data } = await request<DecisionPage>('GET', query(append ? (next ?? undefined) : undefined), { endpoint: '/api/v1/tables/{id}/decisions' });
      logNote.textContent =
        data.log.mode === 'off' ? t('dec.logOff') : data.log.mode === 'sample' ? t('dec.logSample', { pct: formatNumber(Math.round((data.log.sampleRate ?? 0) * 100)) }) : t('dec.logAll', { days: data.log.retentionDays ?? 0 });
      for (const d of data.decisions) {
        tbody.append(
          h(
            'tr',
            { dataset: { log: String(d.id) } },
            h('td', null, formatDateTime(d.evaluatedAt)),
            h('td', { class: 'num' }, String(d.version)),
            h('td', null, d.caseDate ? formatDate(d.caseDate) : t('dec.today')),
            h('td', { class: 'mono small' }, pairs(d.input)),
            h('td', { class: 'mono small' }, pairs(d.output)),
            h('td', null, d.matched.join(', ') || t('dec.none')),
            h('td', null, h('button', { type: 'button', class: 'link-button', 'aria-label': t('dec.openLabel', { id: d.id }), onclick: () => void open(d) }, t('dec.open'))),
          ),
        );
      }
      shown += data.decisions.length;
      next = data.next;
      // The stylesheet gives buttons a display of their own, so `hidden` alone would not hide it.
      more.style.display = next === null ? 'none' : '';
      status.textContent = shown === 0 ? t('dec.empty') : data.scanLimited ? t('dec.countPartial', { n: shown }) : t('dec.count', { n: shown });
    } catch (err) {
      status.textContent = errorText(err);
    }
  };
  more.addEventListener('click', () => void load(true));

  const el = h(
    'section',
    { class: 'decisions-panel', 'aria-labelledby': 'dec-title' },
    h('h2', { id: 'dec-title' }, t('dec.title')),
    h('p', { class: 'muted' }, t('dec.intro')),
    logNote,
    h(
      'form',
      {
        class: 'filters',
        role: 'search',
        id: 'dec-filters',
        onsubmit: (e: Event) => {
          e.preventDefault();
          void load(false);
        },
      },
      h('label', { for: 'dec-from' }, t('dec.from')),
      fromField.el,
      h('label', { for: 'dec-to' }, t('dec.to')),
      toField.el,
      h('label', { for: 'dec-version' }, t('dec.version')),
      version,
      h('label', { for: 'dec-rule' }, t('dec.rule')),
      rule,
      h('label', { for: 'dec-outcome' }, t('dec.outcome')),
      outcome,
      h('label', { for: 'dec-q' }, t('dec.search')),
      q,
      h('button', { type: 'submit', class: 'primary', id: 'dec-apply' }, t('dec.apply')),
    ),
    status,
    h(
      'table',
      { class: 'data decisions', id: 'dec-table', 'aria-describedby': 'dec-count' },
      h(
        'thead',
        null,
        h(
          'tr',
          null,
          [t('dec.col.at'), t('dec.col.version'), t('dec.col.caseDate'), t('dec.col.input'), t('dec.col.output'), t('dec.col.rules'), t('dec.col.open')].map((x) => h('th', { scope: 'col' }, x)),
        ),
      ),
      tbody,
    ),
    more,
    detail,
  );
  await load(false);
  return { el };
}
