// The seam for access control (DESIGN §6). Every request gets `req.actor`; every route names the permission
// it needs through `authorize(permission)`. Until users, sessions and tokens land, the server runs with
// `openAccess`: every actor is anonymous and every permission is granted. The access-control work replaces
// `identify` (read the session cookie or bearer token) and `decide` (roles and scopes → allow/deny).
import type { Request, RequestHandler } from 'express';
import { ApiError } from './errors.ts';

export type Role = 'viewer' | 'editor' | 'approver' | 'tester' | 'admin';
export type Scope = 'evaluate' | 'fixtures:run';

export interface Actor {
  kind: 'anonymous' | 'user' | 'token';
  /** Username, token name, or 'anonymous'. Recorded as author/caller. */
  name: string;
  roles: Role[];
  scopes: Scope[];
}

/** What a route needs. */
export type Permission = 'evaluate' | 'read' | 'edit' | 'approve' | 'test' | 'admin';

export type Decision = 'allow' | 'unauthenticated' | 'forbidden';

export interface AccessControl {
  identify(req: Request): Actor | Promise<Actor>;
  decide(actor: Actor, permission: Permission, req: Request): Decision;
}

export const ANONYMOUS: Actor = Object.freeze({ kind: 'anonymous', name: 'anonymous', roles: [], scopes: [] }) as Actor;

/** Before access control: nobody is identified and everything is allowed. */
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

export function authorize(access: AccessControl, permission: Permission): RequestHandler {
  return (req, _res, next) => {
    const decision = access.decide(req.actor ?? ANONYMOUS, permission, req);
    if (decision === 'allow') return next();
    if (decision === 'unauthenticated') throw new ApiError('UNAUTHENTICATED', 'log in or send an API token (Authorization: Bearer …)');
    throw new ApiError('FORBIDDEN', `this needs the permission '${permission}'`);
  };
}
