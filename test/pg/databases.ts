// A fresh, empty PostgreSQL database per test on a shared cluster: CREATE DATABASE t_<random> through the cluster's
// maintenance database. Dropped with the cluster (a test run's cluster is thrown away whole).
import { randomBytes } from 'node:crypto';
import pg from 'pg';

/** Creates an empty database on the cluster of `clusterUrl` and answers its URL. */
export async function freshDatabase(clusterUrl: string): Promise<string> {
  const name = `t_${randomBytes(6).toString('hex')}`;
  const client = new pg.Client({ connectionString: clusterUrl });
  await client.connect();
  try {
    await client.query(`CREATE DATABASE ${name}`);
  } finally {
    await client.end();
  }
  const u = new URL(clusterUrl);
  u.pathname = `/${name}`;
  return u.toString();
}

/** A test audit key (BESLIS_AUDIT_KEY's form): PostgreSQL keeps no key file. */
export const TEST_AUDIT_KEY = 'beslis-test-audit-key-0123456789abcdef';
