// The Algoritmeregister export on a real database: only public decisions, one entry per decision (a table with the
// tables it requires), every entry checked against the vendored field list of the publication standard, and what the
// tables cannot say left empty and named for the owner.
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { exportPublic, exportTable, registerSettings, RegisterExportError, type RegisterDocument } from '../../server/algoritmeregister/index.ts';
import { importFiles } from '../../server/store/files.ts';
import { Store } from '../../server/store/store.ts';
import { tempDir } from '../api/helpers.ts';
import { LEAKING, LONG_DESCRIPTION, SEED, type SeedVersion } from './tables.ts';
import { FIELD_LIST, standardProblems } from './validate.ts';

let dir = '';
let store: Store;
const settings = registerSettings({}, {});

async function publish(s: Store, v: SeedVersion): Promise<void> {
  await s.insertVersion({ tableId: v.table.id, table: v.table, version: v.version, validFrom: v.validFrom, author: 'ans' }, 'ans');
}

function refusal(fn: () => unknown): RegisterExportError {
  try {
    fn();
  } catch (err) {
    if (err instanceof RegisterExportError) return err;
    throw err;
  }
  throw new Error('the export was not refused');
}

beforeAll(async () => {
  dir = tempDir();
  store = await Store.open(join(dir, 'beslis.db'));
  for (const v of SEED) (await publish(store, v));
});
afterAll(async () => {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('which tables the export describes', () => {
  it('every public decision, one entry each; a public table another one requires is inside that entry', () => {
    const doc = exportPublic(store, settings);
    expect(doc.algoritmes.map((e) => e.algoritme)).toEqual(['ander.los', 'proef.boete']);
    const boete = doc.algoritmes[1]!;
    expect(boete.tabellen.map((t) => [t.id, t.versie, t.geldigVanaf])).toEqual([
      ['proef.ernst', 1, '2020-03-01'],
      ['proef.boete', 2, '2024-01-01'],
    ]);
    expect(boete.tabellen[1]!.hash).toBe(store.getVersion('proef.boete', 2)!.hash);
    expect(doc).toMatchObject({ organisatie: 'Gemeente Enschede', publicatiestandaard: { versie: '1.0' } });
  });

  it('a domain gives the decisions whose own table is in it', () => {
    expect(exportPublic(store, settings, 'ander').algoritmes.map((e) => e.algoritme)).toEqual(['ander.los']);
    const none = refusal(() => exportPublic(store, settings, 'stil'));
    expect(none.code).toBe('NOT_PUBLIC');
    expect(none.message).toContain("domain 'stil'");
    expect(refusal(() => exportPublic(store, settings, 'onbekend')).code).toBe('NOT_FOUND');
  });

  it('refuses a table that is not public today, naming it', () => {
    const secret = refusal(() => exportTable(store, 'proef.geheim', settings));
    expect(secret.code).toBe('NOT_PUBLIC');
    expect(secret.message).toContain("table 'proef.geheim' is not public");
    // Public in its first version, withdrawn from the register by its second, which is in force now.
    expect(refusal(() => exportTable(store, 'proef.was-openbaar', settings)).code).toBe('NOT_PUBLIC');
    const future = refusal(() => exportTable(store, 'proef.toekomst', settings));
    expect(future.code).toBe('NO_VALID_VERSION');
    expect(future.message).toContain('proef.toekomst');
    expect(refusal(() => exportTable(store, 'proef.bestaat-niet', settings)).code).toBe('TABLE_NOT_FOUND');
  });

  it('refuses a public decision that requires a table which is not public, naming both', async () => {
    const own = await Store.open(join(dir, 'lek.db'));
    try {
      for (const v of [...SEED, LEAKING]) (await publish(own, v));
      for (const err of [refusal(() => exportTable(own, 'lek.besluit', settings)), refusal(() => exportPublic(own, settings))]) {
        expect(err.code).toBe('NOT_PUBLIC');
        expect(err.message).toContain("table 'proef.geheim' (table 'lek.besluit' requires it) is not public");
      }
    } finally {
      await own.close();
    }
  });

  it('has a limit on the entries of one export', () => {
    const err = refusal(() => exportPublic(store, settings, undefined, 1));
    expect(err.code).toBe('LIMIT_EXCEEDED');
    expect(err.message).toContain('2 public decisions is more than the 1');
  });
});

describe('each entry against the publication standard', () => {
  let doc: RegisterDocument;
  beforeAll(() => {
    doc = exportPublic(store, registerSettings({ contact: 'algoritmes@enschede.nl' }, {}));
  });

  it('has every field of the standard (but the two the register assigns), of its type and within its length and values', () => {
    for (const entry of doc.algoritmes) expect(standardProblems(entry), entry.algoritme).toEqual([]);
    const names = FIELD_LIST.fields.filter((f) => !f.assignedByRegister).map((f) => f.name);
    expect(Object.keys(doc.algoritmes[1]!.registratie).sort()).toEqual([...names].sort());
  });

  it('the check finds what breaks the standard (so a passing entry means something)', () => {
    const good = doc.algoritmes[1]!;
    const broken = { ...good, registratie: { ...good.registratie, status: 'Actief', onbekend: 1, begin_date: '2024-13', lars: 'x' } };
    delete (broken.registratie as Record<string, unknown>).lang;
    const noNames = { ...good, teVoltooien: good.teVoltooien.filter((t) => t.veld !== 'publication_category') };
    expect(standardProblems(broken)).toEqual(
      expect.arrayContaining([
        'onbekend: not a field of the standard',
        'status: "Actief" is not one of In ontwikkeling | In gebruik | Buiten gebruik',
        "begin_date: '2024-13' is not of the form yyyy-mm",
        'lang: missing',
        'lars: assigned by the register, must not be sent',
      ]),
    );
    expect(standardProblems(noNames)).toEqual(['publication_category: required, empty, and not named in teVoltooien']);
  });

  it('fills what the tables say', () => {
    const reg = doc.algoritmes[1]!.registratie;
    expect(reg).toMatchObject({
      name: 'Boete bij een overtreding van de proefverordening',
      organization: 'Gemeente Enschede',
      contact_email: 'algoritmes@enschede.nl',
      status: 'In gebruik',
      begin_date: '2020-03',
      end_date: null,
      lang: 'nld',
      standard_version: '1.0',
      source_id: 'proef.boete',
    });
    expect(reg.lawful_basis_grouping).toEqual([
      { title: 'Proefverordening 2020, artikel 3', link: 'https://lokaleregelgeving.overheid.nl/CVDR123456' },
      { title: 'Awb, artikel 5:46 lid 2', link: 'https://wetten.overheid.nl/jci1.3:c:BWBR0005537&artikel=5:46&lid=2' },
    ]);
    expect(reg.lawful_basis).toContain('Algemene wet bestuursrecht, titel 5.4');
    expect(reg.lawful_basis).toContain('Awb, artikel 5:46 lid 2');
    const method = reg.methods_and_models as string;
    expect(method).toContain('niet zelflerend');
    expect(method).toContain('Beslistabel "Ernst van de overtreding" (proef.ernst, versie 1, geldig vanaf 1 maart 2020): 2 regels.');
    expect(method).toContain('(proef.boete, versie 2, geldig vanaf 1 januari 2024): 2 regels. De regels worden op volgorde bekeken; de eerste regel die past bepaalt de uitkomst.');
    expect(method).toContain('Invoer uit de beslissingen hiervoor: Ernst (ernst).');
    expect(method).toContain('Past geen regel, dan geldt de vastgelegde standaarduitkomst.');
    // The case's own facts; the ernst the first table decides is not one of them.
    expect(reg.source_data).toBe(
      'Het algoritme gebruikt deze gegevens over de zaak:\n- Soort overtreding (soort): tekst: licht of zwaar\n- Eerdere overtredingen (eerder): getal (mag ontbreken)',
    );
    expect(reg.tags).toBe('proef, proef.ernst, proef.boete, Team Proef');
    expect(doc.algoritmes[1]!.eigenaar).toBe('Team Proef');
  });

  it('cuts a description over 400 characters after a whole sentence, and asks the owner to check it', () => {
    const entry = doc.algoritmes[1]!;
    const short = entry.registratie.description_short as string;
    expect(LONG_DESCRIPTION.length).toBeGreaterThan(400);
    expect(short.length).toBeLessThanOrEqual(400);
    expect(LONG_DESCRIPTION.startsWith(short)).toBe(true);
    expect(short.endsWith('.')).toBe(true);
    expect(entry.teVoltooien).toContainEqual({ veld: 'description_short', titel: 'Korte omschrijving', verplicht: true, reden: 'ingekort tot 400 tekens: controleer de tekst' });
  });

  it('leaves what the tables cannot say empty and names each such field for the owner', () => {
    const entry = doc.algoritmes[1]!;
    const named = new Map(entry.teVoltooien.map((t) => [t.veld, t]));
    const empty = Object.entries(entry.registratie).filter(([, v]) => v === null || (Array.isArray(v) && v.length === 0)).map(([k]) => k);
    // Every empty field is named, except the end date, which stays empty while the algorithm is in use.
    expect(empty.filter((k) => !named.has(k))).toEqual(['end_date']);
    for (const name of ['publication_category', 'goal', 'proportionality', 'human_intervention', 'risks', 'impacttoetsen_grouping', 'category', 'provider']) {
      expect(named.has(name), name).toBe(true);
      expect(entry.registratie[name] === null || (entry.registratie[name] as unknown[]).length === 0, name).toBe(true);
    }
    expect(named.get('publication_category')).toMatchObject({ titel: 'Publicatiecategorie', verplicht: true });
    expect(named.get('proportionality')).toMatchObject({ titel: 'Afwegingen', verplicht: false });
    // Without a contact setting, the required contact is left empty and named.
    const bare = exportTable(store, 'ander.los', settings).algoritmes[0]!;
    expect(bare.registratie.contact_email).toBeNull();
    expect(bare.teVoltooien.find((t) => t.veld === 'contact_email')).toMatchObject({ verplicht: true });
    expect(standardProblems(bare)).toEqual([]);
    // A table without structured sources leaves the links to the lawful basis to its owner.
    expect(bare.registratie.lawful_basis_grouping).toEqual([]);
    expect(bare.teVoltooien.map((t) => t.veld)).toContain('lawful_basis_grouping');
  });
});

describe('settings', () => {
  it('takes the organisation and contact from options, else the environment, and refuses a contact the register would not', () => {
    expect(registerSettings({}, { BESLIS_ORGANISATION: 'Gemeente Hengelo', BESLIS_ALGORITMEREGISTER_CONTACT: 'https://www.hengelo.nl/algoritmes' })).toEqual({
      organisation: 'Gemeente Hengelo',
      contact: 'https://www.hengelo.nl/algoritmes',
    });
    expect(registerSettings({ organisation: 'Gemeente Almelo' }, { BESLIS_ORGANISATION: 'Gemeente Hengelo' }).organisation).toBe('Gemeente Almelo');
    const bad = refusal(() => registerSettings({ contact: 'bel ons' }, {}));
    expect(bad.code).toBe('INVALID_SETTING');
    expect(bad.message).toContain("'bel ons'");
    expect(refusal(() => registerSettings({ contact: 'http://onveilig.nl' }, {})).code).toBe('INVALID_SETTING');
  });
});

describe("the municipality's own policy (rules/)", () => {
  it('exports every public decision of rules/ as entries that keep the standard', async () => {
    const own = await Store.open(join(dir, 'rules.db'));
    try {
      await importFiles(own, fileURLToPath(new URL('../..', import.meta.url)));
      const doc = exportPublic(own, settings);
      expect(doc.algoritmes.length).toBeGreaterThan(0);
      for (const entry of doc.algoritmes) expect(standardProblems(entry), entry.algoritme).toEqual([]);
      const ladder = doc.algoritmes.find((e) => e.algoritme === 'handhaving.interventieladder');
      // A chain is one entry: the matrix the ladder requires is inside the ladder's, not an entry of its own.
      expect(ladder?.tabellen.map((t) => t.id)).toEqual(['handhaving.interventiematrix', 'handhaving.interventieladder']);
      expect(doc.algoritmes.some((e) => e.algoritme === 'handhaving.interventiematrix')).toBe(false);
    } finally {
      await own.close();
    }
  });
});
