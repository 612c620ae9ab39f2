// The SQLite adapter of the query layer (server/store/sql-sqlite.ts): transactions that await between statements
// must neither interleave on the one writer connection nor take another request's writes down with them.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteSql } from '../../server/store/sql-sqlite.ts';

const pause = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe.each([
  ['a database file (writer and reader connection)', true],
  ['an in-memory database (one connection)', false],
])('SQLite adapter on %s', (_name, onFile) => {
  let dir = '';
  let sql: SqliteSql;

  beforeEach(async () => {
    dir = mkdtempSync(join(tmpdir(), 'beslis-sql-'));
    sql = new SqliteSql(onFile ? join(dir, 'x.db') : ':memory:', { migrations: [] });
    await sql.run('CREATE TABLE counters (name TEXT PRIMARY KEY, n INTEGER NOT NULL)');
    await sql.run("INSERT INTO counters (name, n) VALUES ('race', 0)");
  });

  afterEach(async () => {
    await sql.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('runs parallel transactions one after the other, so read-then-write loses no update', async () => {
    await Promise.all(
      Array.from({ length: 30 }, () =>
        sql.transaction(async () => {
          const n = Number(await sql.value('SELECT n FROM counters WHERE name = ?', 'race'));
          await pause(1);
          await sql.run('UPDATE counters SET n = ? WHERE name = ?', n + 1, 'race');
        }),
      ),
    );
    expect(await sql.value('SELECT n FROM counters WHERE name = ?', 'race')).toBe(30);
  });

  it('a write made beside an open transaction is not rolled back with it, and reads see only what is committed', async () => {
    let inserted!: () => void;
    const wasInserted = new Promise<void>((r) => (inserted = r));
    const failing = sql.transaction(async () => {
      await sql.run("INSERT INTO counters (name, n) VALUES ('doomed', 1)");
      inserted();
      await pause(20);
      throw new Error('rolled back');
    });
    await wasInserted;
    expect(sql.inTransaction()).toBe(false);
    if (onFile) expect(await sql.get("SELECT n FROM counters WHERE name = 'doomed'")).toBeUndefined();
    const beside = sql.run("INSERT INTO counters (name, n) VALUES ('beside', 1)");
    await expect(failing).rejects.toThrow('rolled back');
    await beside;
    expect((await sql.all<{ name: string }>('SELECT name FROM counters ORDER BY name')).map((r) => r.name)).toEqual(['beside', 'race']);
  });
});
