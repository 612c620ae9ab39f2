// Two `beslis serve` processes on one PostgreSQL database behind HAProxy on loopback (./harness.ts): what an operator
// of several nodes relies on. A session made on one node works on the other; a version approved on one answers on
// the other within a second; a token revoked on one is refused by the other; two approvals of one draft at once
// through both nodes publish exactly one version; after a storm of concurrent saves through the balancer the audit
// trail verifies; and a node killed mid-storm loses no save it acknowledged.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { resolveAuditKey } from '../../server/store/audit.ts';
import { Store } from '../../server/store/store.ts';
import { createUser, type Role } from '../../server/store/users.ts';
import { anonymous, bearer, login, send, type Client } from '../api/helpers.ts';
import { ADMIN_PASSWORD, startMultiNode, type MultiNode } from './harness.ts';

const PASSWORD = 'een-lang-wachtwoord';
const T = 'test.gedrag';
// BESLIS_MULTINODE_DATABASE=sqlite runs the same on two processes sharing one SQLite file (what --workers does).
const DATABASE = (process.env.BESLIS_MULTINODE_DATABASE as 'postgres' | 'sqlite' | undefined) ?? 'postgres';

let mn: MultiNode;
let a: string;
let b: string;

async function addUsers(users: [string, Role[]][]): Promise<void> {
  // With the nodes' audit key: what this store appends to the trail must verify with it.
  const auditKey = resolveAuditKey('', false, { BESLIS_AUDIT_KEY: mn.env.BESLIS_AUDIT_KEY });
  const store = await Store.open(mn.env.BESLIS_DATABASE_URL || mn.env.BESLIS_DB!, { auditKey });
  try {
    for (const [username, roles] of users) await createUser(store, { username, password: PASSWORD, roles }, 'test', { temporaryPassword: false });
  } finally {
    await store.close();
  }
}

/** A client with the cookie and CSRF token of `from`, talking to `base` (the same session on another node). */
function sameSession(from: Client, base: string): Client {
  return {
    ...from,
    request: (method, path, body, headers = {}) =>
      send(base, method, path, body, { cookie: from.cookie, ...(method === 'GET' ? {} : { 'x-csrf-token': from.csrfToken }), ...headers }),
  };
}

/** The draft of `table` with G1's outcome set to `gedrag`, saved by `who` at the draft's current revision. */
async function saveGedrag(who: Client, gedrag: string): Promise<{ status: number; revision: number }> {
  const d = await who.request('GET', `/api/v1/tables/${T}/draft`);
  const table = structuredClone(d.body.table);
  table.rules[0].then.gedrag = `"${gedrag}"`;
  const r = await who.request('PUT', `/api/v1/tables/${T}/draft`, { table }, { 'If-Match': String(d.body.revision) });
  return { status: r.status, revision: r.body?.revision };
}

async function evaluateOn(base: string, token: string, date: string): Promise<{ status: number; version?: number; gedrag?: string }> {
  const r = await send(base, 'POST', `/api/v1/evaluate/${T}`, { input: { houding: 'welwillend' }, date }, { authorization: `Bearer ${token}` });
  return { status: r.status, version: r.body?.version, gedrag: r.body?.output?.gedrag };
}

beforeAll(async () => {
  mn = await startMultiNode({ database: DATABASE });
  [a, b] = [mn.nodes[0]!.url, mn.nodes[1]!.url];
  await addUsers([
    ['ans', ['editor']],
    ['carla', ['approver']],
    ['dirk', ['approver']],
    ...Array.from({ length: 6 }, (_, i): [string, Role[]] => [`storm${i}`, ['editor']]),
  ]);
}, 120_000);

afterAll(async () => {
  await mn?.stop();
});

describe('two nodes on one database', () => {
  it('the balancer sends requests to both nodes in turn (no stickiness)', async () => {
    const seen: string[] = [];
    for (let i = 0; i < 6; i++) seen.push((await fetch(`${mn.url}/api/v1/health`)).headers.get('x-beslis-node') ?? '?');
    expect(new Set(seen)).toEqual(new Set(['a', 'b']));
  });

  it('a session made on node A saves a draft on node B', async () => {
    const onA = await login(a, 'ans', PASSWORD);
    const onB = sameSession(onA, b);
    const saved = await saveGedrag(onB, 'B');
    expect(saved.status).toBe(200);
    const seenOnA = await onA.request('GET', `/api/v1/tables/${T}/draft`);
    expect(seenOnA.body).toMatchObject({ revision: saved.revision, updatedBy: 'ans' });
    expect(seenOnA.body.table.rules[0].then.gedrag).toBe('"B"');
  });

  it('a version approved on node A answers on node B within a second', async () => {
    const admin = await login(a, 'admin', ADMIN_PASSWORD);
    const token = (await admin.request('POST', '/api/v1/tokens', { name: 'zaaksysteem', scopes: ['evaluate'] })).body.token as string;
    const before = await evaluateOn(b, token, '2031-06-01');
    expect(before).toMatchObject({ status: 200, version: 1, gedrag: 'A' });
    const ans = await login(b, 'ans', PASSWORD);
    const submitted = await ans.request('POST', `/api/v1/tables/${T}/draft/submit`, { validFrom: '2031-01-01', note: 'strenger' });
    expect(submitted.status, submitted.text).toBe(200);
    const carla = await login(a, 'carla', PASSWORD);
    const approved = await carla.request('POST', `/api/v1/tables/${T}/draft/approve`, { revision: submitted.body.revision });
    expect(approved.status, approved.text).toBe(201);
    const at = Date.now();
    let now = before;
    while (Date.now() - at < 1000 && now.version !== approved.body.version) {
      now = await evaluateOn(b, token, '2031-06-01');
      if (now.version !== approved.body.version) await new Promise((r) => setTimeout(r, 20));
    }
    expect(now).toMatchObject({ status: 200, version: approved.body.version, gedrag: 'B' });
    expect(Date.now() - at).toBeLessThan(1000);
  });

  it('a token revoked on node A is refused by node B', async () => {
    const admin = await login(a, 'admin', ADMIN_PASSWORD);
    const made = (await admin.request('POST', '/api/v1/tokens', { name: 'te-intrekken', scopes: ['evaluate'] })).body as { id: number; token: string };
    expect((await evaluateOn(b, made.token, '2030-01-01')).status).toBe(200);
    expect((await admin.request('DELETE', `/api/v1/tokens/${made.id}`)).status).toBe(204);
    // Node A at once; node B within a second (it learns of the revocation from the database).
    expect((await evaluateOn(a, made.token, '2030-01-01')).status).toBe(401);
    const at = Date.now();
    let status = 200;
    while (Date.now() - at < 1000 && status !== 401) {
      status = (await evaluateOn(b, made.token, '2030-01-01')).status;
      if (status !== 401) await new Promise((r) => setTimeout(r, 20));
    }
    expect(status).toBe(401);
    expect((await bearer(b, made.token).request('GET', '/api/v1/tables')).status).toBe(401);
  });

  it('two approvals of one draft at once, one through each node, publish exactly one version', async () => {
    const ans = await login(a, 'ans', PASSWORD);
    expect((await saveGedrag(ans, 'C')).status).toBe(200);
    const submitted = await ans.request('POST', `/api/v1/tables/${T}/draft/submit`, { validFrom: '2032-01-01', note: 'nog strenger' });
    expect(submitted.status, submitted.text).toBe(200);
    const [carla, dirk] = await Promise.all([login(a, 'carla', PASSWORD), login(b, 'dirk', PASSWORD)]);
    const versionsBefore = (await carla.request('GET', `/api/v1/tables/${T}`)).body.versions.length as number;
    const answers = await Promise.all([
      carla.request('POST', `/api/v1/tables/${T}/draft/approve`, { revision: submitted.body.revision }),
      dirk.request('POST', `/api/v1/tables/${T}/draft/approve`, { revision: submitted.body.revision }),
    ]);
    // The loser is refused: 409 STALE_REVISION when its checks ran while the draft was still there (the usual case
    // at once), 404 DRAFT_NOT_FOUND when the winner had published it before the loser looked. Never a second version.
    const statuses = answers.map((r) => r.status).sort();
    expect(statuses[0], answers.map((r) => r.text).join('\n')).toBe(201);
    const loser = answers.find((r) => r.status !== 201)!;
    expect([409, 404]).toContain(loser.status);
    expect(['STALE_REVISION', 'DRAFT_NOT_FOUND']).toContain(loser.body.code);
    for (const base of [a, b]) {
      const versions = (await send(base, 'GET', `/api/v1/tables/${T}`, undefined, { cookie: carla.cookie })).body.versions as { version: number }[];
      expect(versions).toHaveLength(versionsBefore + 1);
    }
  });
});

interface Ack {
  table: string;
  revision: number;
  title: string;
}

/**
 * Six editors, each saving its own new table's draft as fast as the balancer answers, for `ms`; `midway` runs
 * halfway. Every 2xx is recorded. A save whose answer is lost (a node killed under it) is followed by reading the
 * draft again, as the editor would.
 */
async function storm(ms: number, midway: () => Promise<void>): Promise<{ acks: Ack[]; failures: number }> {
  const acks: Ack[] = [];
  let failures = 0;
  const until = Date.now() + ms;
  const writer = async (i: number) => {
    const who = await login(mn.url, `storm${i}`, PASSWORD);
    const id = `storm.w${i}`;
    const table = { id, title: `storm ${i}`, inputs: [{ name: 'x', type: 'number' }], outputs: [{ name: 'y', type: 'number' }], rules: [{ id: 'R1', when: {}, then: { y: '1' } }] };
    const created = await who.request('POST', '/api/v1/tables', { table });
    if (created.status !== 201) throw new Error(`creating ${id}: ${created.status} ${created.text}`);
    let revision = created.body.revision as number;
    for (let n = 1; Date.now() < until; n++) {
      const title = `storm ${i} #${n}`;
      try {
        const r = await who.request('PUT', `/api/v1/tables/${id}/draft`, { table: { ...table, title } }, { 'If-Match': String(revision) });
        if (r.status === 200) {
          revision = r.body.revision as number;
          acks.push({ table: id, revision, title });
          continue;
        }
        failures++;
      } catch {
        failures++;
      }
      const d = await who.request('GET', `/api/v1/tables/${id}/draft`).catch(() => null);
      if (d?.status === 200) revision = d.body.revision as number;
    }
  };
  const writers = Array.from({ length: 6 }, (_, i) => writer(i));
  await new Promise((r) => setTimeout(r, ms / 2));
  await midway();
  await Promise.all(writers);
  return { acks, failures };
}

describe('a write storm through the balancer', () => {
  it('keeps every acknowledged save when node B is killed midway, and the audit trail verifies', async () => {
    const { acks, failures } = await storm(6000, () => mn.kill('b'));
    expect(acks.length).toBeGreaterThan(30);
    // What the database holds: every acknowledged revision was saved (the audit trail says so), and the newest
    // acknowledged one of each table is what its draft holds unless a later save was committed unacknowledged.
    const admin = await login(a, 'admin', ADMIN_PASSWORD);
    const audit = (await admin.request('GET', '/api/v1/audit?limit=10000')).body.entries as { action: string; tableId: string | null; detail: { revision?: number } }[];
    const saved = new Set(audit.filter((e) => e.action === 'draft.saved').map((e) => `${e.tableId}@${e.detail.revision}`));
    const missing = acks.filter((k) => !saved.has(`${k.table}@${k.revision}`));
    expect(missing, `acknowledged saves missing from the audit trail (of ${acks.length}, ${failures} failed)`).toEqual([]);
    for (let i = 0; i < 6; i++) {
      const mine = acks.filter((k) => k.table === `storm.w${i}`);
      const last = mine.at(-1);
      if (!last) continue;
      const d = (await admin.request('GET', `/api/v1/tables/storm.w${i}/draft`)).body;
      expect(d.revision).toBeGreaterThanOrEqual(last.revision);
      if (d.revision === last.revision) expect(d.table.title).toBe(last.title);
    }
    // Node A still answers, alone, through the balancer.
    const r = await anonymous(mn.url).request('GET', '/api/v1/health/ready');
    expect(r.status).toBe(200);
    expect(r.headers.get('x-beslis-node')).toBe('a');
    const verified = await mn.beslis(['audit', 'verify']);
    expect(verified.code, verified.err).toBe(0);
    expect(verified.out).toContain('audit trail intact');
  }, 60_000);
});
