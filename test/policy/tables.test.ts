// The policy tables themselves (issue 6): every version file validates, sits where its id and version say, carries its
// metadata, is fully reached by its fixtures, and every single-hit table is free of overlaps and gaps.
import { describe, expect, it } from 'vitest';
import * as engine from '../../server/engine/index.ts';
import { compileTable, HitPolicyError, validateTable } from '../../server/engine/index.ts';
import { runFixtureSuite } from '../../server/engine/fixture-runner.ts';
import type { DecisionTable, InputColumn, JsonValue } from '../../server/engine/types.ts';
import { fileResolver, fixtureFiles, rel, tablesById, versionFiles } from './policy-files.ts';

const files = versionFiles();
const byId = tablesById();
const suites = new Map(fixtureFiles().map((f) => [f.suite.table, f.suite] as const));

// ---------------------------------------------------------------------------------------------
// Boundary sampling: for each input, its allowed values, or every literal written in its cells with the values just
// around it. The product of these samples visits every region the cells distinguish, so an overlap or a gap between
// rules shows up as a sample case (the cells here compare inputs only with literals, never with other inputs).

function literalsOf(text: string): { numbers: number[]; dates: string[]; strings: string[] } {
  const strings = [...text.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map((m) => m[1]!);
  const dates = [...text.matchAll(/date\("(\d{4}-\d{2}-\d{2})"\)/g)].map((m) => m[1]!);
  const bare = text.replace(/"(?:[^"\\]|\\.)*"/g, ' ');
  const numbers = [...bare.matchAll(/-?\d+(?:\.\d+)?/g)].map((m) => Number(m[0]));
  return { numbers, dates, strings };
}

function shiftDate(iso: string, days: number): string {
  const t = Date.parse(`${iso}T00:00:00Z`) + days * 86_400_000;
  return new Date(t).toISOString().slice(0, 10);
}

function samplesFor(table: DecisionTable, column: InputColumn): JsonValue[] {
  const cells = table.rules.map((r) => r.when[column.name]).filter((c): c is string => c !== undefined && c.trim() !== '-');
  const lits = cells.map(literalsOf);
  let out: JsonValue[];
  if (column.values && column.values.length > 0) out = [...column.values];
  else if (column.type === 'boolean') out = [true, false];
  else if (column.type === 'number') {
    const ns = new Set<number>([0]);
    for (const n of lits.flatMap((l) => l.numbers)) for (const d of [-1, -0.5, 0, 0.5, 1]) ns.add(n + d);
    out = [...ns].sort((a, b) => a - b);
  } else if (column.type === 'date') {
    const ds = new Set<string>(['2020-01-01']);
    for (const d of lits.flatMap((l) => l.dates)) for (const k of [-1, 0, 1]) ds.add(shiftDate(d, k));
    out = [...ds].sort();
  } else out = [...new Set(['x', ...lits.flatMap((l) => l.strings)])];
  if (column.optional) out.push(null);
  return out;
}

function* product(columns: { name: string; samples: JsonValue[] }[]): Generator<Record<string, JsonValue>> {
  const idx = columns.map(() => 0);
  if (columns.some((c) => c.samples.length === 0)) return;
  for (;;) {
    yield Object.fromEntries(columns.map((c, i) => [c.name, c.samples[idx[i]!]!]));
    let k = columns.length - 1;
    while (k >= 0 && ++idx[k]! === columns[k]!.samples.length) idx[k--] = 0;
    if (k < 0) return;
  }
}

interface SampleFindings {
  cases: number;
  overlaps: { input: Record<string, JsonValue>; rules: string[] }[];
  gaps: Record<string, JsonValue>[];
  errors: { input: Record<string, JsonValue>; message: string }[];
}

function sampleTable(table: DecisionTable, limit = 200_000): SampleFindings {
  const columns = table.inputs.map((c) => ({ name: c.name, samples: samplesFor(table, c) }));
  const size = columns.reduce((n, c) => n * c.samples.length, 1);
  if (size > limit) throw new Error(`${table.id}: ${size} sample cases is more than ${limit}`);
  const compiled = compileTable(table);
  const policy = table.hitPolicy ?? 'UNIQUE';
  const single = policy === 'UNIQUE' || policy === 'FIRST' || policy === 'PRIORITY' || policy === 'ANY';
  const found: SampleFindings = { cases: 0, overlaps: [], gaps: [], errors: [] };
  for (const input of product(columns)) {
    found.cases++;
    try {
      const { output } = compiled.evaluate(input);
      if (single && output === null) found.gaps.push(input);
    } catch (err) {
      if (err instanceof HitPolicyError) found.overlaps.push({ input, rules: err.rules });
      else found.errors.push({ input, message: (err as Error).message });
    }
  }
  return found;
}

function sampleText(list: unknown[]): string {
  return list.slice(0, 3).map((x) => JSON.stringify(x)).join('\n');
}

// ---------------------------------------------------------------------------------------------

describe('policy tables in rules/', () => {
  it('there are tables for every strategy and protocol of issue 6', () => {
    const ids = [...byId.keys()];
    for (const prefix of ['handhaving.', 'drank-horeca.', 'evenementen.', 'campings.', 'gedogen.', 'vergunningen.', 'ruimtelijke-plannen.', 'toezicht.',
      'toetsprotocol.', 'toezichtsprotocol.', 'brandveiligheid.', 'onderzoek.', 'preventie.']) {
      expect(ids.some((id) => id.startsWith(prefix)), `no table in ${prefix}`).toBe(true);
    }
    for (const id of ['handhaving.gevolgen', 'handhaving.gedrag', 'handhaving.interventiematrix', 'handhaving.verzwarende-omstandigheden',
      'handhaving.interventieladder', 'handhaving.begunstigingstermijn', 'handhaving.spoed', 'drank-horeca.boete', 'drank-horeca.sanctie',
      'evenementen.melding-of-vergunning', 'evenementen.risicoklasse', 'evenementen.behandeling', 'vergunningen.behandelroute', 'vergunningen.procedure',
      'ruimtelijke-plannen.aanpak', 'ruimtelijke-plannen.prioriteit', 'toezicht.intake', 'toezicht.prioriteit-melding', 'toezicht.controlefrequentie',
      'brandveiligheid.object', 'brandveiligheid.tekortkoming', 'brandveiligheid.controlefrequentie']) {
      expect(byId.has(id), id).toBe(true);
    }
  });

  for (const { file, table } of files) {
    describe(rel(file), () => {
      it('validates (validateTable finds no problems)', () => {
        expect(validateTable(table)).toEqual([]);
      });

      it('sits at rules/<a>/<b>/v<version>.json for its id and version', () => {
        expect(Number.isInteger(table.version)).toBe(true);
        expect(rel(file)).toBe(`rules/${table.id.split('.').join('/')}/v${table.version}.json`);
      });

      it('carries validFrom, a Dutch title and description, meta and a note on every rule', () => {
        expect(table.validFrom).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        expect(table.title.length).toBeGreaterThan(0);
        expect(table.description?.length ?? 0).toBeGreaterThan(0);
        const meta = table.meta ?? {};
        expect(typeof meta.owner === 'string' && meta.owner.length > 0, 'meta.owner').toBe(true);
        expect(typeof meta.source === 'string' && meta.source.length > 0, 'meta.source').toBe(true);
        expect(['H', 'M', 'L']).toContain(meta.confidence);
        expect(meta.reviewBy).toMatch(/^\d{4}-\d{2}-\d{2}$/);
        for (const r of table.rules) expect(r.note?.trim().length ?? 0, `note of rule ${r.id}`).toBeGreaterThan(0);
        for (const c of [...table.inputs, ...table.outputs]) expect(c.label?.length ?? 0, `label of ${c.name}`).toBeGreaterThan(0);
        if (meta.confidence === 'L') expect(table.description).toMatch(/illustratief/);
      });

      it('has every rule reached by its fixtures', () => {
        const suite = suites.get(table.id);
        expect(suite, `fixtures/${table.id.split('.').join('/')}.json`).toBeDefined();
        const report = runFixtureSuite(suite!, fileResolver(byId.get(table.id)!, byId));
        const cov = report.coverage.find((c) => c.version === table.version);
        expect(cov, `no fixture case runs against version ${table.version}`).toBeDefined();
        expect(cov!.unreached, `rules of v${table.version} no case reaches`).toEqual([]);
      });

      const policy = table.hitPolicy ?? 'UNIQUE';
      if (policy !== 'COLLECT' && policy !== 'RULE ORDER' && policy !== 'OUTPUT ORDER') {
        it(`has no ${policy === 'UNIQUE' ? 'overlaps and no ' : ''}gaps over its boundary samples`, () => {
          const found = sampleTable(table);
          expect(found.cases).toBeGreaterThan(0);
          expect(found.errors, sampleText(found.errors)).toEqual([]);
          expect(found.overlaps.length, `overlaps, e.g.\n${sampleText(found.overlaps)}`).toBe(0);
          const covered = table.outputs.every((o) => o.default !== undefined);
          if (!covered) expect(found.gaps.length, `gaps, e.g.\n${sampleText(found.gaps)}`).toBe(0);
        });
      } else {
        it('evaluates every boundary sample without an error', () => {
          const found = sampleTable(table);
          expect(found.cases).toBeGreaterThan(0);
          expect(found.errors, sampleText(found.errors)).toEqual([]);
        });
      }

      // The lead's static analysis (docs/architecture.md; report shape in server/engine/analysis/types.ts), once index.ts exports it.
      const analyze = (engine as unknown as Record<string, unknown>).analyzeTable;
      it.runIf(typeof analyze === 'function')('passes the engine analysis: no overlap, conflict, unreachable rule, value outside, or uncovered gap', () => {
        const report = (analyze as (t: DecisionTable) => { findings?: { kind: string; severity: string; message: string; rules: string[] }[]; gaps?: { regions: number } | null })(table);
        expect(Array.isArray(report.findings), `unexpected analysis report: ${Object.keys(report).join(', ')}`).toBe(true);
        const bad = report.findings!.filter((f) => ['syntax', 'overlap', 'conflict', 'gap', 'unreachable', 'value-outside'].includes(f.kind) || f.severity === 'error');
        expect(bad.map((f) => `${f.kind} ${f.rules.join(',')}: ${f.message}`)).toEqual([]);
        if (report.gaps) expect(report.gaps.regions).toBe(0);
      });
    });
  }

  for (const [id, versions] of byId) {
    it(`${id}: versions are numbered 1..n with increasing validFrom`, () => {
      versions.forEach((v, i) => {
        expect(v.table.version).toBe(i + 1);
        if (i > 0) expect(v.table.validFrom! > versions[i - 1]!.table.validFrom!).toBe(true);
      });
    });
  }
});

describe('chained tables (requires)', () => {
  const chained = [...byId.values()].map((vs) => vs[vs.length - 1]!.table).filter((t) => t.requires?.length);

  it('exist in the policy', () => {
    expect(chained.map((t) => t.id).sort()).toEqual(['evenementen.behandeling', 'handhaving.interventieladder', 'ruimtelijke-plannen.prioriteit']);
  });

  for (const t of chained) {
    it(`${t.id}: every required table exists and feeds an input of the same name, type and values`, () => {
      for (const reqId of t.requires!) {
        const req = byId.get(reqId);
        expect(req, reqId).toBeDefined();
        const upstream = req![req!.length - 1]!.table;
        const fed = upstream.outputs.filter((o) => t.inputs.some((i) => i.name === o.name));
        expect(fed.length, `${reqId} feeds no input of ${t.id}`).toBeGreaterThan(0);
        for (const o of fed) {
          const i = t.inputs.find((c) => c.name === o.name)!;
          expect(o.type, o.name).toBe(i.type);
          if (i.values && o.values) expect(i.values, o.name).toEqual(expect.arrayContaining(o.values));
          if (i.values && !o.values) throw new Error(`${reqId}.${o.name} has no values, but ${t.id} only allows ${JSON.stringify(i.values)}`);
        }
      }
    });
  }
});

describe('client interfaces (issue 6)', () => {
  it('handhaving.interventiematrix keeps its inputs, outputs and 16 UNIQUE rules', () => {
    for (const { table } of byId.get('handhaving.interventiematrix')!) {
      expect(table.hitPolicy ?? 'UNIQUE').toBe('UNIQUE');
      expect(table.rules).toHaveLength(16);
      expect(table.inputs.map((c) => [c.name, c.type, c.values])).toEqual([
        ['gedrag', 'string', ['A', 'B', 'C', 'D']],
        ['gevolgen', 'number', [1, 2, 3, 4]],
      ]);
      expect(table.outputs.map((c) => [c.name, c.type])).toEqual([
        ['kwadrant', 'number'],
        ['interventie', 'string'],
        ['strafrecht', 'boolean'],
        ['overleg_om', 'boolean'],
      ]);
      const compiled = compileTable(table);
      for (const g of ['A', 'B', 'C', 'D']) {
        for (const n of [1, 2, 3, 4]) {
          const k = (g === 'A' || g === 'B' ? 1 : 3) + (n >= 3 ? 1 : 0);
          expect(compiled.evaluate({ gedrag: g, gevolgen: n }).output, `${g}${n}`).toMatchObject({ kwadrant: k });
        }
      }
    }
  });

  it('drank-horeca.boete: v1 from 2013-01-01, v2 from 2024-01-01 and v3 (v2 marked public) from 2026-12-03, same interface', () => {
    const versions = byId.get('drank-horeca.boete')!.map((v) => v.table);
    expect(versions.map((t) => [t.version, t.validFrom, t.meta?.public])).toEqual([
      [1, '2013-01-01', undefined],
      [2, '2024-01-01', undefined],
      [3, '2026-12-03', true],
    ]);
    expect(versions[2]!.rules).toEqual(versions[1]!.rules);
    for (const t of versions) {
      expect(t.hitPolicy ?? 'UNIQUE').toBe('UNIQUE');
      expect(t.inputs.map((c) => [c.name, c.type])).toEqual([
        ['categorie', 'string'],
        ['werknemers', 'number'],
        ['eerdere_boetes', 'number'],
      ]);
      expect(t.inputs[0]!.values).toEqual(['A', 'B', 'C']);
      expect(t.outputs.map((c) => [c.name, c.type])).toEqual([['boete', 'number']]);
    }
  });

  it('the statutory DHW tariffs of v1 and their +50% / +100% uplifts, for every category and size', () => {
    const v1 = compileTable(byId.get('drank-horeca.boete')![0]!.table);
    const base: Record<string, [number, number]> = { A: [680, 1360], B: [1020, 2040], C: [1360, 2720] };
    for (const [cat, [small, large]] of Object.entries(base)) {
      for (const [werknemers, amount] of [[49, small], [50, large]] as const) {
        expect(v1.evaluate({ categorie: cat, werknemers, eerdere_boetes: 0 }).output).toEqual({ boete: amount });
        expect(v1.evaluate({ categorie: cat, werknemers, eerdere_boetes: 1 }).output).toEqual({ boete: amount * 1.5 });
        expect(v1.evaluate({ categorie: cat, werknemers, eerdere_boetes: 2 }).output).toEqual({ boete: amount * 2 });
      }
    }
  });
});

describe('boundary sampling (the helper above)', () => {
  it('samples the literals of number cells and the values around them', () => {
    const t = byId.get('drank-horeca.boete')![0]!.table;
    const werknemers = samplesFor(t, t.inputs[1]!);
    expect(werknemers).toEqual(expect.arrayContaining([49, 49.5, 50, 50.5, 51, 0]));
    const eerdere = samplesFor(t, t.inputs[2]!);
    expect(eerdere).toEqual(expect.arrayContaining([0.5, 1, 1.5, 2, 2.5]));
  });

  it('finds an overlap and a gap that are there', () => {
    const base = byId.get('drank-horeca.boete')![0]!.table;
    const broken: DecisionTable = structuredClone(base);
    broken.rules[0]!.when.werknemers = '<= 50'; // A-klein-0 now also matches 50 employees, like A-groot-0
    broken.rules[1]!.when.werknemers = '< 40'; // A-klein-1 leaves 40..49 uncovered
    const found = sampleTable(broken);
    expect(found.overlaps.some((o) => o.input.werknemers === 50 && o.rules.includes('A-klein-0'))).toBe(true);
    expect(found.gaps).toContainEqual({ categorie: 'A', werknemers: 40, eerdere_boetes: 1 });
  });
});
