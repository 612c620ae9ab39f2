// Showing decision values the Dutch way: ja/nee, dd-mm-jjjj, decimal commas and € amounts.
// Whether a number is an amount is the column's to say (`unit: "EUR"` or `format: "money"`), never guessed from its
// name: "eerdere boetes" counts fines, it is not one.
import type { DisplayFormat, OutputColumn } from '../../../server/engine/index.ts';
import { formatAmount, formatDate, formatNumber, t } from '../i18n/index.ts';

type Shown = { name: string; label?: string; type?: string; unit?: string; format?: DisplayFormat } | OutputColumn;

function formatNumberOf(value: number, col: Shown | undefined): string {
  const unit = col?.unit?.trim();
  if (col?.format === 'money' || (unit && unit.toUpperCase() === 'EUR' && col?.format !== 'count')) {
    // Another currency than the euro is written after the amount (`12,50 USD`); the euro gets its sign in front.
    return !unit || unit.toUpperCase() === 'EUR' ? formatAmount(value) : `${formatAmount(value).replace(/^€\s*/, '')} ${unit}`;
  }
  return unit ? `${formatNumber(value)} ${unit}` : formatNumber(value);
}

export function formatValue(value: unknown, col?: Shown): string {
  if (value === null || value === undefined) return t('sim.empty');
  if (typeof value === 'boolean') return value ? t('common.yes') : t('common.no');
  if (typeof value === 'number') return formatNumberOf(value, col);
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
