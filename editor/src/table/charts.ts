// Charts with chart.js, registering only the parts used (bar charts), so the bundle stays small.
import { BarController, BarElement, CategoryScale, Chart, Legend, LinearScale, Tooltip, type ChartConfiguration } from 'chart.js';

Chart.register(BarController, BarElement, CategoryScale, LinearScale, Legend, Tooltip);

const PALETTE = ['#1f5fa8', '#d9822b', '#2e8540', '#b9373b', '#6f4ea0', '#00838f', '#8d6e63', '#c2185b', '#546e7a', '#9e9d24'];

export interface Series {
  label: string;
  data: number[];
}

/** A (stacked) bar chart in a canvas with a text alternative for screen readers. */
export function barChart(labels: string[], series: Series[], opts: { stacked?: boolean; title: string; horizontal?: boolean; locale: string }): { el: HTMLElement; destroy: () => void } {
  const canvas = document.createElement('canvas');
  canvas.setAttribute('role', 'img');
  canvas.setAttribute('aria-label', `${opts.title}: ${series.map((s) => `${s.label} ${s.data.reduce((a, b) => a + b, 0)}`).join(', ')}`);
  const wrap = document.createElement('div');
  wrap.className = 'chart';
  wrap.append(canvas);
  const config: ChartConfiguration<'bar'> = {
    type: 'bar',
    data: {
      labels,
      datasets: series.map((s, i) => ({ label: s.label, data: s.data, backgroundColor: PALETTE[i % PALETTE.length], borderWidth: 0 })),
    },
    options: {
      indexAxis: opts.horizontal ? 'y' : 'x',
      responsive: true,
      maintainAspectRatio: false,
      animation: false,
      locale: opts.locale,
      plugins: { legend: { position: 'bottom' }, tooltip: { enabled: true } },
      scales: {
        x: { stacked: Boolean(opts.stacked) },
        y: { stacked: Boolean(opts.stacked), beginAtZero: true, ticks: { precision: 0 } },
      },
    },
  };
  const chart = new Chart(canvas, config);
  return { el: wrap, destroy: () => chart.destroy() };
}
