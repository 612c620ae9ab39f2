// The seam for access control (docs/contracts.md). Every request gets `req.actor`; every route names the permission
// it needs through `authorize(access, permission)`. `beslis serve` (startServer) always runs the real access
// control of ./access.ts (users, sessions, tokens); `openAccess` remains only for unit tests that build an app
// directly with createApp.
import type { Request, RequestHandler } from 'express';
import type { Scope } from '../store/tokens.ts';
import type { Role } from '../store/users.ts';
import { ApiError } from './errors.ts';

export type { Role, Scope };
export { ROLES } from '../store/users.ts';
export { SCOPES } from '../store/tokens.ts';

export interface Actor {
  kind: 'anonymous' | 'user' | 'token';
  /** Username, `token:<token name>`, or 'anonymous'. Recorded as author/caller. */
  name: string;
  roles: Role[];
  scopes: Scope[];
  /** Why an anonymous request is anonymous although it sent credentials (an ended session, a revoked token). */
  problem?: string;
}

/**
 * What a route needs (the README's access table; ./access.ts holds the mapping):
 * - `evaluate`      any user, or a token with scope `evaluate`               (POST /evaluate/…)
 * - `read`          any user                                                 (catalogue, versions, diff, stats, GET draft)
 * - `edit`          editor                                                   (POST /tables, PUT draft, submit)
 * - `approve`       approver, and never someone who edited the draft         (approve, reject; four-eyes: server/store/four-eyes.ts)
 * - `test`          tester or editor                                         (GET/PUT fixtures)
 * - `fixtures:run`  tester, editor or approver, or a token with `fixtures:run` (POST …/fixtures/run, POST /fixtures/run)
 * - `impact`        editor or approver                                       (POST …/draft/impact)
 * - `review`        editor or approver                                       (POST …/draft/comments: the thread of a review)
 * - `audit`         admin or approver                                        (GET /audit)
 * - `admin`         admin                                                    (users, tokens)
 * - `metrics`       admin, or a token with `metrics` (what Prometheus scrapes with) (GET /metrics)
 */
export type Permission = 'evaluate' | 'read' | 'edit' | 'approve' | 'test' | 'fixtures:run' | 'impact' | 'review' | 'audit' | 'admin' | 'metrics';

export type Decision = 'allow' | 'unauthenticated' | 'forbidden';

export interface AccessControl {
  identify(req: Request): Actor | Promise<Actor>;
  /** May throw an ApiError to refuse with a more specific message (four-eyes). */
  decide(actor: Actor, permission: Permission, req: Request): Decision;
}

export const ANONYMOUS: Actor = Object.freeze({ kind: 'anonymous', name: 'anonymous', roles: [], scopes: [] }) as Actor;

/** Only for unit tests that build an app with createApp: nobody is identified and everything is allowed. */
export const openAccess: AccessControl = {
  identify: () => ANONYMOUS,
  decide: () => 'allow',
};

declare global {
  // eslint-disable-next-line @typescript-eslint/no-namespace
  namespace Express {
    interface Request {
      actor: Actor;
    }
  }
}

export function identify(access: AccessControl): RequestHandler {
  return async (req, _res, next) => {
    req.actor = await access.identify(req);
    next();
  };
}

/** A route guard; it carries its permission so tests can list every route with what it needs. */
export type AuthorizeHandler = RequestHandler & { permission: Permission };

export function authorize(access: AccessControl, permission: Permission): AuthorizeHandler {
  const guard: RequestHandler = (req, _res, next) => {
    const actor = req.actor ?? ANONYMOUS;
    const decision = access.decide(actor, permission, req);
    if (decision === 'allow') return next();
    if (decision === 'unauthenticated') {
      throw new ApiError('UNAUTHENTICATED', actor.problem ?? 'log in or send an API token (Authorization: Bearer …)');
    }
    throw new ApiError('FORBIDDEN', forbiddenMessage(actor, permission));
  };
  return Object.assign(guard, { permission });
}

const NEEDS: Record<Permission, string> = {
  evaluate: 'a user, or an API token with the scope evaluate',
  read: 'a logged-in user',
  edit: 'the role editor',
  approve: 'the role approver',
  test: 'the role tester or editor',
  'fixtures:run': 'the role tester, editor or approver, or an API token with the scope fixtures:run',
  impact: 'the role editor or approver',
  review: 'the role editor or approver',
  audit: 'the role admin or approver',
  admin: 'the role admin',
  metrics: 'the role admin, or an API token with the scope metrics',
};

function forbiddenMessage(actor: Actor, permission: Permission): string {
  const who =
    actor.kind === 'token'
      ? `the API token '${actor.name.replace(/^token:/, '')}' (scopes: ${actor.scopes.join(', ') || 'none'})`
      : `${actor.name} (roles: ${actor.roles.join(', ') || 'none'})`;
  return `this needs ${NEEDS[permission]}; ${who} does not have it`;
}
