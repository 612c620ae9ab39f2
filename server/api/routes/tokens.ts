// API tokens for applications (docs/contracts.md, admin only): POST /api/v1/tokens (the secret is in this response only),
// GET /api/v1/tokens (no secrets; last use), DELETE /api/v1/tokens/:id (revokes).
import { Router } from 'express';
import { createToken, listTokens, revokeToken } from '../../store/tokens.ts';
import { authorize } from '../actor.ts';
import type { ApiContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { assertValid } from '../schemas.ts';

export function tokensRouter(ctx: ApiContext): Router {
  const { store } = ctx;
  const r = Router();
  const admin = authorize(ctx.access, 'admin');

  r.get('/tokens', admin, async (_req, res) => {
    res.json({ tokens: (await listTokens(store)) });
  });

  r.post('/tokens', admin, async (req, res) => {
    assertValid('CreateTokenRequest', req.body);
    const { token, record } = (await createToken(store, req.body as { name: string; scopes: string[] }, req.actor.name));
    res.status(201).set('Cache-Control', 'no-store').location(`/api/v1/tokens/${record.id}`).json({ ...record, token });
  });

  r.delete('/tokens/:id', admin, async (req, res) => {
    const raw = req.params.id as string;
    if (!/^[1-9][0-9]{0,15}$/.test(raw)) throw new ApiError('INVALID_PARAMETER', `a token id is a whole number, not '${raw}'`, [{ path: '/id', message: 'must be a positive integer' }]);
    await revokeToken(store, Number(raw), req.actor.name);
    res.status(204).end();
  });

  return r;
}
