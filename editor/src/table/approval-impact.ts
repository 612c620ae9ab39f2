// The impact report of a draft as the approver sees it: how many logged decisions the draft would change, grouped by
// old → new outcome, with a chart and examples.
import type { ImpactReport } from '../api.ts';
import { h } from '../dom.ts';
import { formatDate, formatNumber, lang, t } from '../i18n/index.ts';
import { outcomeLabel } from './stats.ts';
import type { TableSession } from './session.ts';

/** The fields in which two outcomes differ, each side as text (a whole outcome when they are not both records). */
function changeText(from: unknown, to: unknown, labels: ReadonlyMap<string, string>): { from: string; to: string } {
  const isRecord = (v: unknown): v is Record<string, unknown> => v !== null && typeof v === 'object' && !Array.isArray(v) && !('error' in v);
  if (isRecord(from) && isRecord(to)) {
    const keys = [...new Set([...Object.keys(from), ...Object.keys(to)])].filter((k) => JSON.stringify(from[k] ?? null) !== JSON.stringify(to[k] ?? null));
    if (keys.length > 0) {
      const pick = (o: Record<string, unknown>): Record<string, unknown> => Object.fromEntries(keys.map((k) => [k, o[k] ?? null]));
      // One changed field of several: name it, so "1 → 2" says which output changed.
      const named = (o: Record<string, unknown>): string => (keys.length === 1 && Object.keys(o).length > 1 ? `${labels.get(keys[0]!) ?? keys[0]!}: ${outcomeLabel(o[keys[0]!] ?? null, labels)}` : outcomeLabel(pick(o), labels));
      return { from: named(from), to: named(to) };
    }
  }
  return { from: outcomeLabel(from, labels), to: outcomeLabel(to, labels) };
}

export function impactView(r: ImpactReport, s: TableSession, destroyers: (() => void)[]): HTMLElement {
  const labels = new Map(s.model.table.outputs.map((o) => [o.name, o.label ?? o.name]));
  const groups = r.groups ?? [];
  const fixtures = r.fixtures ?? [];
  const period = r.period ? t('impact.period', { from: formatDate(r.period.from.slice(0, 10)), to: formatDate(r.period.to.slice(0, 10)) }) : '';
  const wrap = h(
    'div',
    { id: 'impact-report' },
    h('p', { id: 'impact-summary' }, h('strong', null, t('appr.impactSummary', { changed: formatNumber(r.changed ?? 0), evaluated: formatNumber(r.evaluated ?? 0) })), period ? ` ${period}` : ''),
  );
  if ((r.evaluated ?? 0) === 0) wrap.append(h('p', { class: 'muted', id: 'impact-empty' }, t('impact.none')));
  else if (groups.length === 0) wrap.append(h('p', { class: 'muted', id: 'impact-unchanged' }, t('impact.noChange')));
  if (r.otherRules) wrap.append(h('p', { class: 'muted small' }, t('impact.otherRules', { n: formatNumber(r.otherRules) })));
  if (groups.length > 0) {
    const texts = groups.map((g) => changeText(g.from, g.to, labels));
    const chartHolder = h('div', { id: 'impact-chart-holder' });
    const table = h(
      'table',
      { class: 'data compact small', id: 'impact-table' },
      h('caption', null, t('impact.tableCaption')),
      h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('impact.from')), h('th', { scope: 'col' }, t('impact.to')), h('th', { scope: 'col', class: 'num' }, t('impact.count')))),
      h(
        'tbody',
        null,
        groups.map((g, i) =>
          h(
            'tr',
            { dataset: { count: String(g.count) } },
            h('td', { class: 'impact-from' }, texts[i]!.from),
            h('td', { class: 'impact-to' }, h('span', { class: 'swatch', 'aria-hidden': 'true', dataset: { outcome: outcomeLabel(g.to, labels) } }), texts[i]!.to),
            h('td', { class: 'num' }, formatNumber(g.count)),
          ),
        ),
      ),
    );
    wrap.append(
      chartHolder,
      h('details', { class: 'chart-data', open: true }, h('summary', null, t('stats.tableToggle')), table),
      h(
        'details',
        null,
        h('summary', null, t('appr.impactExamples')),
        h(
          'ul',
          { class: 'small mono' },
          groups.map((g, i) => h('li', null, `${texts[i]!.from} → ${texts[i]!.to} (${g.count}): ${(g.examples ?? []).slice(0, 3).map((e) => JSON.stringify(e.input)).join('; ')}`)),
        ),
      ),
    );
    void import('./charts.ts').then(({ barChart, outcomeColours }) => {
      const colours = outcomeColours(
        groups.map((g) => outcomeLabel(g.to, labels)),
        new Set([t('stats.noMatch')]),
      );
      table.querySelectorAll<HTMLElement>('.swatch').forEach((sw) => (sw.style.background = colours.get(sw.dataset.outcome ?? '') ?? ''));
      const chart = barChart(
        // Two lines per bar: what it was and what it becomes (the data table below has them whole).
        texts.map((x) => [x.from, `→ ${x.to}`]),
        [{ label: t('impact.count'), data: groups.map((g) => g.count), colour: groups.map((g) => colours.get(outcomeLabel(g.to, labels))!) }],
        {
          horizontal: true,
          title: t('appr.impact'),
          locale: lang() === 'nl' ? 'nl-NL' : 'en-GB',
          valueTitle: t('impact.axisCount'),
          legend: false,
          maxLabel: 48,
          height: Math.max(160, 70 + 56 * groups.length),
        },
      );
      chart.el.id = 'impact-chart';
      destroyers.push(chart.destroy);
      chartHolder.append(chart.el);
    });
  }
  if (fixtures.length > 0) {
    wrap.append(
      h('h4', null, t('impact.fixturesTitle', { n: fixtures.length })),
      h(
        'table',
        { class: 'data compact small', id: 'impact-fixtures' },
        h('thead', null, h('tr', null, h('th', { scope: 'col' }, t('impact.fixture')), h('th', { scope: 'col' }, t('impact.from')), h('th', { scope: 'col' }, t('impact.to')), h('th', { scope: 'col' }, t('impact.passes')))),
        h(
          'tbody',
          null,
          fixtures.map((f) => {
            const x = changeText(f.before.outcome, f.after.outcome, labels);
            return h('tr', null, h('td', null, f.name), h('td', null, x.from), h('td', null, x.to), h('td', null, f.after.pass ? t('common.yes') : t('common.no')));
          }),
        ),
      ),
    );
  }
  return wrap;
}

