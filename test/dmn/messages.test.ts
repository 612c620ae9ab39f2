// The DMN importer's problems are worded by the editor from their codes (server/dmn/messages.ts): every code has a
// Dutch and an English text, and those texts use only the parameters the server fills in, so no Dutch screen shows
// the server's English or a bare {placeholder}.
import { describe, expect, it } from 'vitest';
import { DMN_MESSAGE_CODES, DMN_MESSAGES, dmnEnglish } from '../../server/dmn/messages.ts';
import { en } from '../../editor/src/i18n/en.ts';
import { nl } from '../../editor/src/i18n/nl.ts';

const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

describe('DMN import messages', () => {
  it.each([
    ['nl', nl as Record<string, string>],
    ['en', en as Record<string, string>],
  ])('has a %s text for every code, with only the parameters the server gives', (_lang, dict) => {
    for (const code of DMN_MESSAGE_CODES) {
      const text = dict[`dmn.problem.${code}`];
      expect(text, code).toBeTypeOf('string');
      const given = new Set([...placeholders(DMN_MESSAGES[code]), 'problem']);
      expect(placeholders(text!).filter((p) => !given.has(p)), code).toEqual([]);
    }
  });

  it('makes the English message from the code, with the cause as {problem}', () => {
    expect(dmnEnglish('DMN_CELL', { rule: 'r1', column: 'zone' }, { message: 'expected a value', code: 'FEEL_EXPECTED_VALUE' })).toBe('rule r1, zone: expected a value');
    expect(dmnEnglish('DMN_TOO_MANY_TABLES', { count: 201, limit: 200 })).toBe('the model has 201 decision tables; at most 200 are taken in at once');
  });
});
