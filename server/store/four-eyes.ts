// Four-eyes (functiescheiding; docs/api.md): no policy change is published unless a second person saw exactly
// that change. The store checks it itself, inside the transaction that approves or rejects (./workflow.ts), so no
// caller can skip it. Refused (FOUR_EYES, the reason named):
// - an approver who created the table, saved or submitted the draft, or changed the table's fixtures since its last
//   version (the expectations the gate checks are part of the change);
// - an approver whose account was created, or whose password or roles were last set, by one of those people: a
//   second account of the author (a sock puppet), or a real approver's account taken over with a reset password.
//   A password set by someone else is temporary (./users.ts) and the user must replace it, but the replacement
//   still counts as set by whoever set the temporary one: they knew it, so they could have made that change.
// Only a person may approve: an API token or a name without an account never can.
import { listAudit } from './audit.ts';
import { StoreError } from './errors.ts';
import type { DraftRecord } from './records.ts';
import type { Store } from './store.ts';
import { getUser } from './users.ts';

/** Actions on a table that make their actor one of the authors of its next version. */
const AUTHORING_ACTIONS = ['table.created', 'fixtures.changed', 'fixtures.saved', 'draft.fixtures.changed'];

/** Everyone who counts as an author of the table's current draft. */
export async function draftAuthors(store: Store, draft: DraftRecord): Promise<string[]> {
  const names = new Set(await store.draftEditors(draft.tableId));
  names.add(draft.createdBy);
  names.add(draft.updatedBy);
  if (draft.submittedBy) names.add(draft.submittedBy);
  // Fixture changes outside the draft since the last version (or since the table was created).
  const since = store.listVersions(draft.tableId).at(-1)?.publishedAt ?? '';
  for (const e of await listAudit(store.sql, { tableId: draft.tableId, actions: AUTHORING_ACTIONS, limit: -1 })) {
    if (e.at >= since && e.actor !== 'import') names.add(e.actor);
  }
  return [...names].sort();
}

/** Throws FOUR_EYES when `actor` may not approve (or reject) `draft`. */
export async function assertFourEyes(store: Store, draft: DraftRecord, actor: string, verb: 'approve' | 'reject'): Promise<void> {
  await assertSecondPerson(store, draft.tableId, await draftAuthors(store, draft), actor, verb, `this draft of ${draft.tableId}`, 'edited or submitted it');
}

/**
 * Throws FOUR_EYES when `actor` is one of `authors` of a change (`subject`, e.g. "this draft of x"), or their account
 * was set up by one of them, or is no active person's. Drafts and archive requests (./archive.ts) share it.
 */
export async function assertSecondPerson(
  store: Store,
  tableId: string,
  authors: readonly string[],
  actor: string,
  verb: 'approve' | 'reject',
  subject: string,
  authored: string,
): Promise<void> {
  const refuse = (why: string): never => {
    throw new StoreError('FOUR_EYES', `${actor} may not ${verb} ${subject}: ${why}; four-eyes principle, another approver must ${verb} it`, [], {
      tableId,
      actor,
    });
  };
  const user = await getUser(store, actor);
  if (!user || user.disabled) refuse('only a person with an active account and the role approver may decide on a change');
  if (authors.includes(actor)) refuse(`${actor} ${authored}`);
  const by = (who: string | null | undefined) => (who && authors.includes(who) ? who : null);
  const created = by(user!.createdBy);
  if (created) refuse(`the account ${actor} was created by ${created}, who ${authored}`);
  const password = by(user!.passwordSetBy);
  if (password) refuse(`the password of ${actor} was last set by ${password}, who ${authored}`);
  const roles = by(user!.rolesSetBy);
  if (roles) refuse(`the roles of ${actor} were last set by ${roles}, who ${authored}`);
}
