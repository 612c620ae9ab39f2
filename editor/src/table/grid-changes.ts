// The line above the grid that says what the draft changes against the version in force: "3 cellen gewijzigd,
// 1 regel toegevoegd, 1 regel verwijderd (B4) ten opzichte van versie 2". The cells and rows themselves are marked
// in the grid (grid-render.ts); removed rules are not in the grid, so they are named here.
import { clear, h } from '../dom.ts';
import { formatDate, t } from '../i18n/index.ts';
import type { TableSession } from './session.ts';

export function changeSummary(s: TableSession): { el: HTMLElement; destroy: () => void } {
  const el = h('p', { class: 'draft-changes', id: 'draft-changes', role: 'status' });
  const render = (): void => {
    const c = s.changes;
    const b = s.baseline;
    el.hidden = !c || !b;
    if (!c || !b) return;
    const parts: string[] = [t(c.cells.size === 1 ? 'chg.cell' : 'chg.cells', { n: c.cells.size })];
    if (c.added.size > 0) parts.push(t(c.added.size === 1 ? 'chg.added' : 'chg.addedN', { n: c.added.size }));
    if (c.removed.length > 0) parts.push(t(c.removed.length === 1 ? 'chg.removed' : 'chg.removedN', { n: c.removed.length, ids: c.removed.join(', ') }));
    const none = c.cells.size === 0 && c.added.size === 0 && c.removed.length === 0;
    clear(
      el,
      h('span', { class: none ? 'chg-none' : 'chg-some', 'aria-hidden': 'true' }, none ? '' : '◆ '),
      h('strong', { id: 'draft-changes-count' }, none ? t('chg.none') : parts.join(', ')),
      ' ',
      t('chg.against', { version: b.version, date: formatDate(b.validFrom) }),
    );
  };
  render();
  return { el, destroy: s.onUpdate(render) };
}
