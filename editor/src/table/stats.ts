// Outcomes over time from the evaluation log (GET …/stats?by=month), as a stacked bar chart.
import { api, type StatsReport } from '../api.ts';
import { clear, h } from '../dom.ts';
import { lang, t, todayIso } from '../i18n/index.ts';
import { errorText } from '../views/errors.ts';
import type { TableSession } from './session.ts';

function outcomeLabel(o: unknown): string {
  if (o === null || o === undefined) return t('stats.noMatch');
  if (typeof o === 'string') return o;
  if (typeof o === 'object' && !Array.isArray(o)) {
    const values = Object.values(o as Record<string, unknown>);
    return values.length === 1 ? String(values[0]) : JSON.stringify(o);
  }
  return JSON.stringify(o);
}

/** Turns the stats answer into month labels and one series per outcome. Accepts rows or buckets with counts. */
export function statsSeries(report: StatsReport): { labels: string[]; series: { label: string; data: number[] }[] } {
  const rows = (report.buckets ?? (report as { rows?: StatsReport['buckets'] }).rows ?? (report as { series?: StatsReport['buckets'] }).series ?? []) as NonNullable<StatsReport['buckets']>;
  const byMonth = new Map<string, Map<string, number>>();
  for (const r of rows) {
    const month = String(r.period ?? r.month ?? '');
    const m = byMonth.get(month) ?? new Map<string, number>();
    byMonth.set(month, m);
    if (r.counts) for (const [k, n] of Object.entries(r.counts)) m.set(k, (m.get(k) ?? 0) + n);
    else m.set(outcomeLabel(r.outcome), (m.get(outcomeLabel(r.outcome)) ?? 0) + (r.count ?? 0));
  }
  const labels = [...byMonth.keys()].sort();
  const outcomes = [...new Set([...byMonth.values()].flatMap((m) => [...m.keys()]))];
  return { labels, series: outcomes.map((o) => ({ label: o, data: labels.map((l) => byMonth.get(l)?.get(o) ?? 0) })) };
}

export async function statsPanel(s: TableSession): Promise<{ el: HTMLElement; destroy: () => void }> {
  const yearAgo = new Date();
  yearAgo.setFullYear(yearAgo.getFullYear() - 1);
  const from = h('input', { id: 'stats-from', type: 'date', value: yearAgo.toISOString().slice(0, 10) });
  const to = h('input', { id: 'stats-to', type: 'date', value: todayIso() });
  const out = h('div', { 'aria-live': 'polite' });
  let destroyChart: (() => void) | null = null;
  const show = async (): Promise<void> => {
    destroyChart?.();
    destroyChart = null;
    clear(out, h('p', { role: 'status' }, t('common.loading')));
    try {
      const report = await api.stats(s.id, from.value, to.value);
      const { labels, series } = statsSeries(report);
      if (labels.length === 0) {
        clear(out, h('p', { class: 'muted' }, t('stats.none')));
        return;
      }
      const { barChart } = await import('./charts.ts');
      const chart = barChart(labels, series, { stacked: true, title: t('stats.title'), locale: lang() === 'nl' ? 'nl-NL' : 'en-GB' });
      destroyChart = chart.destroy;
      clear(out, chart.el);
    } catch (err) {
      clear(out, h('p', { class: 'form-error', role: 'alert' }, errorText(err)));
    }
  };
  const el = h(
    'section',
    { class: 'card', 'aria-labelledby': 'stats-title' },
    h('h2', { id: 'stats-title' }, t('stats.title')),
    h(
      'form',
      { class: 'inline-form', onsubmit: (e: Event) => (e.preventDefault(), void show()) },
      h('label', { for: 'stats-from' }, t('stats.from')),
      from,
      h('label', { for: 'stats-to' }, t('stats.to')),
      to,
      h('button', { type: 'submit' }, t('stats.show')),
    ),
    out,
  );
  void show();
  return { el, destroy: () => destroyChart?.() };
}
