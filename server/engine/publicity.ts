// Whether a table version belongs in the public register: only by its own explicit opt-in (meta.public === true),
// never by default, so a table nobody marked stays invisible to residents (page and API alike).
import type { DecisionTable } from './types.ts';

export function isPublic(table: Pick<DecisionTable, 'meta'>): boolean {
  return table.meta?.public === true;
}
