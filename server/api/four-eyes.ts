// Four-eyes (functiescheiding, DESIGN §1 and §6): nobody who edited a draft since the last version may approve or
// reject it, whatever their roles — admins included. "Edited" means: created the table, saved the draft (the
// store's draft_editors, cleared when a version is published), or submitted it.
//
// The real access control (./access.ts) applies this check to every route guarded with the permission 'approve'
// that has an `:id` parameter, before the handler runs. Approve and reject handlers should call it again inside
// the transaction that publishes or rejects, so a save that lands in between cannot slip through.
import type { Store } from '../store/store.ts';
import type { Actor } from './actor.ts';
import { ApiError } from './errors.ts';

/** Everyone who counts as an author of the table's current draft. */
export function draftAuthors(store: Store, tableId: string): string[] {
  const names = new Set(store.draftEditors(tableId));
  const d = store.getDraft(tableId);
  if (d) {
    names.add(d.createdBy);
    names.add(d.updatedBy);
    if (d.submittedBy) names.add(d.submittedBy);
  }
  return [...names].sort();
}

function assertNotAuthor(store: Store, tableId: string, actor: Actor, verb: 'approve' | 'reject'): void {
  if (actor.kind !== 'user') {
    throw new ApiError('FORBIDDEN', `only a person with the role approver may ${verb} a draft`);
  }
  if (draftAuthors(store, tableId).includes(actor.name)) {
    throw new ApiError(
      'FOUR_EYES',
      `${actor.name} edited or submitted this draft of ${tableId} and may not ${verb} it: four-eyes principle, another approver must ${verb} it`,
      [],
      { tableId, actor: actor.name },
    );
  }
}

/** Throws 403 FOUR_EYES when `actor` edited or submitted the draft of `tableId` since the last version. */
export function assertMayApprove(store: Store, tableId: string, actor: Actor): void {
  assertNotAuthor(store, tableId, actor, 'approve');
}

/** The same rule for rejecting (DESIGN §6: "approver, not the author"). */
export function assertMayReject(store: Store, tableId: string, actor: Actor): void {
  assertNotAuthor(store, tableId, actor, 'reject');
}
