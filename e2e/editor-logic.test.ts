// The editor's pure pieces, without a browser: Excel TSV parsing, the fixture comparison of DESIGN §7, version
// choice on two clocks, the words of engine messages, the stats adapter and the cell checks.
import { describe, expect, it } from 'vitest';
import { parseTsv } from '../editor/src/table/grid.ts';
import { compareCase, formatValue } from '../editor/src/table/values.ts';
import { chooseVersion } from '../editor/src/table/history.ts';
import { parseMessage, formatDate, formatAmount, setLang } from '../editor/src/i18n/index.ts';
import { checkCell } from '../editor/src/table/checks.ts';
import { TableModel, type GridColumn } from '../editor/src/table/model.ts';
import type { VersionMeta } from '../editor/src/api.ts';

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

describe('compareCase (DESIGN §7)', () => {
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
});

describe('words and formats', () => {
  it('says engine parse messages in Dutch, and shows dates and amounts the Dutch way', () => {
    setLang('nl');
    expect(parseMessage("expected ']' but found 'x' at column 5")).toBe("']' verwacht, maar 'x' gevonden");
    expect(parseMessage('expected a value at column 1')).toBe('een waarde verwacht');
    expect(parseMessage("unexpected character '#' at column 2")).toBe("onverwacht teken '#'");
    expect(formatDate('2026-11-28')).toBe('28-11-2026');
    expect(formatAmount(1360)).toBe('€ 1.360,00');
    expect(formatValue(true)).toBe('ja');
    expect(formatValue(2.5)).toBe('2,5');
    expect(formatValue(1360, { name: 'boete' })).toBe('€ 1.360,00');
    setLang('en');
    expect(parseMessage("expected ']' but found 'x' at column 5")).toBe("expected ']' but found 'x'");
    expect(formatValue(false)).toBe('no');
    setLang('nl');
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
