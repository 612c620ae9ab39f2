// The tables the Algoritmeregister tests publish: public and non-public ones, a chain, and versions that change
// publicity over time. Dates are far from today (2026-12 or so) either way, so "in force today" holds for years.
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { DecisionTable } from '../../server/engine/types.ts';

export const LONG_DESCRIPTION =
  'Bepaalt de hoogte van de boete bij een overtreding van de proefverordening. ' +
  'De boete hangt af van de ernst van de overtreding en van eerdere overtredingen in de afgelopen vijf jaar. ' +
  'Een eerste overtreding krijgt het basisbedrag, een herhaling het dubbele en een derde overtreding het drievoudige bedrag. ' +
  'Bij ernstige overtredingen wordt het bedrag verhoogd met de helft van het basisbedrag, tot het wettelijk maximum van de verordening. ' +
  'De tabel rekent niet met bijzondere omstandigheden: die weegt de behandelaar zelf.';

function table(id: string, extra: Partial<DecisionTable>): DecisionTable {
  return {
    id,
    title: `Titel van ${id}`,
    description: `Beschrijving van ${id}.`,
    inputs: [{ name: 'a', label: 'Soort zaak', type: 'string', values: ['x', 'y'] }],
    outputs: [{ name: 'b', label: 'Uitkomst', type: 'string' }],
    rules: [
      { id: 'r1', when: { a: '"x"' }, then: { b: '"ja"' } },
      { id: 'r2', when: { a: '"y"' }, then: { b: '"nee"' } },
    ],
    ...extra,
  };
}

export interface SeedVersion {
  table: DecisionTable;
  version: number;
  validFrom: string;
}

/** Versions to publish, in order. */
export const SEED: SeedVersion[] = [
  {
    version: 1,
    validFrom: '2020-03-01',
    table: table('proef.ernst', {
      title: 'Ernst van de overtreding',
      meta: { owner: 'Team Proef', public: true, source: 'Proefverordening 2020, artikel 3', sources: [{ kind: 'cvdr', id: 'CVDR123456', article: '3', title: 'Proefverordening 2020' }] },
      inputs: [{ name: 'soort', label: 'Soort overtreding', type: 'string', values: ['licht', 'zwaar'] }],
      outputs: [{ name: 'ernst', label: 'Ernst', type: 'number', values: [1, 2] }],
      rules: [
        { id: 'e1', when: { soort: '"licht"' }, then: { ernst: '1' } },
        { id: 'e2', when: { soort: '"zwaar"' }, then: { ernst: '2' } },
      ],
    }),
  },
  {
    version: 1,
    validFrom: '2020-03-01',
    table: table('proef.boete', {
      title: 'Boete bij een overtreding van de proefverordening',
      description: LONG_DESCRIPTION,
      hitPolicy: 'FIRST',
      requires: ['proef.ernst'],
      meta: { owner: 'Team Proef', public: true, source: 'Algemene wet bestuursrecht, titel 5.4', sources: [{ kind: 'bwb', id: 'BWBR0005537', article: '5:46', paragraph: '2', title: 'Awb' }] },
      inputs: [
        { name: 'ernst', label: 'Ernst', type: 'number' },
        { name: 'eerder', label: 'Eerdere overtredingen', type: 'number', optional: true },
      ],
      outputs: [{ name: 'boete', label: 'Boete', type: 'number', unit: 'EUR', default: '100' }],
      rules: [
        { id: 'b1', when: { ernst: '2' }, then: { boete: '500' }, sources: [{ kind: 'url', url: 'https://example.org/beleidsregel', title: 'Beleidsregel boetes' }] },
        { id: 'b2', when: { ernst: '1' }, then: { boete: '250' } },
      ],
    }),
  },
  // A second version of the decision from 2024: the entry describes this one, and began in 2020-03.
  {
    version: 2,
    validFrom: '2024-01-01',
    table: table('proef.boete', {
      title: 'Boete bij een overtreding van de proefverordening',
      description: LONG_DESCRIPTION,
      hitPolicy: 'FIRST',
      requires: ['proef.ernst'],
      meta: { owner: 'Team Proef', public: true, source: 'Algemene wet bestuursrecht, titel 5.4', sources: [{ kind: 'bwb', id: 'BWBR0005537', article: '5:46', paragraph: '2', title: 'Awb' }] },
      inputs: [
        { name: 'ernst', label: 'Ernst', type: 'number' },
        { name: 'eerder', label: 'Eerdere overtredingen', type: 'number', optional: true },
      ],
      outputs: [{ name: 'boete', label: 'Boete', type: 'number', unit: 'EUR', default: '100' }],
      rules: [
        { id: 'b1', when: { ernst: '2' }, then: { boete: '600' } },
        { id: 'b2', when: { ernst: '1' }, then: { boete: '300' } },
      ],
    }),
  },
  { version: 1, validFrom: '2020-01-01', table: table('proef.geheim', { meta: { owner: 'Team Proef' } }) },
  { version: 1, validFrom: '2020-01-01', table: table('proef.was-openbaar', { meta: { public: true } }) },
  { version: 2, validFrom: '2024-01-01', table: table('proef.was-openbaar', { meta: { public: false } }) },
  { version: 1, validFrom: '2099-01-01', table: table('proef.toekomst', { meta: { public: true } }) },
  { version: 1, validFrom: '2021-06-15', table: table('ander.los', { title: 'Losse beslissing', meta: { public: true } }) },
  { version: 1, validFrom: '2020-01-01', table: table('stil.niets', { meta: {} }) },
];

/** A public table that requires a non-public one: its export must be refused, naming the non-public table. */
export const LEAKING: SeedVersion = {
  version: 1,
  validFrom: '2020-01-01',
  table: table('lek.besluit', { requires: ['proef.geheim'], inputs: [{ name: 'b', type: 'string' }], meta: { public: true } }),
};

/** Writes `versions` as a files form (DIR/rules/<domain>/<table>/v<N>.json) to import or seed from. */
export function writeRules(dir: string, versions: readonly SeedVersion[] = SEED): string {
  for (const v of versions) {
    const [domain, name] = v.table.id.split('.') as [string, string];
    mkdirSync(join(dir, 'rules', domain, name), { recursive: true });
    writeFileSync(join(dir, 'rules', domain, name, `v${v.version}.json`), JSON.stringify({ ...v.table, version: v.version, validFrom: v.validFrom }, null, 2));
  }
  return dir;
}
