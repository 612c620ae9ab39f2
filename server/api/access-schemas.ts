// Schemas and OpenAPI paths of the access-control endpoints (login, users, tokens, audit). schemas.ts merges
// ACCESS_SCHEMAS into the one SCHEMAS object (ajv validates with it; the OpenAPI document publishes it), and
// openapi.ts merges ACCESS_PATHS into its paths. Kept apart so the access work does not edit those files often.
import { ROLES, USERNAME_PATTERN, PASSWORD_MAX, PASSWORD_MIN } from '../store/users.ts';
import { SCOPES, TOKEN_NAME_PATTERN } from '../store/tokens.ts';
import { errorResponse } from './openapi-parts.ts';

type Obj = Record<string, unknown>;
const ref = (name: string): Obj => ({ $ref: `#/components/schemas/${name}` });
const json = (schema: Obj) => ({ 'application/json': { schema } });
const error = errorResponse;
const ok = (name: string, description = 'OK') => ({ description, content: json(ref(name)) });

const ROLE = { enum: [...ROLES] };
const SCOPE = { enum: [...SCOPES] };
const USERNAME = { type: 'string', pattern: USERNAME_PATTERN.source, examples: ['ans'] };
const PASSWORD = { type: 'string', minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX, writeOnly: true };
const TIME = { type: 'string', format: 'date-time' };

export const ACCESS_SCHEMAS: Record<string, Obj> = {
  LoginRequest: {
    type: 'object',
    required: ['username', 'password'],
    additionalProperties: false,
    properties: { username: { type: 'string', minLength: 1, maxLength: 64 }, password: { type: 'string', minLength: 1, maxLength: PASSWORD_MAX, writeOnly: true } },
  },
  ChangePasswordRequest: {
    type: 'object',
    required: ['currentPassword', 'newPassword'],
    additionalProperties: false,
    properties: {
      currentPassword: { type: 'string', minLength: 1, maxLength: PASSWORD_MAX, writeOnly: true },
      newPassword: { type: 'string', minLength: 1, maxLength: PASSWORD_MAX, writeOnly: true, description: 'At least 10 characters, not the current one' },
    },
  },
  Me: {
    type: 'object',
    required: ['username', 'roles'],
    properties: {
      mustChangePassword: { type: 'boolean', description: 'The password was set by an administrator: every other request answers 403 PASSWORD_CHANGE_REQUIRED until POST /api/v1/auth/password' },
      kind: { enum: ['user', 'token'] },
      username: { type: 'string' },
      roles: { type: 'array', items: ROLE },
      scopes: { type: 'array', items: SCOPE },
      csrfToken: { type: 'string', description: 'Send it as X-CSRF-Token on every POST, PUT, PATCH and DELETE made with the session cookie.' },
      expiresAt: { ...TIME, description: 'When the session ends if it is not used (it slides on use, up to its absolute lifetime).' },
    },
  },
  User: {
    type: 'object',
    properties: {
      username: USERNAME,
      roles: { type: 'array', items: ROLE },
      createdAt: TIME,
      disabled: { type: 'boolean' },
      failedLogins: { type: 'integer', description: 'Consecutive failed logins since the last success' },
      lockedUntil: { type: ['string', 'null'], format: 'date-time', description: 'Locked after repeated failed logins until then' },
      mustChangePassword: { type: 'boolean', description: 'The password is temporary (set by an administrator): the user chooses their own at the next login' },
      createdBy: { type: ['string', 'null'] },
      passwordSetBy: { type: ['string', 'null'] },
      rolesSetBy: { type: ['string', 'null'] },
    },
  },
  CreateUserRequest: {
    type: 'object',
    required: ['username', 'password', 'roles'],
    additionalProperties: false,
    properties: { username: USERNAME, password: PASSWORD, roles: { type: 'array', items: ROLE, minItems: 1, uniqueItems: true } },
  },
  UpdateUserRequest: {
    type: 'object',
    additionalProperties: false,
    minProperties: 1,
    properties: {
      password: { ...PASSWORD, description: "A new password; ends the user's other sessions and clears a lockout." },
      roles: { type: 'array', items: ROLE, minItems: 1, uniqueItems: true },
      disabled: { type: 'boolean', description: "A disabled user cannot log in; their sessions end." },
      unlock: { const: true, description: 'Clears a lockout after failed logins.' },
    },
  },
  Token: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      name: { type: 'string' },
      scopes: { type: 'array', items: SCOPE },
      createdAt: TIME,
      createdBy: { type: 'string' },
      lastUsedAt: { type: ['string', 'null'], format: 'date-time', description: 'To the minute' },
      revokedAt: { type: ['string', 'null'], format: 'date-time' },
    },
  },
  CreateTokenRequest: {
    type: 'object',
    required: ['name', 'scopes'],
    additionalProperties: false,
    properties: { name: { type: 'string', pattern: TOKEN_NAME_PATTERN.source, examples: ['zaaksysteem'] }, scopes: { type: 'array', items: SCOPE, minItems: 1, uniqueItems: true } },
  },
  CreatedToken: {
    allOf: [ref('Token')],
    properties: { token: { type: 'string', description: 'The secret: shown in this response only. Send it as Authorization: Bearer <token>.' } },
  },
  AuditEntry: {
    type: 'object',
    properties: {
      id: { type: 'integer' },
      at: TIME,
      actor: { type: 'string' },
      action: { type: 'string', examples: ['draft.saved', 'draft.submitted', 'draft.approved', 'user.created', 'auth.login_failed'] },
      tableId: { type: ['string', 'null'] },
      version: { type: ['integer', 'null'] },
      detail: { type: 'object' },
      prevHash: { type: 'string', description: 'The hash of the entry before (a chain: `beslis audit verify` checks it)' },
      hash: { type: 'string' },
    },
  },
  AuditVerification: {
    type: 'object',
    required: ['ok', 'entries', 'head', 'broken'],
    properties: {
      ok: { type: 'boolean', description: 'True when every entry fits the chain' },
      entries: { type: 'integer', description: 'Entries checked (up to and including the broken one)' },
      head: { type: ['object', 'null'], properties: { id: { type: 'integer' }, hash: { type: 'string' } }, description: 'The newest intact entry: keep its hash elsewhere to notice a cut-off tail later' },
      broken: {
        type: ['object', 'null'],
        properties: {
          id: { type: 'integer' },
          kind: { enum: ['changed', 'unlinked', 'unreadable'] },
          message: { type: 'string' },
          entry: { type: 'object', properties: { at: TIME, actor: { type: 'string' }, action: { type: 'string' }, tableId: { type: ['string', 'null'] }, version: { type: ['integer', 'null'] } } },
        },
      },
    },
  },
  AuditQuery: {
    type: 'object',
    additionalProperties: false,
    properties: {
      table: { type: 'string', minLength: 1, maxLength: 200, description: 'Only entries about this table' },
      after: { type: 'string', pattern: '^(0|[1-9][0-9]{0,15})$', description: 'Only entries with a larger id (the `next` of the previous page)' },
      before: { type: 'string', pattern: '^(0|[1-9][0-9]{0,15})$', description: 'Only entries with a smaller id (with order=desc: the `next` of the previous page)' },
      order: { enum: ['asc', 'desc'], description: 'asc (default): oldest first; desc: newest first' },
      limit: { type: 'string', pattern: '^([1-9][0-9]{0,3}|10000)$', description: 'At most this many entries (default 500, at most 10000)' },
    },
  },
};

const name = { name: 'name', in: 'path', required: true, schema: USERNAME };
const tokenId = { name: 'id', in: 'path', required: true, schema: { type: 'integer', minimum: 1 } };
const denied = { '401': error('Not logged in (no session or token)'), '403': error('Logged in without the needed role') };
const csrf = { '403': error('Without the needed role, or a cookie-authenticated write without a matching X-CSRF-Token') };

/** `x-permission` names what ./actor.ts requires (see ./access.ts for the roles and scopes that grant it). */
export const ACCESS_PATHS: Record<string, Obj> = {
  '/api/v1/auth/login': {
    post: {
      tags: ['access'],
      summary: 'Log in: sets the session cookie (HttpOnly, SameSite=Strict, Secure over HTTPS) and returns the CSRF token',
      security: [],
      requestBody: { required: true, content: json(ref('LoginRequest')) },
      responses: {
        '200': ok('Me', 'Logged in'),
        '400': error('Malformed request'),
        '401': error('INVALID_CREDENTIALS: unknown user or wrong password'),
        '429': error('TOO_MANY_ATTEMPTS: locked after repeated failures (Retry-After says for how long)'),
      },
    },
  },
  '/api/v1/auth/password': {
    post: {
      tags: ['access'],
      summary: 'Change your own password (also a temporary one set by an administrator); your other sessions end',
      requestBody: { required: true, content: json(ref('ChangePasswordRequest')) },
      responses: {
        '200': ok('Me', 'Changed'),
        '400': error('INVALID_USER: the current password is wrong, or the new one too short or the same'),
        '401': error('Not logged in'),
        '429': error('TOO_MANY_ATTEMPTS'),
        ...csrf,
      },
    },
  },
  '/api/v1/auth/logout': {
    post: { tags: ['access'], summary: 'End the session', security: [], responses: { '204': { description: 'Logged out (also when there was no session)' }, ...csrf } },
  },
  '/api/v1/auth/session': {
    get: {
      tags: ['access'],
      summary: 'Who is logged in, like /api/v1/me, but 200 with {"kind": "anonymous"} when nobody is (the editor asks this on opening)',
      security: [],
      responses: {
        '200': { description: 'The caller, or anonymous', content: json({ oneOf: [ref('Me'), { type: 'object', required: ['kind'], properties: { kind: { const: 'anonymous' } } }] }) },
      },
    },
  },
  '/api/v1/me': {
    get: { tags: ['access'], summary: 'Who is logged in, with the CSRF token', responses: { '200': ok('Me'), '401': error('Not logged in') } },
  },
  '/api/v1/users': {
    get: {
      tags: ['access'],
      summary: 'All users',
      'x-permission': 'admin',
      responses: { '200': { description: 'Users', content: json({ type: 'object', properties: { users: { type: 'array', items: ref('User') } } }) }, ...denied },
    },
    post: {
      tags: ['access'],
      summary: 'Add a user',
      'x-permission': 'admin',
      requestBody: { required: true, content: json(ref('CreateUserRequest')) },
      responses: { '201': ok('User', 'Created'), '400': error('Invalid name, password or roles'), ...denied, '409': error('USER_EXISTS') },
    },
  },
  '/api/v1/users/{name}': {
    patch: {
      tags: ['access'],
      summary: 'Change roles or password, disable or unlock a user',
      'x-permission': 'admin',
      parameters: [name],
      requestBody: { required: true, content: json(ref('UpdateUserRequest')) },
      responses: { '200': ok('User'), '400': error('Invalid change'), ...denied, '404': error('USER_NOT_FOUND'), '409': error('LAST_ADMIN: the last enabled admin would lose the role') },
    },
    delete: {
      tags: ['access'],
      summary: 'Remove a user (their name stays in versions and the audit trail)',
      'x-permission': 'admin',
      parameters: [name],
      responses: { '204': { description: 'Removed' }, ...denied, '404': error('USER_NOT_FOUND'), '409': error('LAST_ADMIN') },
    },
  },
  '/api/v1/tokens': {
    get: {
      tags: ['access'],
      summary: 'All API tokens (without secrets), with their last use',
      'x-permission': 'admin',
      responses: { '200': { description: 'Tokens', content: json({ type: 'object', properties: { tokens: { type: 'array', items: ref('Token') } } }) }, ...denied },
    },
    post: {
      tags: ['access'],
      summary: 'Create an API token; the secret is in this response only',
      'x-permission': 'admin',
      requestBody: { required: true, content: json(ref('CreateTokenRequest')) },
      responses: { '201': ok('CreatedToken', 'Created'), '400': error('Invalid name or scopes'), ...denied, '409': error('TOKEN_EXISTS: a live token has this name') },
    },
  },
  '/api/v1/tokens/{id}': {
    delete: {
      tags: ['access'],
      summary: 'Revoke a token',
      'x-permission': 'admin',
      parameters: [tokenId],
      responses: { '204': { description: 'Revoked (also when it already was)' }, '400': error('Not a token id'), ...denied, '404': error('TOKEN_NOT_FOUND') },
    },
  },
  '/api/v1/audit': {
    get: {
      tags: ['access'],
      summary: 'The audit trail, oldest first: who changed, submitted, approved, rejected, imported what, when',
      'x-permission': 'audit',
      parameters: [
        { name: 'table', in: 'query', schema: { type: 'string' } },
        { name: 'after', in: 'query', schema: { type: 'integer', minimum: 0 } },
        { name: 'before', in: 'query', schema: { type: 'integer', minimum: 0 } },
        { name: 'order', in: 'query', schema: { enum: ['asc', 'desc'] } },
        { name: 'limit', in: 'query', schema: { type: 'integer', minimum: 1, maximum: 10000 } },
      ],
      responses: {
        '200': {
          description: 'Entries; `next` is the `after` (with order=desc the `before`) of the next page (null: no more)',
          content: json({ type: 'object', properties: { entries: { type: 'array', items: ref('AuditEntry') }, next: { type: ['integer', 'null'] } } }),
        },
        '400': error('Invalid query'),
        ...denied,
      },
    },
  },
  '/api/v1/audit/verify': {
    get: {
      tags: ['access'],
      summary: 'Check the hash chain of the whole audit trail (as `beslis audit verify`): intact, or the first entry that breaks it',
      'x-permission': 'audit',
      responses: { '200': ok('AuditVerification'), ...denied },
    },
  },
};

export const SECURITY_SCHEMES: Obj = {
  session: {
    type: 'apiKey',
    in: 'cookie',
    name: 'beslis_session',
    description:
      'For people. POST /api/v1/auth/login {username, password} sets it (HttpOnly, SameSite=Strict; named __Host-beslis_session over HTTPS) and answers the csrfToken; ' +
      'GET /api/v1/me repeats the token. Cookie-authenticated writes also need csrfToken.',
  },
  csrfToken: {
    type: 'apiKey',
    in: 'header',
    name: 'X-CSRF-Token',
    description: 'With the session cookie, on every write (POST, PUT, PATCH, DELETE): the csrfToken of the login answer (or GET /api/v1/me). Not needed with a bearer token.',
  },
  token: {
    type: 'http',
    scheme: 'bearer',
    description:
      'For applications: Authorization: Bearer <token>. An admin creates the token with POST /api/v1/tokens {name, scopes}, on the editor\'s admin page, or with ' +
      '`beslis tokens create NAME --scope evaluate`; the secret is shown once. Scopes: evaluate, fixtures:run, metrics (GET /metrics).',
  },
};
