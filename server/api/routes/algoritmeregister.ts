// The Algoritmeregister export over HTTP (README, "The Algoritmeregister"): one table's decision, or every public
// decision (of a domain), as a JSON download in the register's publication standard. The organisation and contact
// come from the server's environment, as for `beslis export --format algoritmeregister`.
import { Router, type Response } from 'express';
import { exportPublic, exportTable, RegisterExportError, registerSettings, STANDARD, type RegisterDocument } from '../../algoritmeregister/index.ts';
import { authorize } from '../actor.ts';
import type { ApiContext } from '../context.ts';
import { ApiError } from '../errors.ts';
import { errorResponse } from '../openapi-parts.ts';

function asApiError(err: unknown): unknown {
  if (!(err instanceof RegisterExportError)) return err;
  // A setting the operator got wrong is the server's configuration, not the caller's request; say which.
  if (err.code === 'INVALID_SETTING') return new ApiError('INTERNAL', `the server's Algoritmeregister settings are wrong: ${err.message}`);
  return new ApiError(err.code, err.message, err.details);
}

function send(res: Response, file: string, build: () => RegisterDocument): void {
  let doc: RegisterDocument;
  try {
    doc = build();
  } catch (err) {
    throw asApiError(err);
  }
  res.set('Content-Disposition', `attachment; filename="${file}"`).json(doc);
}

export function algoritmeregisterRouter(ctx: ApiContext): Router {
  const { store } = ctx;
  const r = Router();
  const read = authorize(ctx.access, 'read');

  r.get('/tables/:id/algoritmeregister', read, (req, res) => {
    const id = req.params.id as string;
    send(res, `algoritmeregister-${id}.json`, () => exportTable(store, id, registerSettings()));
  });

  r.get('/algoritmeregister', read, (req, res) => {
    const domain = req.query.domain;
    if (domain !== undefined && (typeof domain !== 'string' || !/^[a-z0-9-]+$/.test(domain))) {
      throw new ApiError('INVALID_PARAMETER', `domain must be the first segment of a table id (lowercase letters, digits, -), not '${String(domain)}'`, [{ path: '/domain', message: 'must match ^[a-z0-9-]+$' }]);
    }
    send(res, `algoritmeregister${domain ? `-${domain}` : ''}.json`, () => exportPublic(store, registerSettings(), domain));
  });

  return r;
}

// The entry's fields are the standard's, listed by name here; their types, lengths and value lists are in
// server/algoritmeregister/fields-v1_0.json. (Not as JSON Schema properties: begin_date and end_date are months,
// yyyy-mm, which no JSON Schema format names, and the design rules ask format: date of every field named *_date.)
const registratie = {
  type: 'object',
  description:
    `One entry in the ${STANDARD.standard} ${STANDARD.version}, by the standard's own field names: ` +
    STANDARD.fields.filter((f) => !f.assignedByRegister).map((f) => `${f.name}${f.required ? ' (required)' : ''}`).join(', ') +
    '. A field left for the owner is null (a list: []) and named in teVoltooien.',
};

const documentSchema = {
  type: 'object',
  required: ['publicatiestandaard', 'organisatie', 'datum', 'algoritmes'],
  properties: {
    publicatiestandaard: { type: 'object', properties: { naam: { type: 'string' }, versie: { type: 'string' }, bron: { type: 'string', format: 'uri' } } },
    organisatie: { type: 'string' },
    datum: { type: 'string', format: 'date' },
    algoritmes: {
      type: 'array',
      items: {
        type: 'object',
        required: ['algoritme', 'tabellen', 'eigenaar', 'registratie', 'teVoltooien'],
        properties: {
          algoritme: { type: 'string', description: "the decision's own table" },
          tabellen: {
            type: 'array',
            items: { type: 'object', properties: { id: { type: 'string' }, versie: { type: 'integer' }, geldigVanaf: { type: 'string', format: 'date' }, hash: { type: 'string' } } },
          },
          eigenaar: { type: ['string', 'null'] },
          registratie,
          teVoltooien: {
            type: 'array',
            items: { type: 'object', properties: { veld: { type: 'string' }, titel: { type: 'string' }, verplicht: { type: 'boolean' }, reden: { type: 'string' } } },
          },
        },
      },
    },
  },
};

const answer = {
  description:
    'The export: {publicatiestandaard, organisatie, datum, algoritmes: [{algoritme, tabellen, eigenaar, registratie, teVoltooien}]}; registratie is one ' +
    'entry in the Algoritmeregister publication standard 1.0 (its own field names), teVoltooien names the fields the owner still has to complete',
  headers: { 'Content-Disposition': { description: 'attachment; filename="algoritmeregister-….json"', schema: { type: 'string' } } },
  content: { 'application/json': { schema: documentSchema } },
};

export const ALGORITMEREGISTER_PATHS: Record<string, unknown> = {
  '/api/v1/tables/{id}/algoritmeregister': {
    get: {
      tags: ['tables'],
      summary: "The table's decision (with the tables it requires) as an Algoritmeregister entry; only a public table",
      parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'string' }, example: 'handhaving.interventieladder' }],
      responses: {
        '200': answer,
        '404': errorResponse('Unknown table (TABLE_NOT_FOUND), or none of its versions is in force today (NO_VALID_VERSION)'),
        '422': errorResponse('NOT_PUBLIC: the table, or a table it requires, is not public (meta.public true on the version in force)'),
      },
    },
  },
  '/api/v1/algoritmeregister': {
    get: {
      tags: ['tables'],
      summary: 'Every public decision, or those of ?domain=, as Algoritmeregister entries (one per decision)',
      parameters: [{ name: 'domain', in: 'query', schema: { type: 'string', pattern: '^[a-z0-9-]+$' }, example: 'handhaving' }],
      responses: {
        '200': answer,
        '400': errorResponse('domain is not an id segment'),
        '404': errorResponse('No table is in that domain'),
        '422': errorResponse('NOT_PUBLIC: no public decision in the domain, or one requires a table that is not public; LIMIT_EXCEEDED: more than 500 decisions'),
      },
    },
  },
};
