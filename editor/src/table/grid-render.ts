// Rendering the grid's rows, virtualised: only the visible rows (plus an overscan) exist in the DOM, each placed with a
// transform, so a table of thousands of rules scrolls smoothly. Row and cell marks (checks, analysis findings,
// simulation matches, fixture coverage, diffs) become classes, badges and the cells' accessible names.
import { h } from '../dom.ts';
import { t } from '../i18n/index.ts';
import type { Grid } from './grid.ts';
import { shownText } from './cell-view.ts';
import { cellId, colTitle, inputNames } from './grid-names.ts';
import { placeEditor } from './grid-edit.ts';
import { OVERSCAN, ROW_HEIGHT, type Finding, type Range } from './grid-types.ts';

/** Renders the rows in view (replacing the rendered ones) and points aria-activedescendant at the active cell. */
export function renderRows(g: Grid): void {
  const rules = g.model.table.rules;
  const top = g.scroller.scrollTop;
  const height = g.scroller.clientHeight || 600;
  const first = Math.max(0, Math.floor(top / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(rules.length - 1, Math.ceil((top + height) / ROW_HEIGHT) + OVERSCAN);
  const sel = g.range();
  const names = inputNames(g);
  const frag = document.createDocumentFragment();
  for (let r = first; r <= last; r++) frag.append(renderRow(g, r, sel, names));
  for (const old of Array.from(g.body.querySelectorAll(':scope > .grid-row'))) old.remove();
  g.body.prepend(frag);
  g.scroller.setAttribute('aria-activedescendant', cellId(g, g.active.r, g.active.c));
  if (g.editing) placeEditor(g);
}

function renderRow(g: Grid, r: number, sel: Range, names: readonly string[]): HTMLElement {
  const rule = g.model.table.rules[r]!;
  const mark = g.rowMarks.get(rule.id);
  const problems = g.check?.cells.get(r);
  const classes = ['grid-row'];
  if (mark?.matched) classes.push('row-matched');
  if (mark?.coverage === 0) classes.push('row-uncovered');
  if (mark?.findings?.length) classes.push('row-finding');
  if (mark?.diff) classes.push(`row-diff-${mark.diff}`);
  const added = g.addedRules.has(rule.id);
  if (added) classes.push('row-draft-added');
  if (problems && [...problems.values()].some((p) => p.severity === 'error')) classes.push('row-error');
  const row = h('div', {
    class: classes.join(' '),
    role: 'row',
    'aria-rowindex': String(r + 2),
    style: `transform: translateY(${r * ROW_HEIGHT}px)`,
    dataset: { row: String(r) },
  });
  g.cols.forEach((col, c) => {
    const text = shownText(rule, col, names);
    const problem = problems?.get(col.key);
    const cm = g.cellMarks.get(`${rule.id}|${col.key}`);
    const selected = r >= sel.r0 && r <= sel.r1 && c >= sel.c0 && c <= sel.c1;
    const isActive = r === g.active.r && c === g.active.c;
    const cls = ['grid-cell', `col-${col.kind}`];
    if (selected) cls.push('selected');
    if (isActive) cls.push('active');
    if (problem) cls.push(problem.severity === 'error' ? 'cell-error' : 'cell-warning');
    if (cm) cls.push(`cell-${cm}`);
    const changed = g.changedCells.has(`${rule.id}|${col.key}`);
    if (changed) cls.push('cell-draft-changed');
    if (col.kind === 'in' && text === '-') cls.push('cell-any');
    const labelParts = [t('grid.cellLabel', { rule: rule.id, column: colTitle(col) }), text === '-' && col.kind === 'in' ? t('grid.any') : text];
    if (problem) labelParts.push(problem.message);
    if (changed) labelParts.push(t('grid.changedCell'));
    if (col.kind === 'id') {
      if (added) labelParts.push(t('grid.addedRule'));
      if (mark?.matched) labelParts.push(t('grid.matched'));
      for (const f of mark?.findings ?? []) labelParts.push(f.message);
      if (mark?.coverage !== undefined) labelParts.push(mark.coverage === 0 ? t('grid.uncovered') : t('grid.covered', { n: mark.coverage }));
    }
    const cell = h('div', {
      class: cls.join(' '),
      role: 'gridcell',
      id: cellId(g, r, c),
      'aria-colindex': String(c + 1),
      'aria-selected': selected ? 'true' : 'false',
      'aria-invalid': problem?.severity === 'error' ? 'true' : undefined,
      'aria-label': labelParts.filter(Boolean).join('. '),
      title: problem ? problem.message : col.kind === 'id' || text.length > 18 ? text : undefined,
      dataset: { col: String(c) },
    });
    if (col.kind === 'id') {
      if (!g.model.readonly) {
        cell.append(h('span', { class: 'drag-handle', draggable: 'true', title: t('grid.dragRow', { id: rule.id }), 'aria-hidden': 'true' }, '⋮⋮'));
      }
      cell.append(h('span', { class: 'cell-text' }, text));
      const badges = h('span', { class: 'row-badges', 'aria-hidden': 'true' });
      if (added) badges.append(h('span', { class: 'badge badge-added', title: t('grid.addedRule') }, '+'));
      if (mark?.matched) badges.append(h('span', { class: 'badge badge-match', title: t('grid.matched') }, '✓'));
      // One badge per kind of finding (with a count), so the rule id stays readable.
      const byKind = new Map<Finding['kind'], Finding[]>();
      for (const f of mark?.findings ?? []) byKind.set(f.kind, [...(byKind.get(f.kind) ?? []), f]);
      for (const [kind, list] of byKind) {
        const symbol = kind === 'gap' ? '∅' : kind === 'overlap' ? '⚠' : '✗';
        // The count is drawn by CSS (data-count): as text it would be visible text missing from the cell's name, which
        // holds the findings themselves (axe: label-content-name-mismatch).
        const count = list.length > 1 ? String(list.length) : undefined;
        badges.append(h('span', { class: `badge badge-${kind}`, title: list.map((f) => f.message).join('\n'), dataset: count ? { count } : undefined }, symbol));
      }
      if (mark?.coverage === 0) badges.append(h('span', { class: 'badge badge-uncovered', title: t('grid.uncovered') }, '○'));
      else if (mark?.coverage !== undefined) badges.append(h('span', { class: 'badge badge-covered', title: t('grid.covered', { n: mark.coverage }) }, String(mark.coverage)));
      cell.append(badges);
    } else {
      cell.append(h('span', { class: 'cell-text' }, text));
    }
    row.append(cell);
  });
  return row;
}
