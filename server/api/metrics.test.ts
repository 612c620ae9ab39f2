import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { Metrics } from './metrics.ts';

describe('the database size gauge', () => {
  it('reports a SQLite file with its write-ahead log, and is left out for PostgreSQL, whose size is not a file here', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'beslis-metrics-'));
    try {
      const file = join(dir, 'beslis.db');
      writeFileSync(file, Buffer.alloc(4096));
      writeFileSync(`${file}-wal`, Buffer.alloc(1024));
      expect(await new Metrics({ dbFile: file, log: null }).text()).toMatch(/^beslis_database_bytes 5120$/m);
      expect(await new Metrics({ dbFile: 'postgresql://beslis:secret@127.0.0.1:5432/beslis', log: null }).text()).not.toContain('beslis_database_bytes');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
