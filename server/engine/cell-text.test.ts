import { describe, expect, it } from 'vitest';
import { cellChoices, feelString, feelToPlain, plainChoices, typedToFeel, valueFeel, type CellColumn } from './cell-text.ts';
import { compileTable } from './compile.ts';
import { parseExpression, parseUnaryTests } from './parser.ts';
import type { DecisionTable } from './types.ts';

const GEDRAG: CellColumn = { type: 'string', values: ['A', 'B', 'C', 'D'] };
const TEXT: CellColumn = { type: 'string' };
const NAMES = ['gedrag', 'leeftijd', 'woon plaats'];
const cond = (s: string, col: CellColumn = GEDRAG): string => typedToFeel(s, 'input', col, NAMES);
const out = (s: string, col: CellColumn = TEXT): string => typedToFeel(s, 'output', col, NAMES);

describe('typedToFeel: a condition in a text column', () => {
  it('takes an allowed value or a plain word for the text', () => {
    expect(cond('A')).toBe('"A"');
    expect(cond('  B  ')).toBe('"B"');
    expect(cond('Nederland', TEXT)).toBe('"Nederland"');
    expect(cond('Den Haag', TEXT)).toBe('"Den Haag"');
    expect(cond('Dr. Jansen', TEXT)).toBe('"Dr. Jansen"');
    expect(cond('R&D', TEXT)).toBe('"R&D"');
    expect(cond('50%', TEXT)).toBe('"50%"');
    expect(cond('Boete (hoog)', TEXT)).toBe('"Boete (hoog)"');
  });

  it('takes a comma list for a choice of texts, and not(…) for none of them', () => {
    expect(cond('A, B')).toBe('"A","B"');
    expect(cond('A,B ,  C')).toBe('"A","B","C"');
    expect(cond('"A", B')).toBe('"A","B"');
    expect(cond('not(A)')).toBe('not("A")');
    expect(cond('not (A, B)')).toBe('not("A","B")');
    expect(cond('not("A")')).toBe('not("A")');
  });

  it('leaves FEEL as typed: strings, comparisons, ranges, built-ins, inputs, null and any', () => {
    for (const feel of ['"A"', '"A","B"', '-', '', '  ', '< "B"', '>= 10', '[1..5]', 'null', 'not(null)', 'starts with(?, "A")', 'string length(?) > 3', '?', 'gedrag', 'woon plaats', 'not("A", "B")']) {
      expect(cond(feel, TEXT)).toBe(feel);
    }
    // A mistake in FEEL stays, so the cell check shows where it is instead of hiding it in a string.
    for (const broken of ['[1..', '"A', 'starts with(?, "A"', 'A,,B', 'A, B,', '< ', 'not(A), not(B']) {
      expect(cond(broken, TEXT)).toBe(broken);
    }
  });

  it('takes a number, truth value or unknown name typed in a text column for the text: none could equal a text', () => {
    expect(cond('12', TEXT)).toBe('"12"');
    expect(cond('-5', TEXT)).toBe('"-5"');
    expect(cond('1.5', TEXT)).toBe('"1.5"');
    expect(cond('true', TEXT)).toBe('"true"');
    expect(cond('false, ja', TEXT)).toBe('"false","ja"');
    expect(cond('1234 AB', TEXT)).toBe('"1234 AB"');
  });

  it('lets an allowed value win over FEEL: a value called null or named as an input is that text', () => {
    const col: CellColumn = { type: 'string', values: ['null', 'leeftijd', 'Jansen, Piet'] };
    expect(cond('null', col)).toBe('"null"');
    expect(cond('leeftijd', col)).toBe('"leeftijd"');
    expect(cond('Jansen, Piet', col)).toBe('"Jansen, Piet"');
    expect(cond('not(Jansen, Piet)', col)).toBe('not("Jansen, Piet")');
    expect(cond('Jansen, Piet', TEXT)).toBe('"Jansen","Piet"');
  });

  it('takes a value typed in another letter case for the allowed value, so it is not refused as not allowed', () => {
    expect(cond('a')).toBe('"A"');
    expect(cond(' d ')).toBe('"D"');
    expect(cond('a, b')).toBe('"A","B"');
    expect(cond('not(c)')).toBe('not("C")');
    expect(cond('not(a, B)')).toBe('not("A","B")');
    expect(out('b', GEDRAG)).toBe('"B"');
    const long: CellColumn = { type: 'string', values: ['Vluchtweg geblokkeerd', 'Één'] };
    expect(cond('vluchtweg GEBLOKKEERD', long)).toBe('"Vluchtweg geblokkeerd"');
    expect(cond('één', long)).toBe('"Één"');
    // What is not an allowed value in any case stays as typed, and the cell check warns about it.
    expect(cond('e')).toBe('"e"');
    // When the case tells two allowed values apart, the case typed is what counts.
    const both: CellColumn = { type: 'string', values: ['ab', 'AB'] };
    expect(cond('AB', both)).toBe('"AB"');
    expect(cond('ab', both)).toBe('"ab"');
    expect(cond('Ab', both)).toBe('"Ab"');
    // An input's name, a quoted string and other FEEL stay FEEL: only plain text takes the allowed value's case.
    const named: CellColumn = { type: 'string', values: ['Gedrag', 'X'] };
    expect(cond('gedrag', named)).toBe('gedrag');
    expect(cond('"x"', named)).toBe('"x"');
    expect(cond('< x', named)).toBe('< x');
    // Without quotes, a cell that holds the other case keeps its quotes: typed again it would become the allowed value.
    expect(feelToPlain('"a"', 'input', GEDRAG, NAMES)).toBe('"a"');
  });

  it('escapes quotes and backslashes inside the text, and keeps unicode', () => {
    expect(cond('Zeg "hoi"', TEXT)).toBe('"Zeg \\"hoi\\""');
    expect(cond('C:\\map', TEXT)).toBe('"C:\\\\map"');
    expect(cond('Curaçao', TEXT)).toBe('"Curaçao"');
    expect(cond('één, Zürich, 東京', TEXT)).toBe('"één","Zürich","東京"');
    expect(cond("O'Brien", TEXT)).toBe('"O\'Brien"');
    // What it makes is FEEL the parser reads back as the very text typed.
    for (const typed of ['Zeg "hoi"', 'C:\\map', 'één', 'tab\there']) {
      const e = parseExpression(feelString(typed));
      expect(e.t === 'lit' && e.value).toBe(typed);
    }
  });

  it('changes nothing in a column of another type', () => {
    for (const type of ['number', 'boolean', 'date', 'any'] as const) {
      for (const s of ['A', '12', 'true', 'A, B', 'not(A)']) expect(typedToFeel(s, 'input', { type }, NAMES)).toBe(s);
    }
  });

  it('always gives FEEL the parser reads, or the text as typed', () => {
    const typed = ['A', 'A, B', 'not(A)', 'Den Haag', 'Zeg "hoi"', '12', 'true', 'null', 'R&D', '€ 50,-', 'a\\b', '  x  ', 'x)', '(x'];
    for (const s of typed) {
      const feel = cond(s, TEXT);
      if (feel !== s) expect(() => parseUnaryTests(feel, NAMES)).not.toThrow();
    }
  });
});

describe('typedToFeel: an output in a text column', () => {
  it('takes plain text for one text, commas included', () => {
    expect(out('Waarschuwing')).toBe('"Waarschuwing"');
    expect(out('Eerst een gesprek, daarna een brief')).toBe('"Eerst een gesprek, daarna een brief"');
    expect(out('Zeg "hoi"')).toBe('"Zeg \\"hoi\\""');
    expect(out('  ruimte  ')).toBe('"ruimte"');
    expect(out('true')).toBe('"true"');
    expect(out('Waarschuwing, daarna herstelsanctie (last onder dwangsom)')).toBe('"Waarschuwing, daarna herstelsanctie (last onder dwangsom)"');
  });

  it('leaves FEEL as typed', () => {
    for (const feel of ['"Eerst een gesprek"', 'null', 'gedrag', '"Dhr. " + gedrag', 'if leeftijd > 18 then "volwassen" else "kind"', 'upper case(gedrag)', '', '"A', 'upper case(gedrag', 'substring(gedrag, 1, 2']) {
      expect(out(feel)).toBe(feel);
    }
  });
});

describe('feelToPlain: the view without quotes', () => {
  it('shows strings without their quotes', () => {
    expect(feelToPlain('"A"', 'input', GEDRAG, NAMES)).toBe('A');
    expect(feelToPlain('"A","B"', 'input', GEDRAG, NAMES)).toBe('A, B');
    expect(feelToPlain('"A", "B"', 'input', GEDRAG, NAMES)).toBe('A, B');
    expect(feelToPlain('not("A","B")', 'input', GEDRAG, NAMES)).toBe('not(A, B)');
    expect(feelToPlain('"Eerst een gesprek, daarna een brief"', 'output', TEXT, NAMES)).toBe('Eerst een gesprek, daarna een brief');
    expect(feelToPlain('"Zeg \\"hoi\\""', 'output', TEXT, NAMES)).toBe('Zeg "hoi"');
    expect(feelToPlain('"Curaçao"', 'input', TEXT, NAMES)).toBe('Curaçao');
  });

  it('keeps the quotes where text without them would mean something else', () => {
    for (const feel of ['"leeftijd"', '"null"', '"Jansen, Piet"', '" A"', '"-"', '""', '< "B"', '-', 'null', '"A", < "C"', '"not(A)"']) {
      expect(feelToPlain(feel, 'input', TEXT, NAMES)).toBe(feel);
    }
    expect(feelToPlain('"gedrag"', 'output', TEXT, NAMES)).toBe('"gedrag"');
    expect(feelToPlain('"A"', 'input', { type: 'any' }, NAMES)).toBe('"A"');
  });

  it('gives text that typed again is the same FEEL', () => {
    const cells = ['"A"', '"A","B"', 'not("C")', '"Den Haag"', '"12"', '"true"', '"Zeg \\"hoi\\""', '"één"', '"Jansen, Piet"', '"leeftijd"', '< "B"', '"a\\\\b"'];
    for (const feel of cells) {
      const shown = feelToPlain(feel, 'input', GEDRAG, NAMES);
      expect(typedToFeel(shown, 'input', GEDRAG, NAMES).replace(/, /g, ',')).toBe(feel.replace(/, /g, ','));
    }
  });
});

describe('plainChoices', () => {
  it('lists the strings a condition chooses, or null when it is not a plain choice', () => {
    expect(plainChoices('"A","B"')).toEqual(['A', 'B']);
    expect(plainChoices('-')).toEqual([]);
    expect(plainChoices('< "B"')).toBeNull();
    expect(plainChoices('not("A")')).toBeNull();
  });
});

describe('valueFeel and cellChoices: the drop-down of a column of any type', () => {
  const GEVOLGEN: CellColumn = { type: 'number', values: [1, 2, 3, 4] };
  it('writes an allowed value as the FEEL of its column type', () => {
    expect(valueFeel('A', 'string')).toBe('"A"');
    expect(valueFeel(3, 'number')).toBe('3');
    expect(valueFeel(-2.5, 'number')).toBe('-2.5');
    expect(valueFeel(true, 'boolean')).toBe('true');
    expect(valueFeel('2026-01-01', 'date')).toBe('date("2026-01-01")');
    expect(valueFeel('P1D', 'duration')).toBe('duration("P1D")');
    expect(valueFeel([1], 'any')).toBeNull();
    // What it writes is FEEL the parser reads.
    for (const f of ['3', '-2.5', 'true', 'date("2026-01-01")', 'duration("P1D")']) expect(() => parseUnaryTests(f)).not.toThrow();
  });

  it('finds the allowed values a cell chooses, by their place in the list', () => {
    expect(cellChoices('2', GEVOLGEN)).toEqual([1]);
    expect(cellChoices('1, 3', GEVOLGEN)).toEqual([0, 2]);
    expect(cellChoices('3.0', GEVOLGEN)).toEqual([2]);
    expect(cellChoices('-', GEVOLGEN)).toEqual([]);
    expect(cellChoices('', GEVOLGEN)).toEqual([]);
    expect(cellChoices('"B","A"', GEDRAG)).toEqual([1, 0]);
    expect(cellChoices('false', { type: 'boolean', values: [true, false] })).toEqual([1]);
    expect(cellChoices('-1', { type: 'number', values: [1, -1] })).toEqual([1]);
    expect(cellChoices('date( "2026-01-01")', { type: 'date', values: ['2025-01-01', '2026-01-01'] })).toEqual([1]);
    // Anything but a list of allowed values is no choice: a comparison, a range, a value outside the list, not(…).
    for (const feel of ['< 3', '[1..2]', '5', '"1"', 'not(1)', '1,,2', 'gevolgen']) expect(cellChoices(feel, GEVOLGEN)).toBeNull();
  });
});

describe('typed cells in a table the engine runs', () => {
  it('decides with the FEEL made of plain text: A typed in the column of A, B, C, D fires for A', () => {
    const table: DecisionTable = {
      id: 't.cells',
      title: 'Cellen',
      hitPolicy: 'FIRST',
      inputs: [{ name: 'gedrag', type: 'string', values: ['A', 'B', 'C', 'D'] }],
      outputs: [{ name: 'advies', type: 'string' }],
      rules: [
        { id: 'R1', when: { gedrag: cond('A, B') }, then: { advies: out('Gesprek, daarna brief') } },
        { id: 'R2', when: { gedrag: cond('not(A, B)') }, then: { advies: out('Last onder dwangsom') } },
      ],
    };
    const compiled = compileTable(table);
    expect(compiled.evaluate({ gedrag: 'B' }).output).toEqual({ advies: 'Gesprek, daarna brief' });
    expect(compiled.evaluate({ gedrag: 'D' }).output).toEqual({ advies: 'Last onder dwangsom' });
  });
});

describe('truth values typed and shown as words (ja/nee)', () => {
  const bool: CellColumn = { type: 'boolean' };
  const words = { true: 'ja', false: 'nee' };

  it('takes ja/nee (and yes/no, waar/onwaar) in any letter case as true/false, in conditions as lists', () => {
    expect(typedToFeel('ja', 'output', bool)).toBe('true');
    expect(typedToFeel('Nee', 'output', bool)).toBe('false');
    expect(typedToFeel('yes', 'input', bool)).toBe('true');
    expect(typedToFeel('nee, ja', 'input', bool)).toBe('false,true');
    expect(typedToFeel('ONWAAR', 'input', bool)).toBe('false');
  });

  it('leaves FEEL, a dash, other words and an input of that name alone', () => {
    expect(typedToFeel('true', 'input', bool)).toBe('true');
    expect(typedToFeel('-', 'input', bool)).toBe('-');
    expect(typedToFeel('misschien', 'output', bool)).toBe('misschien');
    expect(typedToFeel('ja, misschien', 'input', bool)).toBe('ja, misschien');
    expect(typedToFeel('ja', 'input', bool, ['ja'])).toBe('ja');
    // A list is a condition's; an output is one value.
    expect(typedToFeel('ja, nee', 'output', bool)).toBe('ja, nee');
  });

  it('shows true/false as the words of the language asked for, and gives the same FEEL back when typed', () => {
    expect(feelToPlain('true', 'output', bool, [], words)).toBe('ja');
    expect(feelToPlain('false,true', 'input', bool, [], words)).toBe('nee, ja');
    expect(feelToPlain('true', 'input', bool, [], { true: 'yes', false: 'no' })).toBe('yes');
    expect(typedToFeel(feelToPlain('false,true', 'input', bool, [], words), 'input', bool)).toBe('false,true');
    // Without words (the FEEL view), and for anything but plain truth values, the FEEL stays.
    expect(feelToPlain('true', 'output', bool)).toBe('true');
    expect(feelToPlain('not(true)', 'input', bool, [], words)).toBe('not(true)');
    expect(feelToPlain('-', 'input', bool, [], words)).toBe('-');
  });
});
