// The state of the Testgevallen panel: the fixture set (loaded once per session, saved with a reason), the outcome
// of a run per case (from the engine's runner in the browser, or the server's report), and the expected-vs-actual
// rows the panel shows. The panel itself (fixtures.ts) only renders and wires buttons.
import { api, ApiError, type FixtureCase, type FixtureReport } from '../api.ts';
import type { CaseReport } from '../../../server/engine/fixture-runner.ts';
import { engineErrorText, t, type MessageKey } from '../i18n/index.ts';
import type { FixtureState, TableSession } from './session.ts';
import { formatValue, jsonEqual } from './values.ts';

/** The table's fixture set, loaded once per session (an empty set when the table has none yet). */
export async function loadFixtures(s: TableSession): Promise<FixtureState> {
  if (s.fixtures) return s.fixtures;
  try {
    const table = await api.fixtures(s.id);
    // With a stored draft, test cases change inside the draft (approved with it); the table's set is refused then.
    const inDraft = !s.readonly && (table.draftHasFixtures || s.revision > 0);
    const { fixtures, revision } = inDraft && table.draftHasFixtures ? await api.fixtures(s.id, 'draft') : table;
    const set = { ...fixtures, table: fixtures.table ?? s.id, cases: fixtures.cases ?? [] };
    s.fixtures = { set, revision, savedJson: JSON.stringify(set), inDraft };
  } catch (err) {
    if (err instanceof ApiError && err.status === 404 && err.code === 'FIXTURES_NOT_FOUND') {
      const set = { table: s.id, cases: [] };
      s.fixtures = { set, revision: 0, savedJson: JSON.stringify(set) };
    } else throw err;
  }
  return s.fixtures;
}

/**
 * Saves the fixture set with the reason for the change. In the editor a change of the expectations belongs to the draft
 * (docs/contracts.md: shown in its diff, with a reason): PUT …/draft/fixtures with the draft revision (0 makes the draft), which
 * then moves on. A user who may not edit drafts (a tester, 403) saves the table's own set instead (PUT …/fixtures).
 */
export async function saveFixtureSet(s: TableSession, state: FixtureState, reason: string): Promise<void> {
  const toDraft = async (): Promise<void> => {
    const r = await api.saveDraftFixtures(s.id, state.set, reason, s.revision);
    s.revision = r.revision;
    if (s.draft) s.draft = { ...s.draft, revision: r.revision };
    state.revision = r.revision;
    state.inDraft = true;
  };
  if (state.inDraft || !s.readonly) {
    try {
      await toDraft();
    } catch (err) {
      if (state.inDraft || !(err instanceof ApiError && err.status === 403)) throw err;
      const r = await api.saveFixtures(s.id, state.set, state.revision, reason);
      state.revision = r.revision ?? (state.revision ?? 0) + 1;
    }
  } else {
    const r = await api.saveFixtures(s.id, state.set, state.revision, reason);
    state.revision = r.revision ?? (state.revision ?? 0) + 1;
  }
  state.savedJson = JSON.stringify(state.set);
  s.notify();
}

export interface CaseOutcome {
  pass: boolean;
  actual: unknown;
  matched: string[];
  /** `CODE: message` when the case ended in an error. */
  error?: string;
  errorCode?: string;
}

/** A case report of the engine's runner (in the browser or from the server) as the panel shows it. */
export function outcomeOf(r: CaseReport): CaseOutcome {
  return {
    pass: r.pass,
    actual: r.actual,
    matched: r.matched,
    ...(r.error ? { error: `${r.error.code}: ${engineErrorText(r.error)}`, errorCode: r.error.code } : {}),
  };
}

/** Normalises the server's report to one outcome per case (by the case's index in the set). */
export function serverOutcomes(report: FixtureReport, count: number): (CaseOutcome | null)[] {
  const list = report.cases ?? report.results ?? [];
  const out: (CaseOutcome | null)[] = new Array<CaseOutcome | null>(count).fill(null);
  list.forEach((r, i) => {
    const idx = typeof r.index === 'number' ? r.index : i;
    if (idx >= count) return;
    const pass = r.pass ?? r.passed ?? (r.status === 'pass' || r.status === 'passed');
    const code = typeof r.error === 'object' && r.error ? r.error.code : undefined;
    const err = typeof r.error === 'string' ? r.error : r.error ? `${r.error.code ?? ''}: ${engineErrorText({ ...r.error, code: r.error.code ?? '', message: r.error.message ?? '' })}` : undefined;
    // `message` repeats the mismatches in English: the comparison table shows them.
    out[idx] = { pass: Boolean(pass), actual: r.actual ?? r.output ?? null, matched: r.matched ?? [], error: err, errorCode: code };
  });
  return out;
}

/** One value for the comparison table: "—" for a field the output does not have. */
export function show(v: unknown, col?: { name: string; label?: string; type?: string }): string {
  if (v === undefined) return '—';
  if (Array.isArray(v) || (v !== null && typeof v === 'object')) return JSON.stringify(v);
  return formatValue(v, col);
}

/** A case's input in one line: `label: value · …`. */
export function inputLine(s: TableSession, c: FixtureCase): string {
  const input = c.input ?? {};
  const parts = Object.entries(input).map(([k, v]) => `${s.model.table.inputs.find((x) => x.name === k)?.label ?? k}: ${show(v, s.model.table.inputs.find((x) => x.name === k))}`);
  return parts.length > 0 ? parts.join(' · ') : '—';
}

/** Rows of expected vs actual for a case: per expected field, or the whole list, or the error code. */
export function comparison(s: TableSession, c: FixtureCase, o: CaseOutcome | null): { field: string; expected: string; actual: string; same: boolean }[] {
  const label = (k: string): string => s.model.table.outputs.find((x) => x.name === k)?.label ?? k;
  const col = (k: string) => s.model.table.outputs.find((x) => x.name === k);
  if (c.expectError !== undefined) {
    const actual = o ? (o.errorCode ?? (o.error ? o.error.split(':')[0]! : t('fx.noError'))) : '';
    return [{ field: t('fx.error'), expected: c.expectError, actual, same: !o || actual === c.expectError }];
  }
  const expect = c.expect;
  if (expect === undefined) return [];
  const actualOut = o?.actual;
  if (Array.isArray(expect) || Array.isArray(actualOut)) {
    // A list: one line per row, `label: value, …`; an empty list is "no rule matches".
    const rowText = (r: unknown): string =>
      r !== null && typeof r === 'object' && !Array.isArray(r) ? Object.entries(r).map(([k, v]) => `${label(k)}: ${show(v, col(k))}`).join(', ') : show(r);
    const exp = Array.isArray(expect) ? expect : [expect];
    if (!o || !Array.isArray(actualOut)) {
      const actual = !o ? '' : (o.errorCode ?? show(actualOut));
      if (exp.length === 0) return [{ field: t('fx.list'), expected: t('fx.noMatch'), actual, same: !o }];
      return exp.map((r, i) => ({ field: t('fx.form.row', { n: i + 1 }), expected: rowText(r), actual: i === 0 ? actual : '', same: !o }));
    }
    if (exp.length === 0 && actualOut.length === 0) return [{ field: t('fx.list'), expected: t('fx.noMatch'), actual: t('fx.noMatch'), same: true }];
    return Array.from({ length: Math.max(exp.length, actualOut.length) }, (_, i) => ({
      field: t('fx.form.row', { n: i + 1 }),
      expected: i < exp.length ? rowText(exp[i]) : '—',
      actual: i < actualOut.length ? rowText(actualOut[i]) : '—',
      same: jsonEqual(exp[i], actualOut[i]),
    }));
  }
  return Object.entries(expect).map(([k, v]) => {
    const got = actualOut && typeof actualOut === 'object' ? (actualOut as Record<string, unknown>)[k] : undefined;
    const actual = !o ? '' : o.errorCode ? o.errorCode : actualOut === null ? t('fx.noMatch') : show(got, col(k));
    return { field: label(k), expected: show(v, col(k)), actual, same: !o || jsonEqual(v, got) };
  });
}

/** Field names of a fixture problem path, said the way the form says them. */
const FIELD_KEYS: Record<string, MessageKey> = {
  name: 'fx.field.name',
  input: 'fx.field.input',
  expect: 'fx.field.expect',
  expectError: 'fx.field.expectError',
  date: 'fx.field.date',
  asOf: 'fx.field.asOf',
  note: 'fx.field.note',
  reason: 'fx.field.reason',
};

/** `/fixtures/cases/3/input/gedrag` → `Testgeval “X” (nr. 4), invoer gedrag`. */
export function describeFixturePath(path: string, cases: FixtureCase[]): string {
  const m = /^(?:\/fixtures)?\/cases\/(\d+)(?:\/([^/]+)(.*))?$/.exec(path);
  if (!m) {
    const key = FIELD_KEYS[path.replace(/^\/(fixtures\/)?/, '')];
    return key ? t(key) : path || '/';
  }
  const i = Number(m[1]);
  const key = m[2] ? FIELD_KEYS[m[2]] : undefined;
  const field = key ? t(key) : (m[2] ?? '');
  const rest = m[3] ? m[3].split('/').filter(Boolean).join('.') : '';
  const where = t('fx.problemAt', { name: cases[i]?.name ?? '', n: i + 1 });
  return [where, [field, rest].filter(Boolean).join(' ')].filter(Boolean).join(', ');
}

