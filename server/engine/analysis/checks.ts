// Per-cell checks: values outside an input's or output's `values` (or of the wrong kind), rules that can never match
// because a cell holds for no possible value, and cells the analysis cannot evaluate exactly.
import { coercerFor } from '../input.ts';
import type { OutputColumn } from '../types.ts';
import { equals, fromJson, type FeelValue } from '../values.ts';
import { isEmpty } from './atom-set.ts';
import { equalityValues, leavesOf } from './cells.ts';
import { formatValue, quoteCell } from './domain.ts';
import { fitsType, typeWords } from './plan.ts';
import type { OutputCell, TableModel } from './model.ts';
import type { Finding } from './types.ts';

const MAX_INEXACT_FINDINGS = 20;

function allowedList(values: readonly unknown[]): string {
  const shown = values.slice(0, 12).map((v) => JSON.stringify(v));
  return values.length > 12 ? `${shown.join(', ')}, …` : shown.join(', ');
}

/** When-cells naming values the input cannot take. */
export function inputValueFindings(model: TableModel): Finding[] {
  const findings: Finding[] = [];
  for (const rule of model.rules) {
    for (const cell of rule.cells) {
      const domain = model.domains[cell.column]!;
      const col = domain.column;
      const listed = Array.isArray(col.values) && col.values.length > 0 && domain.plan.kind === 'finite';
      const seen = new Set<string>();
      for (const t of cell.tests) {
        if (t.values === null) continue;
        const wrongKind = col.type === 'any' ? [] : leavesOf(t.values).filter((v) => !fitsType(col, v));
        for (const v of wrongKind) {
          const text = formatValue(v);
          if (seen.has(text)) continue;
          seen.add(text);
          findings.push({
            kind: 'value-outside',
            severity: 'warning',
            rules: [rule.id],
            path: cell.path,
            message: `The cell ${quoteCell(cell.text)} of rule ${rule.id} compares ${col.name} with ${text}, but ${col.name} takes ${typeWords(col)}: that test never holds.`,
          });
        }
        if (!listed) continue;
        for (const v of equalityValues(t.test, t.values)) {
          if (v === null || !fitsType(col, v)) continue;
          if (domain.plan.values.some((a) => equals(a, v) === true)) continue;
          const text = formatValue(v);
          if (seen.has(text)) continue;
          seen.add(text);
          findings.push({
            kind: 'value-outside',
            severity: 'warning',
            rules: [rule.id],
            path: cell.path,
            message: `The cell ${quoteCell(cell.text)} of rule ${rule.id} names ${text}, which is not an allowed value of ${col.name} (${allowedList(
              col.values!,
            )}). Cases with that value are refused, so this part of the cell never applies.`,
          });
        }
      }
    }
  }
  return findings;
}

function outputAllowed(out: OutputColumn): FeelValue[] | null {
  if (!Array.isArray(out.values) || out.values.length === 0) return null;
  const coerce = out.type === 'any' ? null : coercerFor(out.type);
  return out.values.map((v) => (coerce ? (coerce(v) ?? fromJson(v)) : fromJson(v)));
}

/** Constant then-cells and defaults outside an output's `values`. */
export function outputValueFindings(model: TableModel): Finding[] {
  const findings: Finding[] = [];
  const check = (cell: OutputCell, o: number, ruleId: string | null) => {
    const out = model.outputs[o]!;
    const allowed = outputAllowed(out);
    const v = cell.value;
    if (!allowed || v === undefined || v === null || Array.isArray(v)) return;
    if (allowed.some((a) => equals(a, v) === true)) return;
    const where = ruleId === null ? `The default of ${out.name}` : `Rule ${ruleId} gives ${out.name}`;
    findings.push({
      kind: 'value-outside',
      severity: 'warning',
      rules: ruleId === null ? [] : [ruleId],
      path: cell.path,
      message: `${where} ${ruleId === null ? 'is' : 'the value'} ${formatValue(v)}, which is not one of its values (${allowedList(out.values!)}).${
        model.policy === 'PRIORITY' || model.policy === 'OUTPUT ORDER' ? ' Under this hit policy it ranks below every listed value.' : ''
      }`,
    });
  };
  for (const rule of model.rules) rule.outputs.forEach((cell, o) => check(cell, o, rule.id));
  model.defaults.forEach((cell, o) => check(cell, o, null));
  return findings;
}

/** Rules with a cell that no possible value satisfies. */
export function neverMatchFindings(model: TableModel): Finding[] {
  const findings: Finding[] = [];
  for (const rule of model.rules) {
    const cell = rule.cells.find((c) => isEmpty(c.over));
    if (!cell) continue;
    const domain = model.domains[cell.column]!;
    const col = domain.column;
    let why = '';
    if (domain.plan.kind === 'finite') {
      const values = domain.plan.values.map(formatValue);
      const shown = values.length > 12 ? `${values.slice(0, 12).join(', ')}, …` : values.join(', ');
      why = ` (${col.name} takes ${shown}${domain.nullAtom >= 0 ? ', or is empty' : ''})`;
    }
    else if (domain.nullAtom < 0 && /\bnull\b/.test(cell.text)) why = ` (${col.name} is required, so it is never empty)`;
    findings.push({
      kind: 'unreachable',
      severity: 'warning',
      rules: [rule.id],
      path: cell.path,
      message: `Rule ${rule.id} can never match: no possible value of ${col.name} satisfies ${quoteCell(cell.text)}${why}.`,
      exact: true,
    });
  }
  return findings;
}

/** Cells the analysis treats conservatively, each with the reason. */
export function inexactFindings(model: TableModel): Finding[] {
  const findings: Finding[] = [];
  let more = 0;
  for (const rule of model.rules) {
    for (const cell of rule.cells) {
      if (cell.exact || cell.ast === null) continue;
      const reasons = [...new Set(cell.tests.map((t) => t.reason).filter((r): r is string => r !== null))];
      if (findings.length >= MAX_INEXACT_FINDINGS) {
        more++;
        continue;
      }
      findings.push({
        kind: 'inexact',
        severity: 'info',
        rules: [rule.id],
        path: cell.path,
        message: `The analysis cannot check the cell ${quoteCell(cell.text)} of rule ${rule.id} exactly: it ${reasons.join(
          ', and ',
        )}. Overlaps, gaps and unreachable rules that depend on it are reported as possible (exact: false), not as certain.`,
      });
    }
  }
  if (more > 0) {
    findings.push({
      kind: 'inexact',
      severity: 'info',
      rules: [],
      path: '/rules',
      message: `${more} more cells cannot be checked exactly; only the first ${MAX_INEXACT_FINDINGS} are listed.`,
    });
  }
  return findings;
}
