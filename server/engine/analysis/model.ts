// Reads a table (possibly a half-edited draft that does not compile) into what the checks work on: each input's
// domain, each when-cell as under/over sets of atoms, each then-cell parsed. Cells that do not parse become findings
// and are treated as "may hold anywhere"; nothing here throws on a bad cell.
import type { Expr, Test, UnaryTests } from '../ast.ts';
import { CellSyntaxError } from '../errors.ts';
import { compileExpr, compileUnaryTests, isConstant, type CompileEnv, type ExprFn } from '../feel.ts';
import { parseExpression, parseUnaryTests } from '../parser.ts';
import type { DecisionTable, HitPolicy, InputColumn, OutputColumn } from '../types.ts';
import type { FeelValue } from '../values.ts';
import { EMPTY, isEmpty, type AtomSet } from './atom-set.ts';
import { classifyTest, exactSet, partialSets, testConstants } from './cells.ts';
import { Domain, quoteCell } from './domain.ts';
import { planDomain } from './plan.ts';
import type { Finding } from './types.ts';

export interface TestModel {
  test: Test;
  /** Constants of the test (null when it is not built from constants). */
  values: FeelValue[] | null;
  /** Why the analysis cannot evaluate this test exactly, or null. */
  reason: string | null;
  endpoints: (number | string)[];
}

export interface CellModel {
  column: number;
  text: string;
  path: string;
  /** Null when the cell does not parse. */
  ast: UnaryTests | null;
  tests: TestModel[];
  exact: boolean;
  under: AtomSet;
  over: AtomSet;
}

export interface OutputCell {
  text: string | undefined;
  path: string;
  /** Null when missing or not parsing. */
  fn: ExprFn | null;
  /** The value when the cell is a constant. */
  value: FeelValue | undefined;
}

export interface RuleModel {
  index: number;
  id: string;
  path: string;
  cells: CellModel[];
  under: AtomSet[];
  over: AtomSet[];
  /** Every cell exact: under and over agree. */
  exact: boolean;
  /** Some cell holds for no value at all: the rule never matches. */
  empty: boolean;
  outputs: OutputCell[];
}

export interface TableModel {
  table: DecisionTable;
  policy: HitPolicy;
  inputs: InputColumn[];
  outputs: OutputColumn[];
  domains: Domain[];
  rules: RuleModel[];
  /** Output defaults, parsed (null: none or not parsing). */
  defaults: OutputCell[];
  /** Compile environment for evaluating then-cells on example inputs. */
  env: CompileEnv;
  findings: Finding[];
}

/** A JSON pointer segment (RFC 6901). */
export function seg(s: string | number): string {
  return String(s).replace(/~/g, '~0').replace(/\//g, '~1');
}

function syntaxFinding(path: string, ruleId: string | null, text: string, err: unknown): Finding {
  const finding: Finding = {
    kind: 'syntax',
    severity: 'error',
    rules: ruleId === null ? [] : [ruleId],
    path,
    message: `The cell ${quoteCell(text)} cannot be read: ${err instanceof Error ? err.message : String(err)}.`,
  };
  if (err instanceof CellSyntaxError) finding.column = err.column;
  return finding;
}

function asArray<T>(v: unknown): T[] {
  return Array.isArray(v) ? (v as T[]) : [];
}

function asRecord(v: unknown): Record<string, unknown> {
  return v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Record<string, unknown>) : {};
}

/** What one distinct cell text of a column reads as; its sets are filled in once the column's domain is known. */
interface CellInfo {
  ast: UnaryTests | null;
  /** The parse or compile error, reported for every cell with this text. */
  error: unknown;
  tests: TestModel[];
  exact: boolean;
  under: AtomSet;
  over: AtomSet;
}

function readCell(text: string, names: string[], nameSet: ReadonlySet<string>, strict: CompileEnv): CellInfo {
  let ast: UnaryTests | null = null;
  let error: unknown = null;
  try {
    ast = parseUnaryTests(text, names);
    compileUnaryTests(ast, strict); // unknown names and functions
  } catch (err) {
    error = err;
  }
  // An unknown name still parses: the tree is kept, its test is simply not exact.
  const tests =
    ast === null || ast.t === 'any'
      ? []
      : ast.tests.map((test): TestModel => {
          const c = testConstants(test, nameSet);
          return Array.isArray(c) ? { test, values: c, reason: null, endpoints: [] } : { test, values: null, reason: c.reason, endpoints: [] };
        });
  return { ast, error, tests, exact: false, under: EMPTY, over: EMPTY };
}

export function buildModel(table: DecisionTable): TableModel {
  const findings: Finding[] = [];
  const inputs = asArray<InputColumn>(table.inputs).filter((c) => c && typeof c.name === 'string');
  const outputs = asArray<OutputColumn>(table.outputs).filter((c) => c && typeof c.name === 'string');
  const rawRules = asArray<DecisionTable['rules'][number]>(table.rules);
  const names = inputs.map((c) => c.name);
  const nameSet = new Set(names);
  const strict: CompileEnv = { inputs: new Map(names.map((n, i) => [n, i] as const)), strict: true };
  const loose: CompileEnv = { inputs: strict.inputs, strict: false };

  const ruleIds = rawRules.map((r, i) => (r && typeof r.id === 'string' && r.id !== '' ? r.id : `#${i + 1}`));

  // 1. Parse every when-cell. Cells repeat a lot ("-", "\"A\""): each distinct text of a column is read once.
  const distinct: Map<string, CellInfo>[] = inputs.map(() => new Map());
  const infoOf = (c: number, text: string): CellInfo => {
    let info = distinct[c]!.get(text);
    if (!info) distinct[c]!.set(text, (info = readCell(text, names, nameSet, strict)));
    return info;
  };
  const texts: { text: string; info: CellInfo | null }[][] = rawRules.map((rule, r) => {
    const when = asRecord(rule?.when);
    for (const key of Object.keys(when)) {
      if (!nameSet.has(key)) {
        findings.push({
          kind: 'syntax',
          severity: 'error',
          rules: [ruleIds[r]!],
          path: `/rules/${r}/when/${seg(key)}`,
          message: `Rule ${ruleIds[r]} tests '${key}', but the table has no input of that name.`,
        });
      }
    }
    return inputs.map((col, c) => {
      const raw = Object.hasOwn(when, col.name) ? when[col.name] : '-';
      if (typeof raw !== 'string') {
        const path = `/rules/${r}/when/${seg(col.name)}`;
        findings.push({ kind: 'syntax', severity: 'error', rules: [ruleIds[r]!], path, message: `The cell must be text, not ${JSON.stringify(raw)}.` });
        return { text: String(raw), info: null };
      }
      const info = infoOf(c, raw);
      if (info.error !== null) findings.push(syntaxFinding(`/rules/${r}/when/${seg(col.name)}`, ruleIds[r]!, raw, info.error));
      return { text: raw, info };
    });
  });

  // 2. Each column's domain, from its definition and the constants its cells use; then each distinct cell's sets.
  const domains = inputs.map((col, c) => {
    const infos = [...distinct[c]!.values()];
    const plan = planDomain(col, infos.flatMap((info) => info.tests.flatMap((t) => t.values ?? [])));
    const endpoints: (number | string)[] = [];
    for (const info of infos) {
      for (const t of info.tests) {
        if (t.values === null) continue;
        const k = classifyTest(t.test, t.values, plan);
        if ('reason' in k) t.reason = k.reason;
        else {
          t.endpoints = k.endpoints;
          endpoints.push(...k.endpoints);
        }
      }
    }
    const domain = new Domain(col, c, plan, endpoints);
    for (const info of infos) {
      const exactTests = info.tests.filter((t) => t.reason === null);
      const ends = exactTests.flatMap((t) => t.endpoints);
      info.exact = info.ast !== null && exactTests.length === info.tests.length;
      if (info.exact) info.under = info.over = exactSet(domain, info.ast!, ends);
      else ({ under: info.under, over: info.over } = partialSets(domain, info.ast, exactTests.map((t) => t.test), ends));
    }
    return domain;
  });

  // 3. Each rule as a box of its cells' sets.
  const rules: RuleModel[] = rawRules.map((rule, r) => {
    const cells: CellModel[] = texts[r]!.map(({ text, info }, c) => {
      const path = `/rules/${r}/when/${seg(inputs[c]!.name)}`;
      if (!info) return { column: c, text, path, ast: null, tests: [], exact: false, under: EMPTY, over: domains[c]!.full };
      return { column: c, text, path, ast: info.ast, tests: info.tests, exact: info.exact, under: info.under, over: info.over };
    });
    const then = asRecord(rule?.then);
    const outs = outputs.map((o) => readOutputCell(then, o, `/rules/${r}/then/${seg(o.name)}`, ruleIds[r]!, names, strict, loose, findings));
    for (const key of Object.keys(then)) {
      if (!outputs.some((o) => o.name === key)) {
        findings.push({
          kind: 'syntax',
          severity: 'error',
          rules: [ruleIds[r]!],
          path: `/rules/${r}/then/${seg(key)}`,
          message: `Rule ${ruleIds[r]} sets '${key}', but the table has no output of that name.`,
        });
      }
    }
    return {
      index: r,
      id: ruleIds[r]!,
      path: `/rules/${r}`,
      cells,
      under: cells.map((c) => c.under),
      over: cells.map((c) => c.over),
      exact: cells.every((c) => c.exact),
      empty: cells.some((c) => isEmpty(c.over)),
      outputs: outs,
    };
  });

  const defaults = outputs.map((o, i) => {
    if (o.default === undefined) return { text: undefined, path: `/outputs/${i}/default`, fn: null, value: undefined };
    return readExpression(String(o.default), `/outputs/${i}/default`, null, names, strict, loose, findings);
  });

  return { table, policy: table.hitPolicy ?? 'UNIQUE', inputs, outputs, domains, rules, defaults, env: loose, findings };
}

function readOutputCell(
  then: Record<string, unknown>,
  o: OutputColumn,
  path: string,
  ruleId: string,
  names: string[],
  strict: CompileEnv,
  loose: CompileEnv,
  findings: Finding[],
): OutputCell {
  const raw = Object.hasOwn(then, o.name) ? then[o.name] : undefined;
  if (raw === undefined) {
    findings.push({ kind: 'syntax', severity: 'error', rules: [ruleId], path, message: `Rule ${ruleId} gives no value for the output '${o.name}'.` });
    return { text: undefined, path, fn: null, value: undefined };
  }
  if (typeof raw !== 'string') {
    findings.push({ kind: 'syntax', severity: 'error', rules: [ruleId], path, message: `The cell must be text, not ${JSON.stringify(raw)}.` });
    return { text: undefined, path, fn: null, value: undefined };
  }
  return readExpression(raw, path, ruleId, names, strict, loose, findings);
}

function readExpression(text: string, path: string, ruleId: string | null, names: string[], strict: CompileEnv, loose: CompileEnv, findings: Finding[]): OutputCell {
  let ast: Expr;
  try {
    ast = parseExpression(text, names);
    compileExpr(ast, strict);
  } catch (err) {
    findings.push(syntaxFinding(path, ruleId, text, err));
    return { text, path, fn: null, value: undefined };
  }
  const fn = compileExpr(ast, loose);
  let value: FeelValue | undefined;
  if (isConstant(ast)) {
    try {
      value = fn({ inputs: [], vars: null, q: null });
    } catch {
      value = undefined;
    }
  }
  return { text, path, fn, value };
}
