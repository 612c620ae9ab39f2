// Showing decision values the Dutch way: ja/nee, dd-mm-jjjj, decimal commas and € amounts.
import type { OutputColumn } from '../../../server/engine/index.ts';
import { formatAmount, formatDate, formatNumber, t } from '../i18n/index.ts';

const MONEY = /bedrag|boete|euro|kosten|dwangsom|€|tarief|leges/i;

export function formatValue(value: unknown, col?: { name: string; label?: string; type?: string } | OutputColumn): string {
  if (value === null || value === undefined) return t('sim.empty');
  if (typeof value === 'boolean') return value ? t('common.yes') : t('common.no');
  if (typeof value === 'number') return col && MONEY.test(`${col.name} ${col.label ?? ''}`) ? formatAmount(value) : formatNumber(value);
  if (typeof value === 'string') {
    if (/^\d{4}-\d{2}-\d{2}$/.test(value)) return formatDate(value);
    return value;
  }
  return JSON.stringify(value);
}

/** Deep equality of JSON values (numbers compared as numbers). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null) return false;
  if (Array.isArray(a)) return Array.isArray(b) && a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (typeof a === 'object') {
    const ka = Object.keys(a as object);
    const kb = Object.keys(b as object);
    return ka.length === kb.length && ka.every((k) => jsonEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
  }
  return false;
}

/** Compares a decision to a test case as docs/contracts.md says: named fields only; for list outputs the whole list. */
export function compareCase(c: { expect?: unknown; expectError?: string }, output: unknown, errorCode: string | null): boolean {
  if (c.expectError !== undefined) return errorCode === c.expectError;
  if (errorCode) return false;
  const expect = c.expect;
  if (expect === undefined) return true;
  if (Array.isArray(expect) || Array.isArray(output)) return jsonEqual(expect, output);
  if (output === null || typeof output !== 'object' || expect === null || typeof expect !== 'object') return jsonEqual(expect, output);
  return Object.entries(expect).every(([k, v]) => jsonEqual(v, (output as Record<string, unknown>)[k]));
}
