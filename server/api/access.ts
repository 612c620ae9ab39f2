// The real access control (docs/contracts.md, "Who may call"): who is asking (a session cookie, or an API token in
// `Authorization: Bearer …`), and what each role and scope may do. `beslis serve` always runs this.
//
// - Tokens are for applications: they act only through their scopes, never as a person.
// - Sessions are for people: cookie HttpOnly, SameSite=Strict, Secure when the request came over HTTPS (directly,
//   or through a proxy that express is told to trust with --trust-proxy: X-Forwarded-Proto is ignored otherwise,
//   as is X-Forwarded-For, which the login throttle would otherwise take from the client's word).
// - A cookie-authenticated write (POST, PUT, PATCH, DELETE) must carry the session's CSRF token in X-CSRF-Token;
//   the login itself is exempt (it does not use the old session; it replaces it).
// - Anonymous requests to guarded routes get 401 (logging in would help); an actor without the role or scope 403.
// - A user whose password was set by someone else (temporary) gets 403 PASSWORD_CHANGE_REQUIRED on every guarded
//   route until they chose their own (POST /api/v1/auth/password).
import { timingSafeEqual } from 'node:crypto';
import type { Request, Response } from 'express';
import { findSession, DEFAULT_SESSION_POLICY, type Session, type SessionPolicy } from '../store/sessions.ts';
import type { Store } from '../store/store.ts';
import { findToken } from '../store/tokens.ts';
import type { Role } from '../store/users.ts';
import { ANONYMOUS, type AccessControl, type Actor, type Decision, type Permission } from './actor.ts';
import { ApiError } from './errors.ts';
import { DEFAULT_LOGIN_POLICY, LoginGuard, type LoginPolicy } from './login-guard.ts';

/** Which roles grant a permission; `true`: any logged-in user. Token scopes are in SCOPE_GRANTS. */
export const ROLE_GRANTS: Readonly<Record<Permission, readonly Role[] | true>> = {
  evaluate: true,
  read: true,
  edit: ['editor'],
  approve: ['approver'],
  test: ['tester', 'editor'],
  // Approvers review the fixture report of a draft before they approve it.
  'fixtures:run': ['tester', 'editor', 'approver'],
  impact: ['editor', 'approver'],
  // Author and approver talk about a draft in its comment thread.
  review: ['editor', 'approver'],
  audit: ['admin', 'approver'],
  admin: ['admin'],
  // The server's figures (load, errors, database size) are for whoever runs it.
  metrics: ['admin'],
};

export const SCOPE_GRANTS: Readonly<Partial<Record<Permission, string>>> = {
  evaluate: 'evaluate',
  'fixtures:run': 'fixtures:run',
  metrics: 'metrics',
};

export const COOKIE_NAME = 'beslis_session';
/** Over HTTPS the cookie gets the __Host- prefix: the browser then insists on Secure, Path=/ and no Domain. */
export const SECURE_COOKIE_NAME = '__Host-beslis_session';

export interface AuthOptions {
  session?: Partial<SessionPolicy>;
  login?: Partial<LoginPolicy>;
  /** 'auto' (default): Secure when the request came over HTTPS; 'always': always Secure (and the __Host- name). */
  secureCookies?: 'auto' | 'always';
}

const UNSAFE = new Set(['POST', 'PUT', 'PATCH', 'DELETE']);

export class Auth implements AccessControl {
  readonly sessionPolicy: SessionPolicy;
  readonly guard: LoginGuard;
  readonly secureCookies: 'auto' | 'always';
  private readonly sessions = new WeakMap<Request, Session>();

  constructor(
    readonly store: Store,
    opts: AuthOptions = {},
  ) {
    this.sessionPolicy = { ...DEFAULT_SESSION_POLICY, ...opts.session };
    this.guard = new LoginGuard(store, { ...DEFAULT_LOGIN_POLICY, ...opts.login });
    this.secureCookies = opts.secureCookies ?? 'auto';
  }

  async identify(req: Request): Promise<Actor> {
    const authorization = req.get('authorization');
    if (authorization !== undefined) {
      const m = /^Bearer[ ]+([^\s]+)[ ]*$/i.exec(authorization);
      const token = m ? await findToken(this.store, m[1]!) : null;
      if (!token) {
        return { ...ANONYMOUS, problem: m ? 'the API token is unknown or has been revoked' : 'the Authorization header must be "Bearer <token>"' };
      }
      return { kind: 'token', name: `token:${token.name}`, roles: [], scopes: token.scopes };
    }
    const id = sessionCookie(req);
    if (id === null) return ANONYMOUS;
    const session = await findSession(this.store, id, this.sessionPolicy);
    if (!session) return { ...ANONYMOUS, problem: 'your session has ended; log in again' };
    if (UNSAFE.has(req.method) && req.path !== '/auth/login') {
      const sent = req.get('x-csrf-token') ?? '';
      if (!sameSecret(sent, session.csrfToken)) {
        throw new ApiError(
          'CSRF_TOKEN_INVALID',
          sent ? 'the X-CSRF-Token header does not match this session' : 'a write with the session cookie needs the X-CSRF-Token header (from the login or GET /api/v1/me)',
        );
      }
    }
    this.sessions.set(req, session);
    return { kind: 'user', name: session.user.username, roles: session.user.roles, scopes: [] };
  }

  decide(actor: Actor, permission: Permission, req: Request): Decision {
    if (actor.kind === 'anonymous') return 'unauthenticated';
    let allowed: boolean;
    if (actor.kind === 'token') {
      const scope = SCOPE_GRANTS[permission];
      allowed = scope !== undefined && (actor.scopes as string[]).includes(scope);
    } else {
      const grant = ROLE_GRANTS[permission];
      allowed = grant === true || grant.some((r) => actor.roles.includes(r));
    }
    if (!allowed) return 'forbidden';
    // Four-eyes is not decided here: the store checks it inside the transaction that approves or rejects
    // (server/store/four-eyes.ts), so no route can skip it.
    if (actor.kind === 'user' && this.sessions.get(req)?.user.mustChangePassword) {
      throw new ApiError(
        'PASSWORD_CHANGE_REQUIRED',
        `the password of ${actor.name} was set by an administrator and is temporary: choose your own first (POST /api/v1/auth/password)`,
      );
    }
    return 'allow';
  }

  /** The session behind this request (a user who logged in), or null (a token, or nobody). */
  sessionOf(req: Request): Session | null {
    return this.sessions.get(req) ?? null;
  }

  isSecure(req: Request): boolean {
    return this.secureCookies === 'always' || req.secure;
  }

  /** Set at login. Max-Age is the absolute lifetime; the server ends an idle session earlier on its own. */
  setSessionCookie(req: Request, res: Response, id: string): void {
    const secure = this.isSecure(req);
    res.cookie(secure ? SECURE_COOKIE_NAME : COOKIE_NAME, id, { httpOnly: true, sameSite: 'strict', secure, path: '/', maxAge: this.sessionPolicy.absoluteMs });
  }

  clearSessionCookie(req: Request, res: Response): void {
    const secure = this.isSecure(req);
    res.clearCookie(COOKIE_NAME, { httpOnly: true, sameSite: 'strict', secure, path: '/' });
    if (secure) res.clearCookie(SECURE_COOKIE_NAME, { httpOnly: true, sameSite: 'strict', secure: true, path: '/' });
  }
}

/** The session id from the Cookie header (either name), without a cookie-parser dependency. */
export function sessionCookie(req: Request): string | null {
  const header = req.get('cookie');
  if (!header) return null;
  for (const part of header.split(';')) {
    const eq = part.indexOf('=');
    if (eq < 0) continue;
    const name = part.slice(0, eq).trim();
    if (name === COOKIE_NAME || name === SECURE_COOKIE_NAME) {
      const value = part.slice(eq + 1).trim();
      if (/^[A-Za-z0-9_-]{20,100}$/.test(value)) return value;
    }
  }
  return null;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a, 'utf8');
  const y = Buffer.from(b, 'utf8');
  return x.length === y.length && timingSafeEqual(x, y);
}
