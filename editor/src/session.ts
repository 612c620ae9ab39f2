// Who is logged in (GET /api/v1/me), and the CSRF token sent on every write.
import { api, setCsrfToken, type Me } from './api.ts';
import { loadCapabilities, supports } from './capabilities.ts';
import { isMissingEndpoint } from './views/errors.ts';

let me: Me | null = null;

export function currentUser(): Me | null {
  return me;
}

export function setUser(user: Me | null): void {
  me = user;
  setCsrfToken(user?.csrfToken ?? null);
}

export function hasRole(...roles: string[]): boolean {
  return Boolean(me && (me.roles.includes('admin') || roles.some((r) => me!.roles.includes(r))));
}

/**
 * Whether the user may change drafts: the server grants that to the role editor only (an admin without it may not),
 * and to everyone on a server without login. Without it the table page is a read-only view with a note why.
 */
export function mayEdit(): boolean {
  return Boolean(me && (me.open || me.roles.includes('editor')));
}

/**
 * Whether the user may approve or reject a draft or an archive request: the role approver only, as the server grants
 * it (an admin without it may not; four eyes is decided per request on top of this).
 */
export function mayApprove(): boolean {
  return Boolean(me && (me.open || me.roles.includes('approver')));
}

/**
 * Whether the user may run a draft's impact report and read the logged decisions (the server's permission impact):
 * editor or approver. (A draft's fixtures a tester may run too: mayTest.)
 */
export function mayReviewDraft(): boolean {
  return Boolean(me && (me.open || me.roles.includes('editor') || me.roles.includes('approver')));
}

/** Whether the user may read and change the table's fixtures (GET …/fixtures): the roles tester and editor. */
export function mayTest(): boolean {
  return Boolean(me && (me.open || me.roles.includes('tester') || me.roles.includes('editor')));
}

/**
 * Asks the server who we are; null when not logged in. A server without access control yet (no /api/v1/me route)
 * lets everyone do everything: the editor then works as "anonymous" and says so in the header.
 */
export async function loadSession(): Promise<Me | null> {
  await loadCapabilities();
  if (supports('GET', '/api/v1/auth/session')) {
    try {
      setUser(await api.session());
      return me;
    } catch {
      // fall through to /api/v1/me, which also tells an open server (no login) from a closed one
    }
  }
  try {
    setUser(await api.me());
  } catch (err) {
    if (isMissingEndpoint(err)) setUser({ username: 'anonymous', roles: ['viewer', 'editor', 'approver', 'tester'], open: true });
    else setUser(null);
  }
  return me;
}

/** True when the server has no login (no access control yet). */
export function openServer(): boolean {
  return Boolean(me?.open);
}
