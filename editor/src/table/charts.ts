// Charts with chart.js, registering only the parts used (bar charts), so the bundle stays small.
// A canvas says nothing to a screen reader: every chart comes with a data table (see stats.ts and approval.ts), and
// the canvas itself carries a short summary as its accessible name.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip, type ChartConfiguration } from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

/** Colour-blind-safe-ish palette with enough contrast on white (Okabe–Ito and Tableau tones). */
export const PALETTE = ['#1f5fa8', '#d9822b', '#2e8540', '#b9373b', '#6f4ea0', '#00838f', '#8d6e63', '#c2185b', '#546e7a', '#9e9d24', '#3949ab', '#ef6c00'];
/** The colour of "no rule matched" and of errors: grey, whatever the outcome set. */
export const NEUTRAL = '#9e9e9e';

function hash(text: string): number {
  let x = 2166136261;
  for (let i = 0; i < text.length; i++) x = Math.imul(x ^ text.charCodeAt(i), 16777619);
  return x >>> 0;
}

/**
 * One colour per outcome, the same in every chart (the outcome chart and the impact chart): the colour follows from
 * the outcome's text, not from its position. Outcomes that would share a colour within one chart move to the next
 * free one (so two charts can only disagree when a chart holds such a pair).
 */
export function outcomeColours(keys: string[], neutral: ReadonlySet<string> = new Set()): Map<string, string> {
  const used = new Set<number>();
  const out = new Map<string, string>();
  for (const k of keys) {
    if (out.has(k)) continue;
    if (neutral.has(k)) {
      out.set(k, NEUTRAL);
      continue;
    }
    let i = hash(k) % PALETTE.length;
    for (let n = 0; n < PALETTE.length && used.has(i); n++) i = (i + 1) % PALETTE.length;
    used.add(i);
    out.set(k, PALETTE[i]!);
  }
  return out;
}

export interface Series {
  label: string;
  /** The legend's text, when it says more than the label (e.g. the total). */
  legend?: string;
  data: number[];
  /** One colour for the series, or one per bar. */
  colour?: string | string[];
}

/** Legend entries longer than this are shortened (the tooltip and the data table keep them whole). */
const MAX_LEGEND = 60;

export interface ChartOptions {
  title: string;
  locale: string;
  stacked?: boolean;
  horizontal?: boolean;
  /** Axis titles: the category axis (periods, changes) and the value axis (counts). */
  categoryTitle?: string;
  valueTitle?: string;
  /** Title above the legend (e.g. the output counted); `legend: false` hides the legend (one series). */
  legendTitle?: string;
  legend?: boolean;
  /** Category labels longer than this are shortened on the axis (the tooltip and the data table keep them whole). */
  maxLabel?: number;
  /** CSS height of the chart area. */
  height?: number;
}

function shorten(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max - 1)}…` : text;
}

/** A category label: one line, or several (an array), each shortened on the axis. */
export type Label = string | string[];

/** A (stacked) bar chart in a canvas. */
export function barChart(labels: Label[], series: Series[], opts: ChartOptions): { el: HTMLElement; destroy: () => void } {
  const canvas = document.createElement('canvas');
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', `${opts.title}: ${series.map((s) => `${s.label} ${s.data.reduce((a, b) => a + b, 0)}`).join(', ')}`);
  const wrap = document.createElement('div');
  wrap.className = 'chart';
  if (opts.height) wrap.style.height = `${opts.height}px`;
  wrap.append(canvas);
  const max = opts.maxLabel ?? 40;
  const category = {
    stacked: Boolean(opts.stacked),
    title: { display: Boolean(opts.categoryTitle), text: opts.categoryTitle ?? '' },
    ticks: {
      autoSkip: !opts.horizontal,
      callback: (v: string | number): string | string[] => {
        const l = labels[Number(v)] ?? String(v);
        return Array.isArray(l) ? l.map((line) => shorten(line, max)) : shorten(l, max);
      },
    },
    grid: { display: false },
  };
  const value = {
    stacked: Boolean(opts.stacked),
    beginAtZero: true,
    title: { display: Boolean(opts.valueTitle), text: opts.valueTitle ?? '' },
    ticks: { precision: 0 },
  };
  const config: ChartConfiguration<'bar'> = {
    type: 'bar',
    data: {
      labels,
      datasets: series.map((s, i) => ({ label: shorten(s.legend ?? s.label, MAX_LEGEND), data: s.data, backgroundColor: s.colour ?? PALETTE[i % PALETTE.length], borderWidth: 0, maxBarThickness: 48 })),
    },
    options: {
      indexAxis: opts.horizontal ? 'y' : 'x',
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      locale: opts.locale,
      plugins: {
        // Above the chart, apart from the category axis title below it.
        legend: { display: opts.legend ?? true, position: 'top', align: 'start', title: { display: Boolean(opts.legendTitle), text: opts.legendTitle ?? '', position: 'start', font: { weight: 'bold' } } },
        tooltip: {
          enabled: true,
          callbacks: {
            title: (items) => (items[0] ? [labels[items[0].dataIndex] ?? ''].flat().join(' ') : ''),
            label: (item) => `${series[item.datasetIndex]?.label ?? ''}: ${item.formattedValue}`,
          },
        },
      },
      scales: opts.horizontal ? { y: category, x: value } : { x: category, y: value },
    },
  };
  const chart = new Chart(canvas, config);
  return { el: wrap, destroy: () => chart.destroy() };
}
