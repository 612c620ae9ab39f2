// Policy files for the public register's tests: a copy of test/api/data with versions marked public (meta.public)
// the way an owner would publish them, so each rule of what the register shows has a table to show it:
//
// - test.boete   v1–v3 as in test/api/data (not public), v4 = v3 marked public from 2026-01-01 (in force), v5 from
//                2099-01-01 not public (a later version that is not announced: not in the history)
// - test.matrix  v2 = v1 marked public from 2026-01-01; it requires test.gedrag, which is not public
// - test.gedrag  only v1, not public: invisible
// - test.overlap v1 public from 2020, v2 from 2026-01-01 not public: was in the register, is no longer
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { copyData } from './helpers.ts';

function version(dir: string, id: string, from: number, to: number, validFrom: string, isPublic: boolean): void {
  const folder = join(dir, 'rules', ...id.split('.'));
  const table = JSON.parse(readFileSync(join(folder, `v${from}.json`), 'utf8'));
  table.version = to;
  table.validFrom = validFrom;
  const { public: _was, ...meta } = (table.meta ?? {}) as Record<string, unknown>;
  table.meta = { ...meta, owner: 'Team Test', ...(isPublic ? { public: true } : {}) };
  writeFileSync(join(folder, `v${to}.json`), JSON.stringify(table, null, 2));
}

/** A folder with rules/ and fixtures/ as described above. */
export function publicSeed(): string {
  const dir = copyData();
  version(dir, 'test.boete', 3, 4, '2026-01-01', true);
  version(dir, 'test.boete', 3, 5, '2099-01-01', false);
  version(dir, 'test.matrix', 1, 2, '2026-01-01', true);
  version(dir, 'test.overlap', 1, 1, '2020-01-01', true);
  version(dir, 'test.overlap', 1, 2, '2026-01-01', false);
  return dir;
}
