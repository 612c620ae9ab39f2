// DMN export: well-formed DMN 1.3 with a diagram, and the round trip export → import keeps every table's behaviour:
// a hand-made table with every column feature, every policy table in rules/ on its fixtures, and the TCK tables.
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { DmnModdle } from 'dmn-moddle';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TCK_DIR } from '../../server/cli/commands/tck.ts';
import { compileTable } from '../../server/engine/index.ts';
import type { DecisionTable } from '../../server/engine/types.ts';
import { DmnModel, exportDmn, exportDmnModel, findTckFolders, importDmn, parseTckTestFile, tckToJson } from '../../server/dmn/index.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TCK = DEFAULT_TCK_DIR;

const HANDMADE: DecisionTable = {
  id: 'toezicht.melding-urgentie',
  title: 'Urgentie van een melding',
  description: 'Bepaalt hoe snel een melding wordt opgepakt.',
  hitPolicy: 'PRIORITY',
  inputs: [
    { name: 'soort', label: 'Soort melding', type: 'string', values: ['geluid', 'brand', 'afval'] },
    { name: 'meldertype', label: 'Type melder', type: 'string', path: 'melder.type', optional: true },
    { name: 'dubbel_aantal', type: 'number', expression: 'aantal * 2', optional: true },
    { name: 'gemeld_op', type: 'date', values: ['2024-01-01', '2024-06-30'], optional: true },
    { name: 'wachttijd', type: 'duration', optional: true },
    { name: 'Extra info', type: 'any', optional: true },
  ],
  outputs: [
    { name: 'urgentie', label: 'Urgentie', type: 'string', values: ['hoog', 'middel', 'laag'], default: '"laag"' },
    { name: 'termijn', type: 'number' },
  ],
  rules: [
    { id: '1', when: { soort: '"brand"' }, then: { urgentie: '"hoog"', termijn: '1' }, note: 'Brand gaat altijd voor.' },
    { id: 'A:2', when: { meldertype: '"politie"', dubbel_aantal: '>= 6' }, then: { urgentie: '"middel"', termijn: 'dubbel_aantal + 1' } },
    { id: 'r3', when: { gemeld_op: '< date("2024-03-01")', wachttijd: '> duration("P3D")' }, then: { urgentie: '"hoog"', termijn: '2' } },
    { id: 'r4', when: { soort: 'not("brand")', 'Extra info': '"spoed"' }, then: { urgentie: '"middel"', termijn: '3' } },
    { id: 'r5', when: { soort: '"afval", "geluid"' }, then: { urgentie: '"laag"', termijn: '10' } },
  ],
  meta: { owner: 'Team Toezicht' },
};

const HANDMADE_CASES: Record<string, unknown>[] = [
  { soort: 'brand' },
  { soort: 'geluid', melder: { type: 'politie' }, aantal: 3 },
  { soort: 'geluid', melder: { type: 'burger' }, aantal: 3 },
  { soort: 'afval', gemeld_op: '2024-01-01', wachttijd: 'P5D' },
  { soort: 'afval', gemeld_op: '2024-06-30', wachttijd: 'P5D' },
  { soort: 'geluid', 'Extra info': 'spoed' },
  { soort: 'brand', 'Extra info': 'spoed', melder: { type: 'politie' }, aantal: 10 },
  { soort: 'onbekend' },
  {},
];

type Outcome = { output: unknown; matched: string[] } | { error: string };

function outcome(table: DecisionTable, input: Record<string, unknown>): Outcome {
  try {
    const r = compileTable(table).evaluate(input);
    return { output: r.output, matched: r.matched };
  } catch (err) {
    return { error: (err as { code?: string }).code ?? (err as Error).name };
  }
}

function withoutMeta(t: DecisionTable): Omit<DecisionTable, 'meta' | 'version' | 'validFrom' | 'requires'> {
  const { meta: _m, version: _v, validFrom: _f, requires: _r, ...rest } = t;
  return rest;
}

describe('export to DMN 1.3', () => {
  it('writes DMN 1.3 that dmn-moddle reads without a warning, with a diagram of the decision and its input data', async () => {
    const xml = await exportDmn(HANDMADE);
    expect(xml).toContain('xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/"');
    const { rootElement, warnings } = await new DmnModdle().fromXML(xml, 'dmn:Definitions');
    expect(warnings).toEqual([]);
    const drg = rootElement.drgElement as { $type: string; name: string; id: string }[];
    expect(drg.map((e) => e.$type)).toEqual(['dmn:Decision', 'dmn:InputData', 'dmn:InputData', 'dmn:InputData', 'dmn:InputData']);
    expect(drg.filter((e) => e.$type === 'dmn:InputData').map((e) => e.name)).toEqual(['soort', 'gemeld_op', 'wachttijd', 'Extra info']);
    const decision = drg[0] as unknown as { decisionLogic: Record<string, unknown>; name: string };
    expect(decision.name).toBe('Urgentie van een melding');
    expect(decision.decisionLogic).toMatchObject({ $type: 'dmn:DecisionTable', hitPolicy: 'PRIORITY' });
    const di = rootElement.dmnDI as { diagrams: { diagramElements: { $type: string; dmnElementRef: { id: string } }[] }[] };
    const refs = di.diagrams[0]!.diagramElements.map((e) => `${e.$type}:${e.dmnElementRef.id}`);
    for (const e of drg) expect(refs).toContain(`dmndi:DMNShape:${e.id}`);
    expect(refs.filter((r) => r.startsWith('dmndi:DMNEdge')).length).toBe(4);
    // A rule id that is not an XML name is made one; the Beslis id travels in the label.
    expect(xml).toMatch(/<rule id="r_1" label="1">/);
    expect(xml).toContain('<text>date("2024-01-01"), date("2024-06-30")</text>');
    expect(xml).toContain('typeRef="days and time duration"');
  });

  it('imports back as the same table (but for meta), with the same outputs on every case', async () => {
    const back = await importDmn(await exportDmn(HANDMADE));
    expect(back.problems).toEqual([]);
    expect(back.tables).toHaveLength(1);
    const table = back.tables[0]!;
    expect(withoutMeta(table)).toEqual(withoutMeta(HANDMADE));
    for (const input of HANDMADE_CASES) expect(outcome(table, input), JSON.stringify(input)).toEqual(outcome(HANDMADE, input));
    // The cases are not all alike: they reach different rules and the default.
    const seen = new Set(HANDMADE_CASES.map((c) => JSON.stringify(outcome(HANDMADE, c))));
    expect(seen.size).toBeGreaterThanOrEqual(6);
  });

  it('exports several tables as one model with their requires wiring', async () => {
    const first: DecisionTable = {
      id: 'demo.kwadrant',
      title: 'Kwadrant',
      inputs: [{ name: 'ernst', type: 'number' }],
      outputs: [{ name: 'kwadrant', type: 'number' }],
      rules: [
        { id: 'k1', when: { ernst: '< 3' }, then: { kwadrant: '1' } },
        { id: 'k2', when: { ernst: '>= 3' }, then: { kwadrant: '2' } },
      ],
    };
    const second: DecisionTable = {
      id: 'demo.sanctie',
      title: 'Sanctie',
      requires: ['demo.kwadrant'],
      inputs: [{ name: 'kwadrant', type: 'number' }],
      outputs: [{ name: 'sanctie', type: 'string' }],
      rules: [
        { id: 's1', when: { kwadrant: '1' }, then: { sanctie: '"waarschuwing"' } },
        { id: 's2', when: { kwadrant: '2' }, then: { sanctie: '"dwangsom"' } },
      ],
    };
    const back = await importDmn(await exportDmnModel([first, second]));
    expect(back.problems).toEqual([]);
    expect(back.tables.map((t) => [t.id, t.requires ?? []])).toEqual([
      ['demo.kwadrant', []],
      ['demo.sanctie', ['demo.kwadrant']],
    ]);
    const model = new DmnModel(back);
    expect(model.evaluate('Sanctie', { ernst: 4 })).toBe('dwangsom');
    expect(model.evaluate('Sanctie', { ernst: 1 })).toBe('waarschuwing');
  });
});

// ---------------------------------------------------------------------------------------------------------------
// Every table of the policy in rules/, on the cases of its fixtures.

function walk(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? walk(p) : [p];
  });
}

const policyFiles = walk(join(ROOT, 'rules')).filter((f) => /\/v\d+\.json$/.test(f) && !f.includes('/schema/'));

function fixtureInputs(id: string): Record<string, unknown>[] {
  const file = join(ROOT, 'fixtures', ...id.split('.')) + '.json';
  if (!existsSync(file)) return [];
  const suite = JSON.parse(readFileSync(file, 'utf8')) as { cases: { input: Record<string, unknown> }[] };
  return suite.cases.map((c) => c.input);
}

/** Evaluates a table after the ones it requires, feeding their outputs to inputs of the same name (docs/contracts.md). */
function chained(id: string, input: Record<string, unknown>, tables: Map<string, DecisionTable>): Outcome {
  const table = tables.get(id);
  if (!table) return { error: 'missing' };
  const scope = { ...input };
  for (const req of table.requires ?? []) {
    const r = chained(req, input, tables);
    if ('error' in r) return r;
    if (r.output && !Array.isArray(r.output)) for (const [k, v] of Object.entries(r.output)) if (!(k in scope)) scope[k] = v;
  }
  return outcome(table, scope);
}

describe('round trip of the policy tables in rules/', () => {
  it('finds the policy', () => {
    expect(policyFiles.length).toBeGreaterThan(10);
  });

  it('every version file exports and imports back with the same id, shape and outputs on its fixtures', async () => {
    const newest = new Map<string, DecisionTable>();
    let cases = 0;
    for (const file of policyFiles) {
      const table = JSON.parse(readFileSync(file, 'utf8')) as DecisionTable;
      if ((newest.get(table.id)?.version ?? 0) < (table.version ?? 0)) newest.set(table.id, table);
      const back = await importDmn(await exportDmn(table));
      expect(back.problems.filter((p) => p.severity === 'error'), file).toEqual([]);
      const again = back.tables[0]!;
      expect(withoutMeta(again), file).toEqual(withoutMeta(table));
      for (const input of fixtureInputs(table.id)) {
        expect(outcome(again, input), `${file} ${JSON.stringify(input)}`).toEqual(outcome(table, input));
        cases++;
      }
    }
    expect(cases).toBeGreaterThan(50);

    // All newest versions as one DMN model: the requires wiring survives and chains give the same outputs.
    const all = [...newest.values()];
    const back = await importDmn(await exportDmnModel(all, { id: 'beslis' }));
    expect(back.problems.filter((p) => p.severity === 'error')).toEqual([]);
    const again = new Map(back.tables.map((t) => [t.id, t]));
    let chains = 0;
    for (const t of all) {
      expect(again.get(t.id)?.requires ?? [], t.id).toEqual(t.requires ?? []);
      for (const input of fixtureInputs(t.id)) {
        expect(chained(t.id, input, again), `${t.id} ${JSON.stringify(input)}`).toEqual(chained(t.id, input, newest));
        if (t.requires?.length) chains++;
      }
    }
    expect(chains).toBeGreaterThan(0);
  });
});

// ---------------------------------------------------------------------------------------------------------------
// The TCK decision tables, on the TCK's own test cases.

describe('round trip of the TCK tables', () => {
  const folders = existsSync(TCK) ? findTckFolders(TCK) : [];

  it('finds the TCK beside the project', () => {
    expect(folders.length).toBeGreaterThanOrEqual(16);
  });

  it('every folder with tables gives the same results after export and import', async () => {
    let compared = 0;
    for (const dir of folders) {
      const dmn = readdirSync(dir).find((f) => f.endsWith('.dmn'))!;
      const original = await importDmn(readFileSync(join(dir, dmn), 'utf8'));
      if (original.tables.length === 0) continue;
      const back = await importDmn(await exportDmnModel(original.tables));
      expect(back.problems.filter((p) => p.severity === 'error'), dir).toEqual([]);
      expect(back.tables.map((t) => t.id)).toEqual(original.tables.map((t) => t.id));
      const before = new DmnModel(original);
      const after = new DmnModel({ tables: back.tables, literalDecisions: original.literalDecisions });
      for (const testFile of readdirSync(dir).filter((f) => /-test-\d+\.xml$/.test(f))) {
        for (const tc of parseTckTestFile(readFileSync(join(dir, testFile), 'utf8')).cases) {
          const input = Object.fromEntries(tc.inputs.map((n) => [n.name, tckToJson(n.value)]));
          for (const rn of tc.results) {
            const run = (m: DmnModel) => {
              try {
                return { value: m.evaluate(rn.name, input) };
              } catch (err) {
                return { error: (err as Error).name };
              }
            };
            expect(run(after), `${dir} ${tc.id} ${rn.name}`).toEqual(run(before));
            compared++;
          }
        }
      }
    }
    expect(compared).toBeGreaterThanOrEqual(60);
  });
});
