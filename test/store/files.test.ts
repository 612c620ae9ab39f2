// Files ↔ store: import is idempotent and refuses a changed published version (naming the file);
// export writes new versions and fixtures back; the CLI commands around them.
import { spawnSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { DecisionTable } from '../../server/engine/types.ts';
import { StoreError } from '../../server/store/errors.ts';
import { exportFiles, importFiles } from '../../server/store/files.ts';
import { selectVersion } from '../../server/store/select.ts';
import { Store } from '../../server/store/store.ts';
import { copyData, ON_POSTGRES, REPO_ROOT, tempDir, testDatabase } from '../api/helpers.ts';

const dirs: string[] = [];
const track = (d: string) => (dirs.push(d), d);
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

function beslis(args: string[]) {
  const r = spawnSync(process.execPath, [join(REPO_ROOT, 'bin/beslis.js'), ...args], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, BESLIS_DB: '' } });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

describe('import', () => {
  it('loads every version and fixture set; a second import changes nothing', async () => {
    const data = track(copyData());
    const store = await Store.open(await testDatabase(track(tempDir())));
    const first = (await importFiles(store, data));
    expect(first.imported.map((v) => `${v.tableId}@${v.version}`)).toEqual([
      'test.boete@1',
      'test.boete@2',
      'test.boete@3',
      'test.gedrag@1',
      'test.matrix@1',
      'test.overlap@1',
    ]);
    expect(first.fixturesImported.map((f) => f.tableId)).toEqual(['test.boete']);
    const audit = (await store.auditEntries()).length;
    const second = (await importFiles(store, data));
    expect(second.imported).toEqual([]);
    expect(second.skipped).toHaveLength(6);
    expect(second.fixturesSkipped).toHaveLength(1);
    expect((await store.auditEntries()).length).toBe(audit);
    // Publication facts come from published.json; without it, the start of the validFrom day in Amsterdam (UTC+1 in January).
    expect(store.listVersions('test.boete')[1]).toMatchObject({ publishedAt: '2023-11-15T09:00:00.000Z', author: 'ans', approvedBy: 'bert' });
    expect(store.listVersions('test.gedrag')[0]).toMatchObject({ publishedAt: '2019-12-31T23:00:00.000Z', author: 'import', approvedBy: null });
    await store.close();
  });

  it('a back-dated publication cannot rewrite what an existing database knew: published at the import, marked as imported', async () => {
    const data = track(copyData());
    let clock = new Date('2026-06-01T10:00:00.000Z');
    const file = await testDatabase(track(tempDir()));
    const store = await Store.open(file, { now: () => clock });
    // The first load of an empty database keeps the files' recorded history.
    await importFiles(store, data, 'import');
    expect(store.listVersions('test.boete')[1]).toMatchObject({ publishedAt: '2023-11-15T09:00:00.000Z', importedBy: 'import' });

    // The attacker adds a version 4 and claims it was approved by someone and known since 2024.
    const dir = join(data, 'rules/test/boete');
    const v3 = JSON.parse(readFileSync(join(dir, 'v3.json'), 'utf8')) as DecisionTable;
    writeFileSync(join(dir, 'v4.json'), JSON.stringify({ ...v3, version: 4, validFrom: '2025-02-01', title: 'Achterafboete' }));
    const published = JSON.parse(readFileSync(join(dir, 'published.json'), 'utf8')) as Record<string, unknown>;
    published['4'] = { publishedAt: '2024-01-02T08:00:00Z', author: 'ans', approvedBy: 'bert', note: 'al lang bekend' };
    writeFileSync(join(dir, 'published.json'), JSON.stringify(published));
    clock = new Date('2026-07-01T12:00:00.000Z');
    await importFiles(store, data, 'cli:mallory');

    const v4 = store.listVersions('test.boete')[3]!;
    expect(v4).toMatchObject({ version: 4, publishedAt: '2026-07-01T12:00:00.000Z', importedBy: 'cli:mallory' });
    // "The rules valid on 2025-03-01 as known on 2025-06-01" still answer with what was known then.
    expect(selectVersion(store.listVersions('test.boete'), { date: '2025-03-01', asOf: '2025-06-01T00:00:00Z' })!.version).toBe(3);
    expect(selectVersion(store.listVersions('test.boete'), { date: '2025-03-01', asOf: '2026-07-02T00:00:00Z' })!.version).toBe(4);
    // The claim is kept in the audit trail, beside who ran the import.
    expect((await store.auditEntries('test.boete')).find((e) => e.action === 'version.imported' && e.version === 4)).toMatchObject({
      action: 'version.imported',
      actor: 'cli:mallory',
      version: 4,
      detail: { publishedAt: '2026-07-01T12:00:00.000Z', importedBy: 'cli:mallory', claimedPublishedAt: '2024-01-02T08:00:00.000Z', approvedBy: 'bert' },
    });

    // Never before the table's newest publication, even with a clock that is behind.
    writeFileSync(join(dir, 'v5.json'), JSON.stringify({ ...v3, version: 5, validFrom: '2025-02-15', title: 'Nog eerder' }));
    clock = new Date('2026-01-01T00:00:00.000Z');
    await importFiles(store, data, 'cli:mallory');
    expect(store.listVersions('test.boete')[4]!.publishedAt).toBe('2026-07-01T12:00:00.000Z');
    await store.close();
  });

  it('reformatting a file (key order, spacing) is not a change', async () => {
    const data = track(copyData());
    const store = await Store.open(await testDatabase(track(tempDir())));
    await importFiles(store, data);
    const file = join(data, 'rules/test/gedrag/v1.json');
    const t = JSON.parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
    const reordered = Object.fromEntries(Object.entries(t).reverse());
    writeFileSync(file, JSON.stringify(reordered));
    expect((await importFiles(store, data)).imported).toEqual([]);
    await store.close();
  });

  it('refuses a changed published version, naming the file, and imports nothing else', async () => {
    const data = track(copyData());
    const store = await Store.open(await testDatabase(track(tempDir())));
    await importFiles(store, data);
    const file = join(data, 'rules/test/boete/v2.json');
    const t = JSON.parse(readFileSync(file, 'utf8')) as DecisionTable;
    t.rules[0]!.then.boete = '111';
    writeFileSync(file, JSON.stringify(t, null, 2));
    // A new, valid version file alongside is not imported either: all or nothing.
    writeFileSync(join(data, 'rules/test/boete/v4.json'), JSON.stringify({ ...t, version: 4, validFrom: '2026-01-01' }));
    let err: unknown;
    try {
      await importFiles(store, data);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).code).toBe('IMPORT_CONFLICT');
    expect((err as StoreError).message).toContain('rules/test/boete/v2.json');
    expect((err as StoreError).message).toContain('never changes');
    expect(store.listVersions('test.boete').map((v) => v.version)).toEqual([1, 2, 3]);
    await store.close();
  });

  it('refuses files that are not valid tables or sit in the wrong place', async () => {
    const data = track(copyData());
    writeFileSync(join(data, 'rules/test/overlap/v2.json'), JSON.stringify({ id: 'test.anders', version: 3, title: 'x', inputs: [], outputs: [], rules: [] }));
    const store = await Store.open(await testDatabase(track(tempDir())));
    await expect(importFiles(store, data)).rejects.toThrow(/rules\/test\/overlap\/v2\.json/);
    expect(store.isEmpty()).toBe(true);
    // The first load of a server skips the bad file and loads the rest.
    const report = (await importFiles(store, data, 'import', { skipInvalid: true }));
    expect(report.imported).toHaveLength(6);
    expect(report.problems.map((p) => p.file)).toEqual(['rules/test/overlap/v2.json']);
    const paths = report.problems[0]!.details!.map((d) => d.path);
    expect(paths).toEqual(expect.arrayContaining(['/id', '/version', '/validFrom']));
    await store.close();
  });
});

describe('export', () => {
  it('writes versions and fixtures that round-trip to the same hashes', async () => {
    const data = track(copyData());
    const store = await Store.open(await testDatabase(track(tempDir())));
    await importFiles(store, data);
    // A version published in the store (not from a file) and changed fixtures.
    const v3 = store.getVersion('test.boete', 3)!.table;
    await store.insertVersion(
      { tableId: 'test.boete', table: { ...v3, title: 'Testboete v4' }, version: 4, validFrom: '2026-01-01', author: 'ans', approvedBy: 'dirk', note: 'nieuw', publishedAt: '2025-11-01T08:00:00.000Z' },
      'dirk',
    );
    const fx = (await store.getFixtures('test.boete'))!.fixtures;
    await store.putFixtures('test.boete', { ...fx, cases: [...fx.cases, { name: 'B in 2026', input: { categorie: 'B' }, expect: { boete: 240 }, date: '2026-02-01' }] }, 'ans');

    const report = (await exportFiles(store, data));
    expect(report.written.sort()).toEqual(['fixtures/test/boete.json', 'rules/test/boete/published.json', 'rules/test/boete/v4.json', 'rules/test/gedrag/published.json', 'rules/test/matrix/published.json', 'rules/test/overlap/published.json']);
    expect(JSON.parse(readFileSync(join(data, 'rules/test/boete/v4.json'), 'utf8'))).toMatchObject({ version: 4, validFrom: '2026-01-01', title: 'Testboete v4' });
    expect((await exportFiles(store, data)).written).toEqual([]); // idempotent

    const fresh = await Store.open(await testDatabase(track(tempDir())));
    await importFiles(fresh, data);
    for (const id of store.tableIds()) {
      // The same history, except that the fresh copy knows its versions were imported.
      const facts = (s: Store) => s.listVersions(id).map(({ importedBy: _i, ...v }) => v);
      expect(facts(fresh)).toEqual(facts(store));
      expect(fresh.listVersions(id).every((v) => v.importedBy === 'import')).toBe(true);
      expect((await fresh.getFixtures(id))?.hash).toBe((await store.getFixtures(id))?.hash);
    }
    await fresh.close();
    await store.close();
  });

  it('keeps an archive: archives.json beside the versions, and a database loaded from the files ends the table on the same date', async () => {
    const data = track(copyData());
    const store = await Store.open(await testDatabase(track(tempDir())));
    await importFiles(store, data);
    await store.transaction(async () => (await store.insertArchive({ tableId: 'test.boete', validFrom: '2027-01-01', requestedBy: 'ans', approvedBy: 'carla', note: 'Vervangen' })));
    const mark = store.listArchives('test.boete')[0]!;
    expect((await exportFiles(store, data)).written).toContain('rules/test/boete/archives.json');
    expect(JSON.parse(readFileSync(join(data, 'rules/test/boete/archives.json'), 'utf8'))).toEqual([
      { validFrom: '2027-01-01', publishedAt: mark.publishedAt, requestedBy: 'ans', approvedBy: 'carla', note: 'Vervangen' },
    ]);
    expect((await exportFiles(store, data)).written).toEqual([]); // idempotent

    // An empty database keeps the recorded approval time; a second import adds nothing.
    const fresh = await Store.open(await testDatabase(track(tempDir())));
    const report = (await importFiles(fresh, data));
    expect(report.archivesImported).toEqual([{ file: 'rules/test/boete/archives.json', tableId: 'test.boete', validFrom: '2027-01-01' }]);
    expect(fresh.listArchives('test.boete').map(({ id: _id, ...m }) => m)).toEqual([{ tableId: 'test.boete', validFrom: '2027-01-01', publishedAt: mark.publishedAt, requestedBy: 'ans', approvedBy: 'carla', note: 'Vervangen' }]);
    expect((await importFiles(fresh, data)).archivesImported).toEqual([]);
    expect(fresh.listArchives('test.boete')).toHaveLength(1);
    await fresh.close();
    await store.close();
  });

  it('refuses an archives.json that is not a list of marks, naming the file', async () => {
    const data = track(copyData());
    writeFileSync(join(data, 'rules/test/boete/archives.json'), JSON.stringify([{ validFrom: '1 januari', publishedAt: 'x', requestedBy: 'a', approvedBy: 'b', note: 'n' }]));
    const store = await Store.open(await testDatabase(track(tempDir())));
    await expect(importFiles(store, data)).rejects.toThrow(/rules\/test\/boete\/archives\.json \[0\]\.validFrom must be a date/);
    expect(store.tableIds()).toEqual([]);
    await store.close();
  });

  it('never overwrites a version file with other content', async () => {
    const data = track(copyData());
    const store = await Store.open(await testDatabase(track(tempDir())));
    await importFiles(store, data);
    const file = join(data, 'rules/test/gedrag/v1.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('"Gedrag"', '"Gedrag (handmatig gewijzigd)"'));
    await expect(exportFiles(store, data)).rejects.toThrow(/rules\/test\/gedrag\/v1\.json exists with other content/);
    expect(readFileSync(file, 'utf8')).toContain('handmatig');
    expect(existsSync(join(data, 'rules/test/boete/published.json'))).toBe(true);
    await store.close();
  });
});

describe.skipIf(ON_POSTGRES)('beslis import / export (CLI, on a SQLite file)', () => {
  it('imports, is idempotent, refuses a changed file with exit 1, and exports', () => {
    const data = track(copyData());
    const db = join(track(tempDir()), 'cli.db');
    const first = beslis(['import', data, '--db', db]);
    expect(first.err).toBe('');
    expect(first.code).toBe(0);
    expect(first.out).toContain('6 versions and 1 fixture sets imported');
    const second = beslis(['import', data, '--db', db]);
    expect(second.code).toBe(0);
    expect(second.out).toContain('0 versions and 0 fixture sets imported; 6 versions and 1 fixture sets already present');

    const file = join(data, 'rules/test/matrix/v1.json');
    writeFileSync(file, readFileSync(file, 'utf8').replace('waarschuwing', 'schriftelijke waarschuwing'));
    const refused = beslis(['import', data, '--db', db]);
    expect(refused.code).toBe(1);
    expect(refused.err).toContain('rules/test/matrix/v1.json differs from the published version 1 of test.matrix');

    const out = track(tempDir());
    const exported = beslis(['export', out, '--db', db]);
    expect(exported.code).toBe(0);
    expect(existsSync(join(out, 'rules/test/matrix/v1.json'))).toBe(true);
    expect(existsSync(join(out, 'fixtures/test/boete.json'))).toBe(true);
    expect(beslis(['import', '--help']).out).toContain('Usage: beslis import');
  });
});
