// The editor's words: one dictionary file per language (nl first, en second), dates as dd-mm-jjjj and amounts as
// € 1.360,00 in Dutch.
import {
  isEngineMessageCode,
  renderMessage,
  RequiredTableError,
  type CellSyntaxError,
  type EngineError,
  type EngineMessageCode,
  type MessageParams,
} from '../../../server/engine/index.ts';
import { en } from './en.ts';
import { engineEn } from './engine-en.ts';
import { engineNl } from './engine-nl.ts';
import { nl, type MessageKey } from './nl.ts';

export type Lang = 'nl' | 'en';
export type { MessageKey, MessageParams };

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

/** True for a key of the dictionaries (for keys made from a code, `api.<CODE>`). */
export function isMessageKey(key: string): key is MessageKey {
  return Object.hasOwn(nl, key);
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

/**
 * A text the server writes itself into a version's note or an audit reason (`imported from rules/…/v1.json`, by
 * `beslis import`, server/store/files.ts) in the current language; a person's own text stays as they wrote it.
 */
export function systemText(text: string): string {
  const imported = /^imported from (\S+)$/.exec(text);
  return imported ? t('note.importedFrom', { file: imported[1]! }) : text;
}

/** An engine problem (server/engine/messages.ts) in the current language, from its code and parameters. */
export function engineText(code: EngineMessageCode, params: MessageParams = {}): string {
  return renderMessage(current === 'nl' ? engineNl : engineEn, code, params);
}

/**
 * A problem the server or the engine reported, worded from its code: never the engine's English in Dutch. A code this
 * editor does not know (a newer server) gets a general sentence with the code; a problem without any code (a check of
 * the store or the API, not the engine) keeps its message.
 */
export function problemText(p: { code?: string; params?: MessageParams; message: string }): string {
  if (isEngineMessageCode(p.code)) return engineText(p.code, p.params);
  // The store's and the API's own problem codes (REQUIRED, DATE_FROM, …): `problem.<CODE>`, a date named as dd-mm-jjjj.
  const own = `problem.${p.code ?? ''}`;
  if (p.code !== undefined && isMessageKey(own)) {
    const params = Object.fromEntries(Object.entries(p.params ?? {}).map(([k, v]) => [k, typeof v === 'string' && /^\d{4}-\d{2}-\d{2}$/.test(v) ? formatDate(v) : v]));
    return t(own, params as Record<string, string | number>);
  }
  if (p.code !== undefined && current === 'nl') return t('problem.unknownCode', { code: p.code });
  return p.message;
}

/** A cell that does not parse, with its position: `hier hoort ']' (positie 5)`. */
export function cellErrorText(err: CellSyntaxError): string {
  return `${engineText(err.messageCode ?? 'FEEL_UNEXPECTED_TEXT', err.params)} (${t('cell.position', { n: err.column })})`;
}

/** An engine error as a fixture report carries it (server/engine/fixture-runner.ts, CaseError). */
export interface ReportedError {
  code: string;
  message: string;
  messageCode?: string;
  params?: MessageParams;
  details?: { path: string; message: string; code?: string; params?: MessageParams }[];
  requiredTable?: string;
}

/** An error the engine threw or reported (a case it refused, a hit policy broken, a budget exceeded), in the current language. */
export function engineErrorText(err: EngineError | ReportedError): string {
  if (err instanceof RequiredTableError) return `${err.table.table.id}: ${engineErrorText(err.error)}`;
  const details = err.details ?? [];
  let text: string;
  if (isEngineMessageCode(err.messageCode)) {
    const params = err.params ?? {};
    // "the input is invalid: /x: <problem>" names its one problem, which is worded from its own code too.
    text = engineText(err.messageCode, details.length === 1 && 'problem' in params ? { ...params, problem: problemText(details[0]!) } : params);
  } else {
    const key = `api.${err.code}`;
    text = isMessageKey(key) ? t(key) : problemText({ code: err.code, message: err.message });
  }
  return 'requiredTable' in err && err.requiredTable ? `${err.requiredTable}: ${text}` : text;
}
