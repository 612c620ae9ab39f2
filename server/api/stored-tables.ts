// Reading stored tables the way several routes need them: a table at a version, its draft or its newest version
// (the downloads), and the `requires` cycle a save or an upload would make (tables and DMN routes).
import type { DecisionTable } from '../engine/types.ts';
import { StoreError } from '../store/errors.ts';
import type { Store } from '../store/store.ts';
import { ApiError } from './errors.ts';

/** `?version=N`, `?version=draft` (the draft, or the newest version when there is none), or the newest version. */
export async function tableAt(store: Store, id: string, which: unknown): Promise<DecisionTable> {
  if (!store.tableExists(id)) throw new StoreError('TABLE_NOT_FOUND', `unknown table '${id}'`);
  if (which === 'draft' || which === undefined) {
    const newest = store.newestVersion(id)?.table;
    const draft = (await store.getDraft(id))?.table;
    const t = which === 'draft' ? (draft ?? newest) : (newest ?? draft);
    if (!t) throw new StoreError('DRAFT_NOT_FOUND', `table '${id}' has neither a draft nor a version`);
    return t;
  }
  if (typeof which !== 'string' || !/^[1-9][0-9]{0,8}$/.test(which)) {
    throw new ApiError('INVALID_PARAMETER', `version must be a whole number from 1 up or "draft", not '${String(which)}'`, [{ path: '/version', message: 'must be a positive integer or "draft"' }]);
  }
  const v = store.getVersion(id, Number(which));
  if (!v) throw new StoreError('VERSION_NOT_FOUND', `table '${id}' has no version ${which}`);
  return v.table;
}

/**
 * A cycle through `requires` from `start`, as the ids along it (the first repeated at the end), or null. The tables
 * in `pending` (being saved or uploaded) count as they are there; every other table by its draft, else its newest
 * version.
 */
export async function requiresCycle(store: Store, pending: ReadonlyMap<string, DecisionTable>, start: string): Promise<string[] | null> {
  const requiresOf = async (id: string): Promise<string[]> => (pending.get(id) ?? (await store.getDraft(id))?.table ?? store.newestVersion(id)?.table)?.requires ?? [];
  const path: string[] = [];
  const done = new Set<string>();
  const visit = async (id: string): Promise<string[] | null> => {
    const at = path.indexOf(id);
    if (at >= 0) return [...path.slice(at), id];
    if (done.has(id)) return null;
    path.push(id);
    for (const next of await requiresOf(id)) {
      const c = await visit(next);
      if (c) return c;
    }
    path.pop();
    done.add(id);
    return null;
  };
  return visit(start);
}
