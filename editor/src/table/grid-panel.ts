// The grid tab (the rules grid, the problems of its cells and the analysis findings) and the toolbar above the grid
// that the grid and simulator tabs share: row and column tools, the view without quotes, search in the rules and the
// number of rules.
import { announce, clear, h } from '../dom.ts';
import { lang, problemText, t, type MessageKey } from '../i18n/index.ts';
import { describeFinding } from './analysis.ts';
import { plainView, setPlainView } from './cell-view.ts';
import { describePath } from './checks.ts';
import { editColumn } from './column-dialog.ts';
import { changeSummary } from './grid-changes.ts';
import type { TableSession } from './session.ts';

/** The grid tab: row and column tools, the grid, and the list of problems and analysis findings. */
export function gridPanel(s: TableSession): { el: HTMLElement; destroy: () => void } {
  const problems = h('div', { class: 'problems', id: 'problems' });
  const renderProblems = (): void => {
    const items: HTMLElement[] = [];
    s.check.cells.forEach((row, r) => {
      const rule = s.model.table.rules[r];
      row.forEach((p, key) => {
        if (p.severity !== 'error') return;
        const colName = key === 'id' ? t('grid.ruleId') : key === 'note' ? t('grid.note') : key.slice(key.indexOf(':') + 1);
        items.push(
          h(
            'li',
            { class: 'problem-error' },
            h('button', { type: 'button', class: 'link-button', onclick: () => s.grid.focusRule(rule?.id ?? '', key) }, `${t('grid.rule')} ${rule?.id ?? r + 1}, ${colName}`),
            `: ${p.message}`,
          ),
        );
      });
    });
    for (const p of s.check.table) items.push(h('li', { class: 'problem-error' }, `${describePath(p.path, s.model.table)}: ${problemText(p)}`));
    const findings: HTMLElement[] = [];
    const a = s.analysis;
    if (a && 'report' in a) {
      for (const f of a.report.findings) {
        if (!['overlap', 'conflict', 'gap', 'unreachable'].includes(f.kind)) continue;
        const kindKey: MessageKey = f.kind === 'gap' ? 'analysis.gap' : f.kind === 'unreachable' ? 'analysis.unreachable' : 'analysis.overlap';
        findings.push(
          h(
            'li',
            { class: `finding finding-${f.kind}` },
            h('strong', null, t(kindKey)),
            f.rules[0] ? [' ', h('button', { type: 'button', class: 'link-button', onclick: () => s.grid.focusRule(f.rules[0]!) }, f.rules.join(' ↔ '))] : null,
            `: ${lang() === 'en' ? f.message : (describeFinding(f)?.message ?? f.message)}`,
          ),
        );
      }
    }
    clear(
      problems,
      items.length > 0 ? [h('h2', null, t('analysis.problems')), h('ul', null, items)] : null,
      h('h2', null, t('analysis.title'), s.analysisPending && a !== null ? h('span', { class: 'muted small', id: 'analysis-pending' }, ` — ${t('analysis.pending')}`) : null),
      a === null
        ? h('p', { class: 'muted' }, t('common.loading'))
        : 'error' in a
            ? h('p', { class: 'muted' }, a.error)
            : findings.length > 0
              ? h('ul', null, findings)
              : h('p', { class: 'muted' }, t('analysis.none')),
    );
  };
  const changes = changeSummary(s);
  const unlisten = s.onUpdate(renderProblems);
  renderProblems();
  return {
    el: h('div', { class: 'grid-tab' }, rowToolbar(s), changes.el, s.grid.el, problems),
    destroy: () => {
      unlisten();
      changes.destroy();
    },
  };
}

/** Search in the rules (Enter: next match) and the number of rules, kept up to date. */
function findAndCount(s: TableSession): HTMLElement[] {
  const box = h('input', { type: 'search', id: 'grid-find', class: 'grid-find', placeholder: t('grid.find'), 'aria-label': t('grid.find'), 'aria-describedby': 'grid-find-result' });
  const result = h('span', { class: 'muted small', id: 'grid-find-result', 'aria-live': 'polite' });
  box.addEventListener('keydown', (e) => {
    if (e.key === 'Enter') {
      e.preventDefault();
      const hit = s.grid.findNext(box.value);
      result.textContent = box.value.trim() ? (hit ? t('grid.found', { rule: hit.rule, column: hit.column }) : t('grid.notFound')) : '';
    } else if (e.key === 'Escape' && box.value === '') {
      s.grid.focusCell(s.grid.activeRow(), 1);
    }
  });
  const count = h('span', { class: 'muted small', id: 'rule-count' }, t('grid.rows', { n: s.model.table.rules.length }));
  const off = s.onUpdate(() => {
    if (!count.isConnected) return off();
    count.textContent = t('grid.rows', { n: s.model.table.rules.length });
  });
  return [h('span', { class: 'spacer' }), plainViewToggle(), box, result, count];
}

/** The view setting "text without quotes" (remembered in this browser; the table keeps its FEEL). */
function plainViewToggle(): HTMLElement {
  const box = h('input', { type: 'checkbox', id: 'grid-plain-text', checked: plainView(), 'aria-describedby': 'grid-plain-text-help' });
  box.addEventListener('change', () => setPlainView(box.checked));
  return h(
    'label',
    { class: 'check grid-plain-toggle', title: t('grid.plainTextHelp') },
    box,
    ' ',
    t('grid.plainText'),
    h('span', { class: 'sr-only', id: 'grid-plain-text-help' }, t('grid.plainTextHelp')),
  );
}

/** Buttons for rows and columns; they act on the active row. Shortcuts are in the titles. */
export function rowToolbar(s: TableSession): HTMLElement {
  if (s.model.readonly) return h('div', { class: 'toolbar' }, ...findAndCount(s));
  const m = s.model;
  const at = (): number => s.grid.activeRow();
  // Short visible labels; the full words are the accessible name and the tooltip.
  const button = (label: MessageKey, onclick: () => void, keys?: string): HTMLButtonElement =>
    h(
      'button',
      { type: 'button', onclick, 'aria-label': t(label), title: keys ? `${t(label)} (${keys})` : t(label)},
      t(`grid.short.${label.slice('grid.'.length)}` as MessageKey),
    );
  return h(
    'div',
    { class: 'toolbar', role: 'toolbar', 'aria-label': t('grid.label'), 'aria-controls': 'rules-grid' },
    button('grid.addRow', () => {
      m.insertRule(m.table.rules.length);
      s.grid.focusCell(m.table.rules.length - 1, 1);
    }),
    button('grid.insertRow', () => {
      m.insertRule(Math.max(0, at()));
      s.grid.focusCell(Math.max(0, at()), 1);
    }, 'Insert'),
    button('grid.duplicateRow', () => {
      if (m.table.rules.length === 0) return;
      m.duplicateRule(at());
      s.grid.focusCell(at() + 1, 1);
    }, 'Ctrl+D'),
    button('grid.deleteRow', () => {
      const r = at();
      const rule = m.table.rules[r];
      if (!rule) return;
      m.deleteRules(r, r);
      announce(t('grid.deleted', { id: rule.id }));
      s.grid.focusCell(Math.min(r, m.table.rules.length - 1), 1);
    }, 'Ctrl+Delete'),
    button('grid.moveUp', () => {
      const r = at();
      if (r > 0) {
        m.moveRule(r, r - 1);
        s.grid.focusCell(r - 1, 1);
      }
    }, 'Alt+↑'),
    button('grid.moveDown', () => {
      const r = at();
      if (r < m.table.rules.length - 1) {
        m.moveRule(r, r + 1);
        s.grid.focusCell(r + 1, 1);
      }
    }, 'Alt+↓'),
    h('span', { class: 'sep', 'aria-hidden': 'true' }),
    button('grid.addInput', () => void editColumn(m, 'in', -1)),
    button('grid.addOutput', () => void editColumn(m, 'out', -1)),
    ...findAndCount(s),
  );
}
