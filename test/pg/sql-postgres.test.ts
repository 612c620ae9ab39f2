// The PostgreSQL adapter on a real throwaway cluster (./cluster.ts): the query layer's contract as the store relies
// on it, and transactions that stay exact with parallel writers.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { numberPlaceholders, PostgresSql } from '../../server/store/sql-postgres.ts';
import { startCluster, type Cluster } from './cluster.ts';

describe('placeholders', () => {
  it('numbers ? outside quotes and comments', () => {
    expect(numberPlaceholders("SELECT * FROM t WHERE a = ? AND b = '?' AND \"c?\" = ? -- why?\nAND d IN (?, ?)")).toBe(
      "SELECT * FROM t WHERE a = $1 AND b = '?' AND \"c?\" = $2 -- why?\nAND d IN ($3, $4)",
    );
  });
});

describe('PostgreSQL adapter', () => {
  let cluster: Cluster;
  let sql: PostgresSql;

  beforeAll(async () => {
    cluster = await startCluster();
    sql = new PostgresSql(cluster.url, { max: 8 });
    await sql.run('CREATE TABLE counters (name TEXT PRIMARY KEY, n INTEGER NOT NULL)');
    await sql.run('CREATE TABLE items (id BIGSERIAL PRIMARY KEY, name TEXT NOT NULL)');
  }, 60_000);

  afterAll(async () => {
    await sql?.close();
    cluster?.stop();
  });

  it('answers get, all, value, run and insert as the SQLite adapter does', async () => {
    expect(await sql.insert('INSERT INTO items (name) VALUES (?)', 'a')).toBe(1);
    expect(await sql.insert('INSERT INTO items (name) VALUES (?)', 'b')).toBe(2);
    expect(await sql.get('SELECT name FROM items WHERE id = ?', 2)).toEqual({ name: 'b' });
    expect(await sql.get('SELECT name FROM items WHERE id = ?', 99)).toBeUndefined();
    expect(await sql.all('SELECT id, name FROM items ORDER BY id')).toEqual([{ id: 1, name: 'a' }, { id: 2, name: 'b' }]);
    // COUNT(*) is a bigint in PostgreSQL: read as a number, as better-sqlite3 gives it.
    expect(await sql.value('SELECT COUNT(*) FROM items')).toBe(2);
    expect(await sql.run('UPDATE items SET name = ? WHERE id > ?', 'c', 0)).toEqual({ changes: 2 });
  });

  it('rolls a failed transaction back whole, and a nested transaction joins the outer one', async () => {
    await expect(
      sql.transaction(async () => {
        await sql.run('INSERT INTO counters (name, n) VALUES (?, ?)', 'x', 1);
        await sql.transaction(async () => sql.run('UPDATE counters SET n = n + 1 WHERE name = ?', 'x'));
        expect(await sql.value('SELECT n FROM counters WHERE name = ?', 'x')).toBe(2);
        expect(sql.inTransaction()).toBe(true);
        throw new Error('changed my mind');
      }),
    ).rejects.toThrow('changed my mind');
    expect(await sql.get('SELECT n FROM counters WHERE name = ?', 'x')).toBeUndefined();
    expect(sql.inTransaction()).toBe(false);
  });

  it('reads outside a transaction see only what is committed', async () => {
    let release!: () => void;
    const held = new Promise<void>((r) => (release = r));
    let inserted!: () => void;
    const wasInserted = new Promise<void>((r) => (inserted = r));
    const tx = sql.transaction(async () => {
      await sql.run('INSERT INTO counters (name, n) VALUES (?, ?)', 'pending', 1);
      inserted();
      await held;
    });
    await wasInserted;
    expect(await sql.get('SELECT n FROM counters WHERE name = ?', 'pending')).toBeUndefined();
    release();
    await tx;
    expect(await sql.get('SELECT n FROM counters WHERE name = ?', 'pending')).toEqual({ n: 1 });
  });

  it('parallel writers that lock the row they decide on lose no update (40 transactions over 8 connections)', async () => {
    await sql.run('INSERT INTO counters (name, n) VALUES (?, 0)', 'race');
    await Promise.all(
      Array.from({ length: 40 }, () =>
        sql.transaction(async () => {
          const n = Number(await sql.value('SELECT n FROM counters WHERE name = ? FOR UPDATE', 'race'));
          await new Promise((r) => setTimeout(r, 1));
          await sql.run('UPDATE counters SET n = ? WHERE name = ?', n + 1, 'race');
        }),
      ),
    );
    expect(await sql.value('SELECT n FROM counters WHERE name = ?', 'race')).toBe(40);
  });
});
