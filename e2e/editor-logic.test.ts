// The editor's pure pieces, without a browser: Excel TSV parsing, the fixture comparison of docs/contracts.md, version
// choice on two clocks, the words of engine messages, the stats adapter, the cell checks and the simulator's state.
import { describe, expect, it } from 'vitest';
import { parseTsv } from '../editor/src/table/grid.ts';
import { compareCase, formatValue } from '../editor/src/table/values.ts';
import { chooseVersion } from '../editor/src/table/history.ts';
import { engineErrorText, formatDate, formatAmount, problemText, setLang } from '../editor/src/i18n/index.ts';
import { checkCell } from '../editor/src/table/checks.ts';
import { displayText, parseDate, parseDateTime, parseTime } from '../editor/src/date-input.ts';
import { outcomeOf } from '../editor/src/table/fixtures-state.ts';
import { warningText } from '../editor/src/table/approval.ts';
import { runFixtureCase } from '../server/engine/fixture-runner.ts';
import { TableModel, type GridColumn } from '../editor/src/table/model.ts';
import type { VersionMeta } from '../editor/src/api.ts';
import type { FixtureState } from '../editor/src/table/session.ts';
import { caseFromSimulation, putCase, shownTrace } from '../editor/src/table/simulator-state.ts';
import { compileTable, type DecisionTable, type EngineError } from '../server/engine/index.ts';

describe('parseTsv', () => {
  it('reads rows and cells as Excel writes them', () => {
    expect(parseTsv('a\tb\r\nc\td\r\n')).toEqual([
      ['a', 'b'],
      ['c', 'd'],
    ]);
    expect(parseTsv('a\t\tc')).toEqual([['a', '', 'c']]);
    expect(parseTsv('"x\ty"\t"say ""hi"""\n"two\nlines"\tz')).toEqual([
      ['x\ty', 'say "hi"'],
      ['two\nlines', 'z'],
    ]);
    // Quotes inside an unquoted cell stay as they are.
    expect(parseTsv('> 5, "x"\t1')).toEqual([['> 5, "x"', '1']]);
    expect(parseTsv('')).toEqual([]);
  });
});

describe('compareCase (the fixture format)', () => {
  it('checks only the named fields of an object output', () => {
    expect(compareCase({ expect: { kwadrant: 4 } }, { kwadrant: 4, interventie: 'x' }, null)).toBe(true);
    expect(compareCase({ expect: { kwadrant: 3 } }, { kwadrant: 4 }, null)).toBe(false);
    expect(compareCase({ expect: { kwadrant: 4, extra: null } }, { kwadrant: 4 }, null)).toBe(false);
  });
  it('compares list outputs whole, and expected errors by code', () => {
    expect(compareCase({ expect: [{ a: 1 }, { a: 2 }] }, [{ a: 1 }, { a: 2 }], null)).toBe(true);
    expect(compareCase({ expect: [{ a: 1 }] }, [{ a: 1 }, { a: 2 }], null)).toBe(false);
    expect(compareCase({ expectError: 'HIT_POLICY_VIOLATION' }, null, 'HIT_POLICY_VIOLATION')).toBe(true);
    expect(compareCase({ expectError: 'HIT_POLICY_VIOLATION' }, { a: 1 }, null)).toBe(false);
    expect(compareCase({ expect: { a: 1 } }, null, 'INVALID_INPUT')).toBe(false);
    expect(compareCase({ expect: { a: 1 } }, null, null)).toBe(false);
  });
});

describe('chooseVersion (two clocks)', () => {
  const v = (version: number, validFrom: string, publishedAt: string): VersionMeta => ({ version, validFrom, publishedAt, author: 'a', approvedBy: 'b', note: null, hash: String(version) });
  const versions = [v(1, '2019-01-01', '2018-12-01T10:00:00Z'), v(2, '2024-01-01', '2023-11-15T10:00:00Z'), v(3, '2024-01-01', '2024-02-01T10:00:00Z')];
  it('takes the newest version valid on the case date', () => {
    expect(chooseVersion(versions, '2023-06-01')?.version).toBe(1);
    expect(chooseVersion(versions, '2024-06-01')?.version).toBe(3);
    expect(chooseVersion(versions, '2018-06-01')).toBeNull();
  });
  it('as known on a day: only versions published by the end of that day', () => {
    expect(chooseVersion(versions, '2024-06-01', '2024-01-10')?.version).toBe(2);
    expect(chooseVersion(versions, '2024-06-01', '2024-02-01')?.version).toBe(3);
    expect(chooseVersion(versions, '2024-06-01', '2023-01-01')?.version).toBe(1);
  });
  it('reads "as known on" as the end of that day in Amsterdam, as the server does (not in UTC)', () => {
    // 2024-03-01T23:30Z is already 2 March in Amsterdam: not known on 1 March.
    const late = [v(1, '2019-01-01', '2018-12-01T10:00:00Z'), v(2, '2024-01-01', '2024-03-01T23:30:00Z')];
    expect(chooseVersion(late, '2024-06-01', '2024-03-01')?.version).toBe(1);
    expect(chooseVersion(late, '2024-06-01', '2024-03-02')?.version).toBe(2);
  });
});

describe('words and formats', () => {
  it('says engine problems in Dutch from their codes, and shows dates and amounts the Dutch way', () => {
    setLang('nl');
    const number: GridColumn = { kind: 'in', key: 'in:n', index: 0, col: { name: 'n', type: 'number' } };
    expect(checkCell('< 5 10', number, ['n'])?.message).toBe("hier hoort een komma of het einde van de cel, maar hier staat '10' (positie 5)");
    expect(checkCell('[1..5 x', number, ['n'])?.message).toBe("hier hoort ']', maar hier staat 'x' (positie 7)");
    expect(checkCell('#', number, ['n'])?.message).toBe("onverwacht teken '#' (positie 1)");
    // A code this editor does not know (a newer server) is a Dutch sentence with the code, never the English text.
    expect(problemText({ code: 'SOMETHING_NEW', message: 'something new went wrong' })).toBe('Er is iets niet in orde (code SOMETHING_NEW).');
    let refused: unknown;
    try {
      compileTable({ id: 't.a', title: 'A', inputs: [{ name: 'n', type: 'number' }], outputs: [{ name: 'o', type: 'number' }], rules: [{ id: 'r', when: {}, then: { o: '1' } }] }).evaluate({ n: 'twee' });
    } catch (err) {
      refused = err;
    }
    expect(engineErrorText(refused as EngineError)).toBe('de invoer is niet in orde: /n: moet een getal zijn, maar is "twee"');
    expect(formatDate('2026-11-28')).toBe('28-11-2026');
    expect(formatAmount(1360)).toBe('€ 1.360,00');
    expect(formatValue(true)).toBe('ja');
    expect(formatValue(2.5)).toBe('2,5');
    // Money is the column's to say, not its name's (issue 20): a count of fines is a count.
    expect(formatValue(1360, { name: 'boete', unit: 'EUR' })).toBe('€ 1.360,00');
    expect(formatValue(1360, { name: 'bedrag', format: 'money' })).toBe('€ 1.360,00');
    expect(formatValue(0, { name: 'eerdere_boetes', label: 'Eerdere boetes' })).toBe('0');
    expect(formatValue(3, { name: 'boetes', format: 'count' })).toBe('3');
    expect(formatValue(14, { name: 'termijn', unit: 'dagen' })).toBe('14 dagen');
    expect(formatValue(12.5, { name: 'prijs', unit: 'USD', format: 'money' })).toBe('12,50 USD');
    setLang('en');
    expect(checkCell('< 5 10', number, ['n'])?.message).toBe("expected ',' or the end of the cell but found '10' (position 5)");
    expect(engineErrorText(refused as EngineError)).toBe('invalid input /n: must be a number, got "twee"');
    expect(formatValue(false)).toBe('no');
    setLang('nl');
  });
});

describe('a test case that ends in an error', () => {
  it('says the error in Dutch from the report, through JSON as the server sends it', () => {
    setLang('nl');
    const table = compileTable({ id: 't.fx', title: 'Fx', inputs: [{ name: 'n', type: 'number' }], outputs: [{ name: 'o', type: 'number' }], rules: [{ id: 'r', when: {}, then: { o: '1' } }] });
    const { report } = runFixtureCase({ name: 'tekst', input: { n: 'twee' }, expect: { o: 1 } }, () => table);
    const outcome = outcomeOf(JSON.parse(JSON.stringify(report)) as typeof report);
    expect(outcome.error).toBe('INVALID_INPUT: de invoer is niet in orde: /n: moet een getal zijn, maar is "twee"');
    expect(outcome.errorCode).toBe('INVALID_INPUT');
  });
});

describe("the gate's warnings", () => {
  it('are said in Dutch, and a warning the editor does not know is a Dutch sentence, not the English', () => {
    setLang('nl');
    expect(warningText("validFrom 2024-01-01 is before version 3's 2025-01-01: from then on version 3 still decides (it has the later validFrom)")).toBe(
      'De ingangsdatum 01-01-2024 ligt vóór die van versie 3 (01-01-2025): vanaf 01-01-2025 blijft versie 3 beslissen.',
    );
    expect(warningText('analysis (gap): The cases where gedrag = "E" may not be covered.')).toBe('De analyse vond een gat: zie het tabblad Regels.');
    expect(warningText('something new the server says')).toBe('De server gaf nog een waarschuwing die deze editor (nog) niet kent.');
    setLang('en');
    expect(warningText('something new the server says')).toBe('something new the server says');
    setLang('nl');
  });
});

describe('dates typed the Dutch way', () => {
  it('reads dd-mm-jjjj (and d-m-jjjj, and ISO pasted in) and refuses a day that does not exist', () => {
    expect(parseDate('28-11-2026')).toEqual({ iso: '2026-11-28' });
    expect(parseDate('1-3-2030')).toEqual({ iso: '2030-03-01' });
    expect(parseDate('2030-03-01')).toEqual({ iso: '2030-03-01' });
    expect(parseDate(' ')).toEqual({ empty: true });
    expect(parseDate('31-02-2026')).toEqual({ invalid: 'noSuchDay' });
    expect(parseDate('03/01/2030 ')).toEqual({ iso: '2030-01-03' });
    expect(parseDate('2030/03/01')).toEqual({ invalid: 'format' });
    expect(parseTime('9:30')).toEqual({ iso: '09:30' });
    expect(parseTime('24:00')).toEqual({ invalid: 'format' });
    expect(parseDateTime('28-11-2026 09:30')).toEqual({ iso: '2026-11-28T09:30:00' });
    expect(displayText('date', '2026-11-28')).toBe('28-11-2026');
    expect(displayText('dateTime', '2026-11-28T09:30:00')).toBe('28-11-2026 09:30');
  });
});

describe('checkCell', () => {
  const input: GridColumn = { kind: 'in', key: 'in:gedrag', index: 0, col: { name: 'gedrag', label: 'Gedrag', type: 'string', values: ['A', 'B'] } };
  const output: GridColumn = { kind: 'out', key: 'out:kwadrant', index: 0, col: { name: 'kwadrant', type: 'number' } };
  it('uses the engine parser and gives the position of the error', () => {
    expect(checkCell('"A", "B"', input, ['gedrag'])).toBeNull();
    expect(checkCell('-', input, ['gedrag'])).toBeNull();
    const p = checkCell('[1..', input, ['gedrag']);
    expect(p?.severity).toBe('error');
    expect(p?.column).toBeGreaterThan(1);
    expect(p?.message).toContain(`positie ${p?.column}`);
    expect(checkCell('gevolgen * 2', output, ['gevolgen'])).toBeNull();
    expect(checkCell('', output, [])?.severity).toBe('error');
  });
  it('warns about a literal outside the allowed values', () => {
    expect(checkCell('"Z"', input, ['gedrag'])).toMatchObject({ severity: 'warning' });
  });
  it('reads and writes cells: `-` and empty remove a condition', () => {
    const rule = { id: 'R1', when: { gedrag: '"A"' }, then: {} as Record<string, string> };
    expect(TableModel.cellText(rule, input)).toBe('"A"');
    TableModel.setCellText(rule, input, '-');
    expect(rule.when).toEqual({});
    expect(TableModel.cellText(rule, input)).toBe('-');
    TableModel.setCellText(rule, output, ' 4 ');
    expect(rule.then).toEqual({ kwadrant: '4' });
  });
});

describe('the simulator state', () => {
  // Rule Rn holds when x is n; y must be "a" in every rule but R8 (the near misses differ in how many cells fail).
  const table: DecisionTable = {
    id: 'sim.test',
    title: 'Simulator',
    hitPolicy: 'FIRST',
    inputs: [
      { name: 'x', type: 'number' },
      { name: 'y', type: 'string' },
    ],
    outputs: [{ name: 'uit', type: 'number' }],
    rules: Array.from({ length: 8 }, (_, i) => ({ id: `R${i + 1}`, when: { x: String(i + 1), ...(i === 7 ? {} : { y: '"a"' }) }, then: { uit: String(i + 1) } })),
  };
  const compiled = compileTable(table);

  it('explains the matched rules and the nearest misses, five rules at most, in rule order', () => {
    const trace = compiled.evaluate({ x: 6, y: 'a' }, { trace: true }).trace!;
    // R6 matched; every other rule misses on one cell (x): the first ones in rule order fill the five.
    expect(shownTrace(trace).map((r) => [r.ruleId, r.matched])).toEqual([
      ['R1', false],
      ['R2', false],
      ['R3', false],
      ['R4', false],
      ['R6', true],
    ]);
    // With y wrong, R8 fails on one cell and the others on two: R8 is shown although it comes last.
    const shown = shownTrace(compiled.evaluate({ x: 9, y: 'b' }, { trace: true }).trace!);
    expect(shown.map((r) => r.ruleId)).toEqual(['R1', 'R2', 'R3', 'R4', 'R8']);
    expect(shownTrace([])).toEqual([]);
  });

  it('turns a decided case into a test case, and an engine refusal into an expected error', () => {
    const input = { x: 2, y: 'a' };
    const decided = caseFromSimulation({ input, result: compiled.evaluate(input), error: null }, 'twee');
    input.x = 3; // the case keeps the input as it was decided
    expect(decided).toEqual({ name: 'twee', input: { x: 2, y: 'a' }, expect: { uit: 2 } });
    let error: EngineError | null = null;
    try {
      compiled.evaluate({ x: 'twee' });
    } catch (err) {
      error = err as EngineError;
    }
    expect(caseFromSimulation({ input: { x: 'twee' }, result: null, error }, 'fout')).toEqual({ name: 'fout', input: { x: 'twee' }, expectError: 'INVALID_INPUT' });
  });

  it('saving under a taken name replaces that case, another name adds one', () => {
    const state: FixtureState = { set: { table: 'sim.test', cases: [{ name: 'a', input: {}, expect: { uit: 1 } }] }, revision: 1, savedJson: '' };
    putCase(state, { name: 'a', input: { x: 1 }, expect: { uit: 9 } });
    putCase(state, { name: 'b', input: {}, expectError: 'INVALID_INPUT' });
    expect(state.set.cases).toEqual([
      { name: 'a', input: { x: 1 }, expect: { uit: 9 } },
      { name: 'b', input: {}, expectError: 'INVALID_INPUT' },
    ]);
  });
});
