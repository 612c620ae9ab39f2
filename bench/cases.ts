// The cases the HTTP benchmark, the log benchmark and the soak send: the interventiematrix's own fixture cases
// that decide (cases expecting an error are left out), so every request is a real, answerable question.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const TABLE = 'handhaving.interventiematrix';

const file = join(fileURLToPath(new URL('../', import.meta.url)), 'fixtures/handhaving/interventiematrix.json');
export const CASES: Record<string, unknown>[] = (JSON.parse(readFileSync(file, 'utf8')) as { cases: { input: Record<string, unknown>; expectError?: string }[] }).cases
  .filter((c) => c.expectError === undefined)
  .map((c) => c.input);
