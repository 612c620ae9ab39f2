// Boxed expressions, business knowledge models and decision services evaluated in memory (issue 19, first slice):
// what a DMN model with each gives, and that the store still refuses all of them.
import { readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DmnModel, importDmn, storableProblems } from '../../server/dmn/index.ts';

const SAMPLE = resolve(dirname(fileURLToPath(import.meta.url)), 'samples', 'boxed-model.dmn');

describe('a DMN model with boxed expressions, BKMs and a decision service', async () => {
  const imported = await importDmn(readFileSync(SAMPLE, 'utf8'));
  const model = new DmnModel(imported);

  it('invokes a BKM by binding its parameters by name; the BKM calls another whose logic is a decision table', () => {
    expect(model.evaluate('boete', { bedrag: 100, categorie: 'A' })).toBe(150);
    expect(model.evaluate('boete', { bedrag: 100, categorie: 'B' })).toBe(200);
    // No rule matches: the table gives null, and null times a number is null.
    expect(model.evaluate('boete', { bedrag: 100, categorie: 'C' })).toBeNull();
  });

  it('evaluates a context in order, each entry seeing the earlier ones, with a relation inside', () => {
    expect(model.evaluate('brief', { bedrag: 100, categorie: 'B' })).toEqual({
      verhoogd: 210,
      regels: [
        { soort: 'boete', bedrag: 200 },
        { soort: 'verhoogd', bedrag: 210 },
      ],
      totaal: 410,
    });
  });

  it('calls a decision service from FEEL, its input data as positional parameters', () => {
    expect(model.evaluate('via dienst', {})).toBe(150);
    expect(model.evaluateService('boete dienst', { bedrag: 10, categorie: 'B' }).get('boete')?.value).toBe(20);
  });

  it('evaluates a DMN 1.4 boxed for and conditional as the FEEL they box, nested', () => {
    expect(model.evaluate('staffel', { bedrag: 60 })).toEqual([60, 120, 150]);
  });

  it('keeps all of it out of the store: the import into the store refuses each element by name', () => {
    expect(imported.tables).toEqual([]);
    const errors = storableProblems(imported).filter((p) => p.severity === 'error');
    const codes = new Map(errors.map((p) => [p.name, p.code]));
    expect(codes.get('factor')).toBe('DMN_BUSINESS_KNOWLEDGE_MODEL');
    expect(codes.get('boete berekenen')).toBe('DMN_BUSINESS_KNOWLEDGE_MODEL');
    expect(codes.get('boete dienst')).toBe('DMN_DECISION_SERVICE');
    expect(codes.get('boete')).toBe('DMN_UNSUPPORTED_LOGIC');
    expect(codes.get('brief')).toBe('DMN_UNSUPPORTED_LOGIC');
    expect(errors.some((p) => p.name === 'via dienst' && p.code === 'DMN_LITERAL_DECISION')).toBe(true);
    expect(codes.get('staffel')).toBe('DMN_UNREAD_LOGIC');
  });

  it('names the element when a boxed decision cannot be evaluated, and the rest of the model still runs', async () => {
    const broken = readFileSync(SAMPLE, 'utf8').replace('<text>boete + 10</text>', '<text>boete + + </text>');
    const m = new DmnModel(await importDmn(broken));
    expect(() => m.evaluate('brief', { bedrag: 1, categorie: 'A' })).toThrow(/decision 'brief': literal expression .* does not compile/);
    expect(m.evaluate('boete', { bedrag: 1, categorie: 'A' })).toBe(1.5);
  });
});
