// Date, time and date-time fields as Dutch people write them (28-11-2026, 09:30): text fields with the format as a
// hint, instead of the browser's own pickers, which follow the browser's language (mm/dd/yyyy in an English
// Chromium) whatever the editor's. The code around them reads and writes ISO (2026-11-28) through isoValue().
import { h } from './dom.ts';
import { t, type MessageKey } from './i18n/index.ts';

export type TemporalKind = 'date' | 'time' | 'dateTime';

/** What a text says as a date, a time or a date-time: its ISO form, nothing (empty), or why it is not one. */
export type Parsed = { iso: string } | { empty: true } | { invalid: 'format' | 'noSuchDay' };

function pad(n: string): string {
  return n.padStart(2, '0');
}

function isoDay(y: string, m: string, d: string): Parsed {
  const iso = `${y}-${pad(m)}-${pad(d)}`;
  const date = new Date(`${iso}T00:00:00Z`);
  // 31-02-2026 parses as 3 March in JavaScript: a day that does not exist is a mistake, not a date.
  if (Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== iso) return { invalid: 'noSuchDay' };
  return { iso };
}

function isoTime(hh: string, mm: string, ss: string | undefined): string | null {
  if (Number(hh) > 23 || Number(mm) > 59 || (ss !== undefined && Number(ss) > 59)) return null;
  return `${pad(hh)}:${mm}${ss !== undefined ? `:${ss}` : ''}`;
}

/** `28-11-2026` (also 28/11/2026, 28.11.2026 or ISO 2026-11-28) → `2026-11-28`. */
export function parseDate(text: string): Parsed {
  const s = text.trim();
  if (s === '') return { empty: true };
  const nl = /^(\d{1,2})[-/.](\d{1,2})[-/.](\d{4})$/.exec(s);
  if (nl) return isoDay(nl[3]!, nl[2]!, nl[1]!);
  const iso = /^(\d{4})-(\d{2})-(\d{2})$/.exec(s);
  if (iso) return isoDay(iso[1]!, iso[2]!, iso[3]!);
  return { invalid: 'format' };
}

/** `9:30` → `09:30`, `09:30:15` stays. */
export function parseTime(text: string): Parsed {
  const s = text.trim();
  if (s === '') return { empty: true };
  const m = /^(\d{1,2})[:.](\d{2})(?::(\d{2}))?$/.exec(s);
  const iso = m ? isoTime(m[1]!, m[2]!, m[3]) : null;
  return iso ? { iso } : { invalid: 'format' };
}

/** `28-11-2026 09:30` (or ISO `2026-11-28T09:30`) → `2026-11-28T09:30:00`. */
export function parseDateTime(text: string): Parsed {
  const s = text.trim();
  if (s === '') return { empty: true };
  const m = /^(.+?)(?:\s+|T)(\d{1,2}[:.]\d{2}(?::\d{2})?)$/.exec(s);
  if (!m) return { invalid: 'format' };
  const day = parseDate(m[1]!);
  const time = parseTime(m[2]!);
  if ('invalid' in day) return day;
  if (!('iso' in day) || !('iso' in time)) return { invalid: 'format' };
  return { iso: `${day.iso}T${time.iso.length === 5 ? `${time.iso}:00` : time.iso}` };
}

const PARSERS: Record<TemporalKind, (text: string) => Parsed> = { date: parseDate, time: parseTime, dateTime: parseDateTime };

const WORDS: Record<TemporalKind, { format: MessageKey; hint: MessageKey; invalid: MessageKey }> = {
  date: { format: 'date.format', hint: 'date.hint', invalid: 'date.invalid' },
  time: { format: 'time.format', hint: 'time.hint', invalid: 'time.invalid' },
  dateTime: { format: 'dateTime.format', hint: 'dateTime.hint', invalid: 'dateTime.invalid' },
};

/** ISO → how the field shows it: `2026-11-28` → `28-11-2026`, `2026-11-28T09:30:00` → `28-11-2026 09:30`. */
export function displayText(kind: TemporalKind, iso: string): string {
  if (kind === 'time') return iso;
  const m = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}:\d{2})(:\d{2})?)?/.exec(iso);
  if (!m) return iso;
  const day = `${m[3]}-${m[2]}-${m[1]}`;
  if (kind === 'date') return day;
  return m[4] ? `${day} ${m[4]}${m[5] && m[5] !== ':00' ? m[5] : ''}` : day;
}

export interface TemporalFieldOptions {
  id: string;
  kind?: TemporalKind;
  /** ISO value to start with. */
  value?: string;
  required?: boolean;
  /** Ids of further descriptions (a hint of the form itself). */
  describedBy?: string;
  oninput?: () => void;
}

/** The field and its format hint (`dd-mm-jjjj`), which the field names in aria-describedby. */
export function temporalField(opts: TemporalFieldOptions): { el: HTMLElement; input: HTMLInputElement } {
  const kind = opts.kind ?? 'date';
  const hintId = `${opts.id}-format`;
  const input = h('input', {
    id: opts.id,
    type: 'text',
    class: `temporal-input temporal-${kind}`,
    inputmode: kind === 'date' ? 'numeric' : undefined,
    autocomplete: 'off',
    placeholder: t(WORDS[kind].format),
    required: opts.required,
    value: opts.value ? displayText(kind, opts.value) : '',
    'aria-describedby': [hintId, opts.describedBy].filter(Boolean).join(' '),
    dataset: { temporal: kind, ownValidity: '', invalidMessage: t(WORDS[kind].invalid) },
  });
  const check = (): void => {
    const parsed = PARSERS[kind](input.value);
    const wrong = 'invalid' in parsed;
    input.setCustomValidity(wrong ? t(parsed.invalid === 'noSuchDay' ? 'date.noSuchDay' : WORDS[kind].invalid) : '');
    if (wrong) input.setAttribute('aria-invalid', 'true');
    else input.removeAttribute('aria-invalid');
  };
  input.addEventListener('input', () => {
    check();
    opts.oninput?.();
  });
  // Leaving the field writes a valid value the one way (9-3-2026 → 09-03-2026) and shows the message of a wrong one.
  input.addEventListener('change', () => {
    const parsed = PARSERS[kind](input.value);
    if ('iso' in parsed) input.value = displayText(kind, parsed.iso);
    else if ('invalid' in parsed) input.reportValidity();
  });
  check();
  return { el: h('span', { class: 'temporal-field' }, input, temporalHint(input)), input };
}

/** The format hint a field made by temporalField names in its aria-describedby; place it beside the field. */
export function temporalHint(input: HTMLInputElement): HTMLElement {
  const kind = (input.dataset.temporal as TemporalKind | undefined) ?? 'date';
  // The placeholder shows the format while the field is empty; the hint says it to screen readers, also once typed.
  return h('span', { id: `${input.id}-format`, class: 'sr-only' }, t(WORDS[kind].hint));
}

/** The ISO value of a field made by temporalField: '' when it is empty or not a valid value. */
export function isoValue(input: HTMLInputElement): string {
  const kind = (input.dataset.temporal as TemporalKind | undefined) ?? 'date';
  const parsed = PARSERS[kind](input.value);
  return 'iso' in parsed ? parsed.iso : '';
}

/** Sets a field made by temporalField to an ISO value. */
export function setIsoValue(input: HTMLInputElement, iso: string): void {
  const kind = (input.dataset.temporal as TemporalKind | undefined) ?? 'date';
  input.value = iso ? displayText(kind, iso) : '';
  input.setCustomValidity('');
  input.removeAttribute('aria-invalid');
}

/** The first date, time or date-time field under `root` whose text is not a valid value (for forms without the browser's check). */
export function firstInvalidTemporal(root: ParentNode): HTMLInputElement | null {
  return root.querySelector<HTMLInputElement>('input[data-temporal][aria-invalid="true"]');
}
