// User management (admin only): GET/POST /api/v1/users, PATCH/DELETE /api/v1/users/:name.
import { Router } from 'express';
import { createUser, deleteUser, getUser, listUsers, updateUser, type UserChange, type UserRecord } from '../../store/users.ts';
import { Auth } from '../access.ts';
import { authorize } from '../actor.ts';
import type { ApiContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { assertValid } from '../schemas.ts';

/** What the API shows of a user (never the password hash). */
export function userBody(u: UserRecord) {
  return {
    username: u.username,
    roles: u.roles,
    createdAt: u.createdAt,
    disabled: u.disabled,
    failedLogins: u.failedLogins,
    lockedUntil: u.lockedUntil,
    mustChangePassword: u.mustChangePassword,
    createdBy: u.createdBy,
    passwordSetBy: u.passwordSetBy,
    rolesSetBy: u.rolesSetBy,
  };
}

export function usersRouter(ctx: ApiContext): Router {
  const { store } = ctx;
  const r = Router();
  const admin = authorize(ctx.access, 'admin');

  r.get('/users', admin, async (_req, res) => {
    res.json({ users: (await listUsers(store)).map(userBody) });
  });

  r.post('/users', admin, async (req, res) => {
    assertValid('CreateUserRequest', req.body);
    const body = req.body as { username: string; password: string; roles: string[] };
    // The password is the admin's choice, so it is temporary: the user sets their own at the first login.
    const user = (await createUser(store, body, req.actor.name, { temporaryPassword: true }));
    res.status(201).location(`/api/v1/users/${encodeURIComponent(user.username)}`).json(userBody(user));
  });

  r.patch('/users/:name', admin, async (req, res) => {
    const name = req.params.name as string;
    if (!(await getUser(store, name))) throw new ApiError('USER_NOT_FOUND', `there is no user '${name}'`);
    assertValid('UpdateUserRequest', req.body);
    // Someone changing their own password keeps the session they are using; their other sessions end.
    const own = req.actor.name === name && ctx.access instanceof Auth ? ctx.access.sessionOf(req)?.idHash : undefined;
    const user = (await updateUser(store, name, req.body as UserChange, req.actor.name, own));
    res.json(userBody(user));
  });

  r.delete('/users/:name', admin, async (req, res) => {
    await deleteUser(store, req.params.name as string, req.actor.name);
    res.status(204).end();
  });

  return r;
}
