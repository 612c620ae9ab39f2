// What the table page's header shows, derived from the session without the DOM: whose copy it is (a read-only
// version or the draft with its revision), whether there is unsaved work, how many problems the checks found, the
// hit policy and aggregation, and whether a save met someone else's newer draft. table-header.ts draws it.
import type { Aggregation, HitPolicy } from '../../../server/engine/index.ts';
import type { TableSession } from '../table/session.ts';

export interface HeaderState {
  title: string;
  /** The published version shown read-only; undefined for the draft. */
  readonlyVersion: number | undefined;
  /** The draft shown read-only because the user may not edit it (no role editor). */
  viewOnly: boolean;
  /** The draft's state; null when a version is shown read-only. */
  draft: {
    /** The stored draft's revision; 0 when there is no stored draft yet. */
    revision: number;
    /** The version a draft not yet stored starts from. */
    base: number | string;
    submitted: boolean;
    dirty: boolean;
  } | null;
  /** Errors in cells and in the table as a whole. */
  errors: number;
  hitPolicy: HitPolicy;
  aggregation: Aggregation | '';
  canSave: boolean;
  /** A save met a newer draft (409): the user chooses between reloading and keeping a copy. */
  conflict: boolean;
}

/** The number of errors the checks found: in cells (warnings not counted) and in the table as a whole. */
export function problemCount(s: TableSession): number {
  return [...s.check.cells.values()].reduce((n, row) => n + [...row.values()].filter((p) => p.severity === 'error').length, 0) + s.check.table.length;
}

export function headerState(s: TableSession): HeaderState {
  const dirty = s.dirty();
  return {
    title: s.model.table.title,
    readonlyVersion: s.readonly ? s.version : undefined,
    viewOnly: s.viewOnly,
    draft: s.readonly
      ? null
      : {
          revision: s.revision,
          base: s.draft?.baseVersion ?? s.model.table.version ?? '–',
          submitted: s.draft?.status === 'submitted',
          dirty,
        },
    errors: problemCount(s),
    hitPolicy: s.model.table.hitPolicy ?? 'UNIQUE',
    aggregation: s.model.table.aggregation ?? '',
    // A submitted draft is frozen until it is withdrawn or decided: the server refuses every save (409 DRAFT_SUBMITTED).
    canSave: !s.model.readonly && dirty && s.draft?.status !== 'submitted',
    conflict: s.conflict,
  };
}
