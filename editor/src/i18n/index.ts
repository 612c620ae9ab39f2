// The editor's words: one dictionary file per language (nl first, en second), dates as dd-mm-jjjj and amounts as
// € 1.360,00 in Dutch.
import { en } from './en.ts';
import { nl, type MessageKey } from './nl.ts';

export type Lang = 'nl' | 'en';
export type { MessageKey };

const dictionaries: Record<Lang, Record<MessageKey, string>> = { nl, en };
const STORAGE_KEY = 'beslis.lang';

function initialLang(): Lang {
  try {
    const stored = localStorage.getItem(STORAGE_KEY);
    if (stored === 'nl' || stored === 'en') return stored;
  } catch {
    /* storage may be disabled */
  }
  return 'nl';
}

let current: Lang = initialLang();
const listeners = new Set<() => void>();

export function lang(): Lang {
  return current;
}

export function setLang(next: Lang): void {
  if (next === current) return;
  current = next;
  try {
    localStorage.setItem(STORAGE_KEY, next);
  } catch {
    /* ignore */
  }
  if (typeof document !== 'undefined') document.documentElement.lang = next;
  for (const l of listeners) l();
}

export function onLangChange(fn: () => void): () => void {
  listeners.add(fn);
  return () => listeners.delete(fn);
}

/** The text for `key` in the current language, with `{name}` placeholders filled in. */
export function t(key: MessageKey, params: Record<string, string | number> = {}): string {
  const text = dictionaries[current][key];
  return text.replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

/** `2026-11-28` → `28-11-2026` (Dutch) or `28-11-2026` too in English: the municipality writes dates one way. */
export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '';
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  return m ? `${m[3]}-${m[2]}-${m[1]}` : iso;
}

/** A timestamp as `28-11-2026 14:05` (local time). */
export function formatDateTime(iso: string | null | undefined): string {
  if (!iso) return '';
  const d = new Date(iso);
  if (Number.isNaN(d.getTime())) return iso;
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${p(d.getDate())}-${p(d.getMonth() + 1)}-${d.getFullYear()} ${p(d.getHours())}:${p(d.getMinutes())}`;
}

/** Numbers with a decimal comma and dot thousands in Dutch: 1360 → `1.360`, 2.5 → `2,5`. */
export function formatNumber(n: number): string {
  return new Intl.NumberFormat(current === 'nl' ? 'nl-NL' : 'en-GB', { maximumFractionDigits: 10 }).format(n);
}

/** `€ 1.360,00` in Dutch. */
export function formatAmount(n: number): string {
  const s = new Intl.NumberFormat(current === 'nl' ? 'nl-NL' : 'en-GB', { minimumFractionDigits: 2, maximumFractionDigits: 2 }).format(n);
  return `€ ${s}`;
}

/** Today as ISO yyyy-mm-dd in local time. */
export function todayIso(): string {
  const d = new Date();
  const p = (n: number): string => String(n).padStart(2, '0');
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())}`;
}

/** Words an engine parse message in the current language (the engine speaks English); the position is shown apart. */
export function parseMessage(message: string): string {
  let m = message.replace(/ at column \d+$/, '');
  const found = / but found '(.*)'$/.exec(m);
  if (found) m = m.slice(0, found.index);
  const rules: [RegExp, (x: RegExpExecArray) => string][] = [
    [/^expected a value$/, () => t('parse.expectedValue')],
    [/^expected a name$/, () => t('parse.expectedName')],
    [/^expected a context key$/, () => t('parse.expectedKey')],
    [/^an interval needs two endpoints$/, () => t('parse.interval')],
    [/^only built-in functions can be called$/, () => t('parse.onlyBuiltins')],
    [/^unexpected character '(.*)'$/, (x) => t('parse.unexpectedChar', { x: x[1]! })],
    [/^expected '"' to close the string started at column (\d+)$/, (x) => t('parse.unclosedString', { n: x[1]! })],
    [/^invalid \\u escape in string$/, () => t('parse.escape')],
    [/^expected '(.*)'$/, (x) => t('parse.expected', { x: x[1]! })],
    [/^unexpected text$/, () => t('parse.unexpected')],
  ];
  for (const [re, say] of rules) {
    const x = re.exec(m);
    if (x) {
      m = say(x);
      break;
    }
  }
  return found ? m + t('parse.butFound', { x: found[1]! }) : m;
}
