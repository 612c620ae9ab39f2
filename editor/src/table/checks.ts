// Checking a table as it is typed: every cell with the engine's own parser (instant, per cell, cached by text),
// values outside an input's allowed list, and the whole-table problems the engine's compiler finds.
import {
  CellSyntaxError,
  EngineError,
  parseExpression,
  parseUnaryTests,
  validateTable,
  type DecisionTable,
  type InputColumn,
  type JsonValue,
  type Problem,
} from '../../../server/engine/index.ts';
import { cellErrorText, engineErrorText, engineText, lang, problemText, t } from '../i18n/index.ts';
import { TableModel, type GridColumn } from './model.ts';

export interface CellProblem {
  message: string;
  /** 1-based position in the cell text, when the parser gave one. */
  column?: number;
  severity: 'error' | 'warning';
}

/** Problems of one cell, or null when it is fine. `names` are the input names (usable as values in cells). */
export function checkCell(text: string, col: GridColumn, names: readonly string[]): CellProblem | null {
  if (col.kind === 'note') return null;
  if (col.kind === 'id') {
    if (text.trim() === '') return { message: t('grid.idEmpty'), severity: 'error' };
    if (!/^[A-Za-z0-9_.:-]+$/.test(text)) return { message: t('grid.idChars'), severity: 'error' };
    return null;
  }
  try {
    if (col.kind === 'in') {
      parseUnaryTests(text.trim() === '' ? '-' : text, names);
      return allowedProblem(text, col.col);
    }
    if (text.trim() === '') return { message: engineText('FEEL_EXPECTED_VALUE'), severity: 'error' };
    parseExpression(text, names);
    return null;
  } catch (err) {
    if (err instanceof CellSyntaxError) {
      return { message: cellErrorText(err), column: err.column, severity: 'error' };
    }
    if (err instanceof EngineError) return { message: engineErrorText(err), severity: 'error' };
    return { message: err instanceof Error ? err.message : String(err), severity: 'error' };
  }
}

/** A plain literal (or a comma list of them) that is not among the column's allowed values: a warning. */
function allowedProblem(text: string, col: InputColumn): CellProblem | null {
  if (!col.values || col.values.length === 0) return null;
  const allowed = new Set(col.values.map((v) => JSON.stringify(v)));
  for (const part of text.split(',')) {
    const lit = literalValue(part.trim());
    if (lit !== undefined && !allowed.has(JSON.stringify(lit))) {
      return { message: t('cell.notAllowed', { value: part.trim(), column: col.label ?? col.name }), severity: 'warning' };
    }
  }
  return null;
}

function literalValue(s: string): JsonValue | undefined {
  if (/^"(?:[^"\\]|\\.)*"$/.test(s)) {
    try {
      return JSON.parse(s) as string;
    } catch {
      return undefined;
    }
  }
  if (/^-?\d+(\.\d+)?$/.test(s)) return Number(s);
  if (s === 'true' || s === 'false') return s === 'true';
  return undefined;
}

export interface TableCheck {
  /** Problems by rule index and column key. */
  cells: Map<number, Map<string, CellProblem>>;
  /** Problems that are not about one cell (names, hit policy, shape). */
  table: Problem[];
  /** True when the engine compiles the table. */
  valid: boolean;
}

/** Checks every cell and the table as a whole. Parse results are cached by text for the next call. */
export class Checker {
  private cache = new Map<string, CellProblem | null>();
  private namesKey = '';

  check(table: DecisionTable, model: TableModel): TableCheck {
    const names = table.inputs.map((c) => c.name);
    // The messages are worded in the current language: another language is another cache.
    const key = JSON.stringify([lang(), names, table.inputs.map((c) => c.values ?? null)]);
    if (key !== this.namesKey) {
      this.cache.clear();
      this.namesKey = key;
    }
    if (this.cache.size > 50_000) this.cache.clear();
    const cols = model.columns();
    const cells = new Map<number, Map<string, CellProblem>>();
    const ids = new Map<string, number>();
    table.rules.forEach((rule, r) => {
      for (const col of cols) {
        const text = TableModel.cellText(rule, col);
        const cacheKey = `${col.kind === 'in' ? col.key : col.kind}\u0000${text}`;
        let p = this.cache.get(cacheKey);
        if (p === undefined) {
          p = checkCell(text, col, names);
          this.cache.set(cacheKey, p);
        }
        if (col.kind === 'id' && !p && ids.has(text)) p = { message: t('grid.duplicateId', { id: text }), severity: 'error' };
        if (p) {
          let row = cells.get(r);
          if (!row) cells.set(r, (row = new Map()));
          row.set(col.key, p);
        }
      }
      ids.set(rule.id, r);
    });
    let problems: Problem[];
    try {
      problems = validateTable(table);
    } catch (err) {
      problems = [{ path: '', message: err instanceof Error ? err.message : String(err) }];
    }
    const tableProblems: Problem[] = [];
    for (const p of problems) {
      const m = /^\/rules\/(\d+)\/(when|then)\/(.+)$/.exec(p.path);
      if (m) {
        const r = Number(m[1]);
        const colKey = `${m[2] === 'when' ? 'in' : 'out'}:${m[3]}`;
        const row = cells.get(r) ?? new Map<string, CellProblem>();
        if (!row.has(colKey) || row.get(colKey)!.severity === 'warning') {
          if (table.inputs.some((c) => `in:${c.name}` === colKey) || table.outputs.some((c) => `out:${c.name}` === colKey)) {
            row.set(colKey, { message: p.column ? `${problemText(p)} (${t('cell.position', { n: p.column })})` : problemText(p), severity: 'error', column: p.column });
            cells.set(r, row);
            continue;
          }
        } else continue;
      }
      const idm = /^\/rules\/(\d+)\/id$/.exec(p.path);
      if (idm && cells.get(Number(idm[1]))?.has('id')) continue;
      tableProblems.push(p);
    }
    return { cells, table: tableProblems, valid: problems.length === 0 };
  }
}

/** `/rules/3/when/gedrag` → `regel R4, gedrag` for messages outside the grid. */
export function describePath(path: string, table: DecisionTable): string {
  const m = /^\/rules\/(\d+)(?:\/(\w+)(?:\/(.+))?)?$/.exec(path);
  if (m) {
    const rule = table.rules[Number(m[1])];
    return `${t('grid.rule')} ${rule?.id ?? Number(m[1]) + 1}${m[3] ? `, ${m[3]}` : m[2] ? `, ${m[2]}` : ''}`;
  }
  return path || '/';
}
