// Sessions for people (docs/contracts.md): POST /api/v1/auth/login, POST /api/v1/auth/logout, GET /api/v1/me.
// Login answers one message for an unknown name, a wrong password and a disabled account, and takes as long for
// each (an unknown name is checked against a dummy scrypt hash). Repeated failures lock the name and the client
// address for a while (./login-guard.ts): 429 with Retry-After. Failures and lockouts are audited.
import { Router, type Request } from 'express';
import { createSession, deleteSession } from '../../store/sessions.ts';
import { dummyHash, getUser, passwordHashOf, updateUser, verifyPasswordAsync } from '../../store/users.ts';
import type { Auth } from '../access.ts';
import type { ApiContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { assertValid } from '../schemas.ts';

function clientAddress(req: Request): string {
  // req.ip honours X-Forwarded-For only when the server was told to trust the proxy (--trust-proxy).
  return req.ip ?? req.socket.remoteAddress ?? 'unknown';
}

export function authRouter(ctx: ApiContext, auth: Auth): Router {
  const { store } = ctx;
  const r = Router();

  r.post('/auth/login', async (req, res) => {
    assertValid('LoginRequest', req.body);
    const { username, password } = req.body as { username: string; password: string };
    const ip = clientAddress(req);
    const user = (await getUser(store, username));
    const attempt = await auth.guard.begin(username, ip, user);
    if ('refused' in attempt) {
      const seconds = Math.max(1, Math.ceil((attempt.until - Date.parse(store.now())) / 1000));
      res.set('Retry-After', String(seconds));
      throw new ApiError(
        'TOO_MANY_ATTEMPTS',
        attempt.refused === 'user'
          ? `too many failed logins for '${username}': try again in ${Math.ceil(seconds / 60)} minute(s), or ask an administrator to unlock the account`
          : `too many failed logins from this address: try again in ${Math.ceil(seconds / 60)} minute(s)`,
        [],
        { retryAfter: seconds },
      );
    }
    let ok = false;
    try {
      ok = await verifyPasswordAsync(password, (await passwordHashOf(store, username)) ?? dummyHash());
    } catch (err) {
      await attempt.done({ ok: false, user: null });
      throw err;
    }
    if (!ok || !user || user.disabled) {
      const locks = await attempt.done({ ok: false, user });
      (await store.transaction(async () => {
        await store.appendAudit({
          actor: 'anonymous',
          action: 'auth.login_failed',
          tableId: null,
          version: null,
          detail: { username, ip, reason: !user ? 'unknown user' : !ok ? 'wrong password' : 'account disabled' },
        });
        for (const l of locks) {
          await store.appendAudit({
            actor: 'system',
            action: 'auth.locked',
            tableId: null,
            version: null,
            detail: l.reason === 'user' ? { username, until: new Date(l.until).toISOString() } : { ip, until: new Date(l.until).toISOString() },
          });
        }
      }));
      throw new ApiError('INVALID_CREDENTIALS', 'unknown user or wrong password');
    }
    await attempt.done({ ok: true, user });
    // A new session id at every login (no session fixation); the old session, if any, ends.
    const old = auth.sessionOf(req);
    if (old) (await deleteSession(store, old.idHash));
    const { id, session } = (await createSession(store, user.id, auth.sessionPolicy));
    await store.transaction(async () => (await store.appendAudit({ actor: user.username, action: 'auth.login', tableId: null, version: null, detail: { ip } })));
    auth.setSessionCookie(req, res, id);
    res.set('Cache-Control', 'no-store').json({
      username: user.username,
      roles: user.roles,
      csrfToken: session.csrfToken,
      expiresAt: session.expiresAt,
      mustChangePassword: user.mustChangePassword,
    });
  });

  // Choosing one's own password (also the way out of a temporary one): the current password is checked like a
  // login (the same lockout), and the new one must differ from it. The user's other sessions end.
  r.post('/auth/password', async (req, res) => {
    const session = auth.sessionOf(req);
    if (req.actor.kind === 'token') throw new ApiError('FORBIDDEN', 'changing a password needs a person who logged in; an API token has none');
    if (!session) throw new ApiError('UNAUTHENTICATED', req.actor.problem ?? 'log in to change your password');
    assertValid('ChangePasswordRequest', req.body);
    const { currentPassword, newPassword } = req.body as { currentPassword: string; newPassword: string };
    const username = session.user.username;
    const attempt = await auth.guard.begin(username, clientAddress(req), (await getUser(store, username)));
    if ('refused' in attempt) {
      const seconds = Math.max(1, Math.ceil((attempt.until - Date.parse(store.now())) / 1000));
      res.set('Retry-After', String(seconds));
      throw new ApiError('TOO_MANY_ATTEMPTS', `too many failed attempts for '${username}': try again in ${Math.ceil(seconds / 60)} minute(s)`, [], { retryAfter: seconds });
    }
    let ok = false;
    try {
      ok = await verifyPasswordAsync(currentPassword, (await passwordHashOf(store, username)) ?? dummyHash());
    } finally {
      await attempt.done(ok ? { ok: true, user: (await getUser(store, username))! } : { ok: false, user: (await getUser(store, username)) });
    }
    if (!ok) throw new ApiError('INVALID_USER', 'the current password is wrong', [{ path: '/currentPassword', message: 'is wrong', code: 'WRONG_PASSWORD' }]);
    if (newPassword.normalize('NFC') === currentPassword.normalize('NFC')) {
      throw new ApiError('INVALID_USER', 'choose a new password, not the current one', [{ path: '/newPassword', message: 'must differ from the current password', code: 'SAME_PASSWORD' }]);
    }
    const user = (await updateUser(store, username, { password: newPassword }, username, session.idHash));
    res.json({ kind: 'user', username: user.username, roles: user.roles, csrfToken: session.csrfToken, expiresAt: session.expiresAt, mustChangePassword: user.mustChangePassword });
  });

  r.post('/auth/logout', async (req, res) => {
    const session = auth.sessionOf(req);
    if (session && (await deleteSession(store, session.idHash))) {
      await store.transaction(async () => (await store.appendAudit({ actor: session.user.username, action: 'auth.logout', tableId: null, version: null, detail: {} })));
    }
    auth.clearSessionCookie(req, res);
    res.status(204).end();
  });

  /** The caller as /api/v1/me and /api/v1/auth/session show it, or null when nobody is logged in. */
  const whoAmI = (req: Request): Record<string, unknown> | null => {
    const session = auth.sessionOf(req);
    if (session) {
      const u = session.user;
      return { kind: 'user', username: u.username, roles: u.roles, csrfToken: session.csrfToken, expiresAt: session.expiresAt, mustChangePassword: u.mustChangePassword };
    }
    if (req.actor.kind === 'token') return { kind: 'token', username: req.actor.name, roles: [], scopes: req.actor.scopes };
    return null;
  };

  r.get('/me', (req, res) => {
    res.set('Cache-Control', 'no-store');
    const me = whoAmI(req);
    if (!me) throw new ApiError('UNAUTHENTICATED', req.actor.problem ?? 'not logged in');
    res.json(me);
  });

  // The editor asks this when it opens: for a visitor who has not logged in yet, "nobody" is an answer, not an
  // error, so the browser does not log a failed request on every first visit.
  r.get('/auth/session', (req, res) => {
    res.set('Cache-Control', 'no-store');
    res.json(whoAmI(req) ?? { kind: 'anonymous' });
  });

  return r;
}
