// The drop-down of a column with allowed values (text, numbers, truth values, dates): while such a cell is edited, the
// cell editor is a combobox and the allowed values a listbox under it. ↑/↓ go through the values, Space adds or removes one (a condition may hold
// several, `"A","B"`), Enter confirms, Esc cancels, as in any cell. The text box stays free for FEEL; what is typed
// marks the values it names. A condition also offers "-" (any value).
import { h } from '../dom.ts';
import { t } from '../i18n/index.ts';
import { cellChoices, feelToPlain, typedToFeel, valueFeel, type JsonValue } from '../../../server/engine/index.ts';
import type { Grid } from './grid.ts';
import { plainView, truthWords } from './cell-view.ts';
import { colTitle } from './grid-names.ts';
import type { GridColumn } from './model.ts';

/** A column the drop-down serves: a condition or outcome with allowed values. */
type ChoiceColumn = Extract<GridColumn, { kind: 'in' | 'out' }>;

/** An allowed value as the drop-down offers it: the FEEL it writes and the text it shows. */
interface Choice {
  feel: string;
  label: string;
}

/** The allowed values of a condition or outcome column that FEEL can write; null when it has none. */
export function choicesOf(col: GridColumn | undefined): Choice[] | null {
  if (!col || (col.kind !== 'in' && col.kind !== 'out')) return null;
  const choices: Choice[] = [];
  for (const v of col.col.values ?? []) {
    const feel = valueFeel(v, col.col.type);
    if (feel !== null) choices.push({ feel, label: choiceLabel(v, col.col.type) });
  }
  return choices.length > 0 ? choices : null;
}

/** A date as Dutch people write it (28-11-2026); any other value as the cell shows it without quotes. */
function choiceLabel(v: JsonValue, type: string): string {
  const iso = typeof v === 'string' && type === 'date' ? /^(\d{4,})-(\d{2})-(\d{2})$/.exec(v) : null;
  return iso ? `${iso[3]}-${iso[2]}-${iso[1]}` : String(v);
}

export class CellChoices {
  readonly el: HTMLElement;
  private readonly list: HTMLElement;
  private readonly hint: HTMLElement;
  private col: ChoiceColumn | null = null;
  private values: Choice[] = [];
  /** The option ↑/↓ went to (-1: none, the text box has the say). */
  private highlight = -1;
  /** Whether Space added or removed a value since the editor opened: then Enter keeps the choice as it is. */
  private toggled = false;

  constructor(private readonly g: Grid) {
    const id = `grid-choices-${g.gid}`;
    this.list = h('div', { class: 'choice-list', role: 'listbox', id });
    this.hint = h('p', { class: 'choice-hint', id: `${id}-hint` });
    this.el = h('div', { class: 'cell-choices', hidden: true }, this.list, this.hint);
    // The editor keeps the focus: a click on an option must not blur (and commit) it first.
    this.el.addEventListener('mousedown', (e) => e.preventDefault());
    this.list.addEventListener('click', (e) => {
      const option = (e.target as HTMLElement).closest<HTMLElement>('[role=option]');
      if (!option) return;
      const i = Number(option.dataset.index);
      if ((e.ctrlKey || e.metaKey) && this.multi) this.toggle(i);
      else this.pick(i, true);
    });
  }

  get open(): boolean {
    return this.col !== null;
  }

  private get multi(): boolean {
    return this.col?.kind === 'in';
  }

  /** Shows the drop-down for the cell being edited, or takes the combobox role away when its column has none. */
  show(col: GridColumn): void {
    const values = choicesOf(col);
    if (!values || (col.kind !== 'in' && col.kind !== 'out')) {
      this.hide();
      return;
    }
    const editor = this.g.editor;
    this.col = col;
    this.values = values;
    this.highlight = -1;
    this.toggled = false;
    editor.setAttribute('role', 'combobox');
    editor.setAttribute('aria-expanded', 'true');
    editor.setAttribute('aria-controls', this.list.id);
    editor.setAttribute('aria-autocomplete', 'none');
    editor.setAttribute('aria-describedby', `${this.hint.id} grid-status-${this.g.gid}`);
    this.list.setAttribute('aria-label', t('grid.choices', { column: colTitle(col) }));
    if (this.multi) this.list.setAttribute('aria-multiselectable', 'true');
    else this.list.removeAttribute('aria-multiselectable');
    this.hint.textContent = t(this.multi ? 'grid.choicesHintMulti' : 'grid.choicesHint');
    this.el.hidden = false;
    this.render();
    this.place();
    window.addEventListener('scroll', this.onScroll, { capture: true, passive: true });
    window.addEventListener('resize', this.onScroll);
  }

  hide(): void {
    this.col = null;
    this.el.hidden = true;
    window.removeEventListener('scroll', this.onScroll, { capture: true });
    window.removeEventListener('resize', this.onScroll);
    const editor = this.g.editor;
    for (const a of ['role', 'aria-expanded', 'aria-controls', 'aria-autocomplete', 'aria-activedescendant']) editor.removeAttribute(a);
    editor.setAttribute('aria-describedby', `grid-status-${this.g.gid}`);
  }

  /**
   * Puts the list under the editor, or above it when the window has more room there. It is fixed to the window, so
   * the grid's frame does not cut it off under a table of few rules.
   */
  place(): void {
    if (!this.open) return;
    const box = this.g.editor.getBoundingClientRect();
    const height = this.el.offsetHeight;
    const below = window.innerHeight - box.bottom;
    this.el.style.left = `${box.left}px`;
    this.el.style.minWidth = `${box.width}px`;
    this.el.style.top = `${height > below && box.top > below ? box.top - height : box.bottom}px`;
  }

  private readonly onScroll = (): void => this.place();

  /** The text typed changed: mark the values it names; ↑/↓ start again from the text. */
  sync(): void {
    if (!this.open) return;
    this.highlight = -1;
    this.render();
  }

  /** Keys for the drop-down while the editor has the focus; true when the key was its to handle. */
  onKey(e: KeyboardEvent): boolean {
    if (!this.open || e.altKey || e.ctrlKey || e.metaKey) return false;
    const count = this.options().length;
    if (e.key === 'ArrowDown' || e.key === 'ArrowUp') {
      e.preventDefault();
      const step = e.key === 'ArrowDown' ? 1 : -1;
      this.highlight = this.highlight < 0 ? (step > 0 ? 0 : count - 1) : Math.max(0, Math.min(count - 1, this.highlight + step));
      this.render();
      return true;
    }
    if (e.key === ' ' && this.highlight >= 0 && this.multi) {
      e.preventDefault();
      this.toggle(this.highlight);
      return true;
    }
    if (e.key === 'Enter' && this.highlight >= 0 && !this.toggled) {
      this.pick(this.highlight, false);
      return false; // the editor's Enter confirms, as in any cell
    }
    return false;
  }

  /** The options: "-" (any value) for a condition, then the allowed values. */
  private options(): { value: number | null; label: string }[] {
    const any = this.multi ? [{ value: null, label: `- (${t('grid.any')})` }] : [];
    return [...any, ...this.values.map((v, i) => ({ value: i, label: v.label }))];
  }

  /**
   * The allowed values the editor's text chooses, by their place in the list: null for "-", or undefined when the
   * text is other FEEL (`< 3`, a value outside the list).
   */
  private chosen(): number[] | null | undefined {
    const col = this.col!;
    const names = this.g.model.table.inputs.map((x) => x.name);
    const feel = typedToFeel(this.g.editor.value, col.kind === 'in' ? 'input' : 'output', col.col, names);
    if (col.kind === 'in' && (feel.trim() === '' || feel.trim() === '-')) return null;
    return cellChoices(feel, col.col) ?? undefined;
  }

  private render(): void {
    const chosen = this.chosen();
    const options = this.options();
    const multi = this.multi;
    this.list.replaceChildren(
      ...options.map((o, i) => {
        const selected = o.value === null ? chosen === null : Array.isArray(chosen) && chosen.includes(o.value);
        const mark = multi ? h('span', { class: 'choice-mark', 'aria-hidden': 'true' }, selected ? '☑' : '☐') : null;
        return h(
          'div',
          {
            class: `choice${i === this.highlight ? ' highlighted' : ''}${o.value === null ? ' choice-any' : ''}`,
            role: 'option',
            id: `${this.list.id}-${i}`,
            'aria-selected': selected ? 'true' : 'false',
            dataset: { index: String(i) },
          },
          mark,
          h('span', null, o.label),
        );
      }),
    );
    const editor = this.g.editor;
    if (this.highlight >= 0) {
      editor.setAttribute('aria-activedescendant', `${this.list.id}-${this.highlight}`);
      this.list.children[this.highlight]?.scrollIntoView({ block: 'nearest' });
    } else editor.removeAttribute('aria-activedescendant');
  }

  /** Adds or removes one value of a condition ("-" clears the others). */
  private toggle(i: number): void {
    const o = this.options()[i];
    if (!o) return;
    const chosen = this.chosen();
    let next: number[] = Array.isArray(chosen) ? [...chosen] : [];
    const value = o.value;
    if (value === null) next = [];
    else if (next.includes(value)) next = next.filter((v) => v !== value);
    else next = this.values.map((_, i) => i).filter((i) => i === value || next.includes(i));
    this.toggled = true;
    this.write(next);
    this.highlight = i;
    this.render();
  }

  /** Takes one option as the whole cell; by mouse it is confirmed at once. */
  private pick(i: number, confirm: boolean): void {
    const o = this.options()[i];
    if (!o) return;
    this.write(o.value === null ? [] : [o.value]);
    if (confirm) this.g.commitEditing();
  }

  /** Writes the chosen values into the editor as the grid shows cells: FEEL, or without quotes in that view. */
  private write(chosen: number[]): void {
    const col = this.col!;
    const kind = col.kind === 'in' ? 'input' : 'output';
    const feel = chosen.length === 0 ? (kind === 'input' ? '-' : '') : chosen.map((i) => this.values[i]!.feel).join(',');
    const names = this.g.model.table.inputs.map((x) => x.name);
    this.g.editor.value = plainView() ? feelToPlain(feel, kind, col.col, names, truthWords()) : feel;
    this.g.editor.dispatchEvent(new Event('input'));
  }
}
