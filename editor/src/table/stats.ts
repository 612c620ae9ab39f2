// Outcomes over time from the evaluation log (GET …/stats?from&to&by&output), as a stacked bar chart with the same
// numbers as a data table (the canvas alone tells a screen reader nothing).
import { api, type StatsReport } from '../api.ts';
import { clear, h } from '../dom.ts';
import { formatDate, formatNumber, lang, t, todayIso } from '../i18n/index.ts';
import { isoValue, temporalField } from '../date-input.ts';
import { fieldsErrorText } from '../views/errors.ts';
import type { TableSession } from './session.ts';

type Bucket = 'day' | 'month' | 'year';

/** How an outcome reads in a legend or table: a single value as itself, several fields as `label: value; …`. */
export function outcomeLabel(o: unknown, labels: ReadonlyMap<string, string> = new Map()): string {
  if (o === null || o === undefined) return t('stats.noMatch');
  if (typeof o === 'string') return o;
  if (typeof o === 'number') return formatNumber(o);
  if (typeof o === 'boolean') return o ? t('common.yes') : t('common.no');
  if (Array.isArray(o)) return o.length === 0 ? t('stats.noMatch') : o.map((x) => outcomeLabel(x, labels)).join(', ');
  if (typeof o === 'object') {
    const rec = o as Record<string, unknown>;
    if ('error' in rec && Object.keys(rec).length === 1) {
      const e = rec.error as { code?: string } | null;
      return t('stats.error', { code: String(e?.code ?? '?') });
    }
    const entries = Object.entries(rec);
    if (entries.length === 1) return outcomeLabel(entries[0]![1], labels);
    return entries.map(([k, v]) => `${labels.get(k) ?? k}: ${outcomeLabel(v, labels)}`).join('; ');
  }
  return String(o);
}

/** A period key (`2026-11-28`, `2026-11`, `2026`) as people read it. */
export function periodLabel(p: string, by: Bucket): string {
  if (by === 'day') return formatDate(p);
  if (by === 'month') {
    const m = /^(\d{4})-(\d{2})$/.exec(p);
    if (!m) return p;
    return new Intl.DateTimeFormat(lang() === 'nl' ? 'nl-NL' : 'en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' }).format(new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, 1)));
  }
  return p;
}

export interface StatsSeries {
  /** Period keys, oldest first. */
  periods: string[];
  /** One series per outcome (most frequent first): its key (canonical JSON), label and count per period. */
  series: { key: string; label: string; data: number[]; total: number }[];
  total: number;
}

/** Turns the stats answer (`{total, outcomes: [{key, outcome, count}], buckets: [{period, total, counts}]}`) into series. */
export function statsSeries(report: StatsReport, labels: ReadonlyMap<string, string> = new Map(), order: readonly unknown[] = [], orderField?: string): StatsSeries {
  const buckets = report.buckets ?? [];
  const periods = buckets.map((b) => b.period);
  // An output with ordered `values` (kwadrant 1–4, prioriteit hoog/middel/laag) keeps that order in the legend and the
  // stack; other outcomes follow, most frequent first (the API's order), "no rule" last.
  const rank = (o: { outcome: unknown }): number => {
    // A whole outcome ranks by one of its fields (the first output).
    const record = o.outcome !== null && typeof o.outcome === 'object' && !Array.isArray(o.outcome) ? (o.outcome as Record<string, unknown>) : null;
    const value = record ? (orderField !== undefined ? record[orderField] : Object.values(record)[0]) : o.outcome;
    const i = order.findIndex((v) => JSON.stringify(v) === JSON.stringify(value));
    return i >= 0 ? i : o.outcome === null ? order.length + 1 : order.length;
  };
  const outcomes = (report.outcomes ?? []).map((o, i) => ({ ...o, i })).sort((a, b) => rank(a) - rank(b) || a.i - b.i);
  const series = outcomes.map((o) => ({ key: o.key, label: outcomeLabel(o.outcome, labels), data: buckets.map((b) => b.counts[o.key] ?? 0), total: o.count }));
  return { periods, series, total: report.total ?? series.reduce((n, s) => n + s.total, 0) };
}

function dataTable(data: StatsSeries, by: Bucket, caption: string, colours: Map<string, string>): HTMLElement {
  const totals = data.periods.map((_, i) => data.series.reduce((n, s) => n + (s.data[i] ?? 0), 0));
  return h(
    'table',
    { class: 'data compact small', id: 'stats-table' },
    h('caption', null, caption),
    h(
      'thead',
      null,
      h(
        'tr',
        null,
        h('th', { scope: 'col' }, t(`stats.by.${by}`)),
        data.series.map((s) => h('th', { scope: 'col', class: 'num', dataset: { outcome: s.key } }, h('span', { class: 'swatch', 'aria-hidden': 'true', style: `background:${colours.get(s.key) ?? ''}` }), s.label)),
        h('th', { scope: 'col', class: 'num' }, t('stats.total')),
      ),
    ),
    h(
      'tbody',
      null,
      data.periods.map((p, i) =>
        h(
          'tr',
          { dataset: { period: p }, class: totals[i] === 0 ? 'muted' : undefined },
          h('th', { scope: 'row' }, periodLabel(p, by)),
          data.series.map((s) => h('td', { class: 'num', dataset: { outcome: s.key } }, formatNumber(s.data[i] ?? 0))),
          h('td', { class: 'num' }, formatNumber(totals[i] ?? 0)),
        ),
      ),
    ),
    h(
      'tfoot',
      null,
      h(
        'tr',
        null,
        h('th', { scope: 'row' }, t('stats.total')),
        data.series.map((s) => h('td', { class: 'num', dataset: { outcome: s.key } }, formatNumber(s.total))),
        h('td', { class: 'num', id: 'stats-total' }, formatNumber(data.total)),
      ),
    ),
  );
}

function isoDaysAgo(days: number): string {
  const d = new Date();
  d.setDate(d.getDate() - days);
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

export async function statsPanel(s: TableSession): Promise<{ el: HTMLElement; destroy: () => void }> {
  const outputs = s.model.table.outputs;
  const fieldLabels = new Map(outputs.map((o) => [o.name, o.label ?? o.name]));
  const fromField = temporalField({ id: 'stats-from', value: isoDaysAgo(365), required: true });
  const toField = temporalField({ id: 'stats-to', value: todayIso(), required: true });
  const from = fromField.input;
  const to = toField.input;
  const by = h(
    'select',
    { id: 'stats-by' },
    (['day', 'month', 'year'] as const).map((b) => h('option', { value: b, selected: b === 'month' }, t(`stats.by.${b}`))),
  );
  // Several outputs: count one of them (the first, usually the decision itself) or the whole outcome.
  const field =
    outputs.length > 1
      ? h(
          'select',
          { id: 'stats-output' },
          outputs.map((o, i) => h('option', { value: o.name, selected: i === 0 }, o.label ?? o.name)),
          h('option', { value: '' }, t('stats.wholeOutcome')),
        )
      : null;
  const out = h('div', { id: 'stats-out', 'aria-live': 'polite' });
  let destroyChart: (() => void) | null = null;
  let seq = 0;
  const show = async (): Promise<void> => {
    const mine = ++seq;
    destroyChart?.();
    destroyChart = null;
    clear(out, h('p', { role: 'status' }, t('common.loading')));
    try {
      const bucket = by.value as Bucket;
      const outputName = field?.value || undefined;
      const report = await api.stats(s.id, { from: isoValue(from), to: isoValue(to), by: bucket, ...(outputName ? { output: outputName } : {}) });
      if (mine !== seq) return;
      const ordered = outputName ? outputs.find((o) => o.name === outputName) : outputs[0];
      const data = statsSeries(report, fieldLabels, ordered?.values ?? [], outputName ? undefined : ordered?.name);
      if (data.total === 0) {
        clear(out, h('p', { class: 'muted', id: 'stats-empty' }, t('stats.none')));
        return;
      }
      const only = outputs.length === 1 ? outputs[0]!.name : undefined;
      const counted = outputName ? (fieldLabels.get(outputName) ?? outputName) : only ? (fieldLabels.get(only) ?? only) : t('stats.wholeOutcome');
      const title = t('stats.chartTitle', { by: t(`stats.by.${bucket}`).toLowerCase(), output: counted });
      const { barChart, outcomeColours } = await import('./charts.ts');
      if (mine !== seq) return;
      const colours = outcomeColours(
        data.series.map((x) => x.label),
        new Set([t('stats.noMatch')]),
      );
      const byKey = new Map(data.series.map((x) => [x.key, colours.get(x.label)!]));
      const chart = barChart(
        data.periods.map((p) => periodLabel(p, bucket)),
        data.series.map((x) => ({ label: x.label, legend: `${x.label} (${formatNumber(x.total)})`, data: x.data, colour: byKey.get(x.key)! })),
        {
          stacked: true,
          title,
          locale: lang() === 'nl' ? 'nl-NL' : 'en-GB',
          categoryTitle: t(`stats.by.${bucket}`),
          valueTitle: t('stats.count'),
          legendTitle: counted,
          // Room for a legend of many (long) outcomes, about three to a line.
          height: 320 + Math.max(0, Math.ceil(data.series.length / 3) - 1) * 24,
        },
      );
      destroyChart = chart.destroy;
      chart.el.id = 'stats-chart';
      clear(
        out,
        h('p', { id: 'stats-summary' }, t(data.total === 1 ? 'stats.summaryOne' : 'stats.summary', { n: formatNumber(data.total), from: formatDate(isoValue(from)), to: formatDate(isoValue(to)) })),
        chart.el,
        h('details', { class: 'chart-data' }, h('summary', null, t('stats.tableToggle')), dataTable(data, bucket, title, byKey)),
      );
    } catch (err) {
      if (mine !== seq) return;
      const labels = { '/from': t('stats.from'), '/to': t('stats.to') };
      clear(out, h('p', { class: 'form-error', role: 'alert', id: 'stats-error' }, fieldsErrorText(err, labels, (problems) => t('stats.refused', { problems }))));
    }
  };
  const el = h(
    'section',
    { class: 'card', 'aria-labelledby': 'stats-title' },
    h('h2', { id: 'stats-title' }, t('stats.title')),
    h(
      'form',
      { class: 'inline-form', id: 'stats-form', onsubmit: (e: Event) => (e.preventDefault(), void show()) },
      h('label', { for: 'stats-from' }, t('stats.from')),
      fromField.el,
      h('label', { for: 'stats-to' }, t('stats.to')),
      toField.el,
      h('label', { for: 'stats-by' }, t('stats.per')),
      by,
      field ? h('label', { for: 'stats-output' }, t('stats.output')) : null,
      field,
      h('button', { type: 'submit', id: 'stats-show' }, t('stats.show')),
    ),
    out,
  );
  void show();
  return { el, destroy: () => destroyChart?.() };
}
