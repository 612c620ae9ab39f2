// A database held by another writer (a `beslis import` beside the server, a stuck process) longer than the busy
// timeout: the request answers 503 DATABASE_BUSY with Retry-After, never a 500 "database is locked", and nothing is
// half-written; once the lock is gone the same request succeeds.
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { testServer, type TestServer } from './helpers.ts';

let srv: TestServer;
beforeAll(async () => {
  srv = await testServer();
});
afterAll(async () => {
  await srv.stop();
});

describe('a busy database', () => {
  it('answers 503 with Retry-After while another connection holds the write lock, then works again', async () => {
    const d = (await srv.request('GET', '/api/v1/tables/test.gedrag/draft')).body;
    const other = new Database(join(srv.dir, 'beslis.db'));
    other.exec('BEGIN IMMEDIATE');
    let r;
    let lines: string;
    const logged = vi.spyOn(console, 'error').mockImplementation(() => undefined);
    try {
      r = await srv.request('PUT', '/api/v1/tables/test.gedrag/draft?burger=Jansen', { table: { ...d.table, title: 'Gedrag (bezet)' } }, { 'If-Match': String(d.revision), 'X-Request-Id': 'bezet-1' });
    } finally {
      other.exec('ROLLBACK');
      other.close();
      lines = logged.mock.calls.map((c) => String(c[0])).join('\n');
      logged.mockRestore();
    }
    expect(r.status, r.text).toBe(503);
    // The operator's line names the request (to find it in the request log) and leaves the query string out.
    expect(lines).toContain('PUT /api/v1/tables/test.gedrag/draft [request bezet-1]');
    expect(lines).not.toContain('Jansen');
    expect(r.status).toBe(503);
    expect(r.headers.get('retry-after')).toBe('1');
    expect(r.body.error).toMatchObject({ code: 'DATABASE_BUSY', retryAfter: 1 });
    expect(r.text).not.toMatch(/locked/);
    expect((await srv.request('GET', '/api/v1/tables/test.gedrag/draft')).body.revision).toBe(d.revision);
    const again = await srv.request('PUT', '/api/v1/tables/test.gedrag/draft', { table: { ...d.table, title: 'Gedrag (bezet)' } }, { 'If-Match': String(d.revision) });
    expect(again.status, again.text).toBe(200);
  }, 30_000);
});
