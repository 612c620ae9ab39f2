// `beslis copy --from sqlite:FILE --to postgres://…`: moves an installation from its SQLite file to a PostgreSQL
// database, for running several nodes. Every row of every table is copied as it is (ids kept, so sessions, tokens,
// versions and the audit chain stay what they were), in one PostgreSQL transaction: either all of it arrives or
// nothing. The audit chain's hashes are HMACs with the installation's audit key, so the chain verifies on the target
// only with the same key: the command says where the key is and how to give it to the nodes.
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import type { Database } from 'better-sqlite3';
import { AUDIT_KEY_ENV, auditKeyFile, resolveAuditKey, verifyAudit } from '../../store/audit.ts';
import { openDatabase } from '../../store/db.ts';
import { MIGRATIONS } from '../../store/migrations.ts';
import { POSTGRES_MIGRATIONS } from '../../store/migrations-postgres.ts';
import { PostgresSql } from '../../store/sql-postgres.ts';
import type { Param } from '../../store/sql.ts';
import { EXIT_REFUSED, fail, parseCommandArgs, usageError } from '../args.ts';
import { isPostgresUrl, redactUrl } from '../database-url.ts';
import { appliedMigrations } from '../schema-state.ts';

export const summary = 'move an installation from its SQLite file to PostgreSQL (every row, the audit chain intact)';

const HELP = `Usage: beslis copy --from sqlite:FILE --to postgres://user:password@host/name [--json]

Copies everything in the SQLite database FILE — tables, drafts, versions, fixtures, users, sessions, tokens, the
evaluation log, the audit trail, settings — into the PostgreSQL database, row for row with the same ids, in one
transaction; then checks the copy: the number of rows of every table, and the audit trail's chain verified on the
target as 'beslis audit verify' does. Stop 'beslis serve' on FILE first (the copy is of one moment; what a running
server writes after it is not in it).

The target must hold the Beslis schema of this program ('beslis migrate --database-url URL') and no data at all:
a database with any row is refused, so nothing is ever merged or overwritten.

The audit trail is keyed with the installation's audit key (${AUDIT_KEY_ENV}, or the file FILE.audit-key). The
copy keeps the hashes, so the target verifies only with that key: give every node ${AUDIT_KEY_ENV} with the
key's text (the command prints how).

  --from sqlite:FILE   the SQLite database to copy (sqlite: may be left out)
  --to URL             the PostgreSQL database (postgres:// or postgresql://)
  --json               print the report as JSON

Exit codes: 0 copied and checked, 1 refused or failed (nothing was copied, or the check found a difference),
2 wrong usage.`;

/** Rows per INSERT statement: well inside PostgreSQL's 65,535 parameters for the widest table. */
const ROWS_PER_INSERT = 500;

interface TargetColumn {
  name: string;
  type: string;
  identity: boolean;
  generated: boolean;
}

export interface CopyReport {
  from: string;
  to: string;
  schemaVersion: number;
  tables: { table: string; source: number; target: number }[];
  rows: number;
  audit: { entries: number; head: { id: number; hash: string } | null; sameHead: boolean };
  auditKey: { source: 'env' | 'file' | 'memory'; file?: string };
  ms: number;
}

class Refusal extends Error {}

/** Tables in an order that copies every referenced row before the rows that refer to it. */
function tablesInOrder(db: Database): string[] {
  const names = (db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'schema_migrations' ORDER BY name").pluck().all() as string[]);
  const refersTo = new Map(names.map((n) => [n, new Set((db.prepare(`SELECT "table" FROM pragma_foreign_key_list(?)`).pluck().all(n) as string[]).filter((t) => t !== n))]));
  const ordered: string[] = [];
  const placed = new Set<string>();
  while (ordered.length < names.length) {
    const next = names.find((n) => !placed.has(n) && [...refersTo.get(n)!].every((t) => placed.has(t) || !refersTo.has(t)));
    if (!next) throw new Refusal(`the tables ${names.filter((n) => !placed.has(n)).join(', ')} refer to each other in a circle`);
    ordered.push(next);
    placed.add(next);
  }
  return ordered;
}

function quote(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** A SQLite value as the target column takes it: 0/1 for booleans, the text of JSON as it is. */
function toTarget(value: unknown, type: string): Param {
  if (value === null || value === undefined) return null;
  if (type === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number' || typeof value === 'string' || typeof value === 'bigint' || Buffer.isBuffer(value)) return value;
  return String(value);
}

export async function copySqliteToPostgres(file: string, url: string, say: (line: string) => void = () => {}): Promise<CopyReport> {
  const t0 = performance.now();
  if (!existsSync(file)) throw new Refusal(`there is no database at ${file}`);
  const key = resolveAuditKey(file, false);
  const source = openDatabase(file, { readonly: true });
  const target = new PostgresSql(url, { max: 2 });
  try {
    const sourceVersion = Number(source.prepare('SELECT MAX(version) FROM schema_migrations').pluck().get() ?? 0);
    if (sourceVersion !== MIGRATIONS.length) {
      throw new Refusal(`${file} has schema version ${sourceVersion}, this program copies version ${MIGRATIONS.length}: run 'beslis migrate --db ${file}' first`);
    }
    const applied = await appliedMigrations({ kind: 'postgres', url });
    if (applied.length === 0) throw new Refusal(`${redactUrl(url)} holds no Beslis schema: run 'beslis migrate --database-url URL' first`);
    const targetVersion = applied.at(-1)!.version;
    if (targetVersion !== POSTGRES_MIGRATIONS.length) {
      throw new Refusal(`${redactUrl(url)} has schema version ${targetVersion}, this program copies into version ${POSTGRES_MIGRATIONS.length}: run this release's 'beslis migrate --database-url URL' first`);
    }
    const auditRows = Number(source.prepare('SELECT COUNT(*) FROM audit_log').pluck().get());
    if (!key && auditRows > 0) throw new Refusal(`no audit key for ${file}: set ${AUDIT_KEY_ENV}, or put the key file ${auditKeyFile(file)} back`);
    const columns = new Map<string, TargetColumn[]>();
    for (const c of await target.all<{ table_name: string; column_name: string; data_type: string; is_identity: string; is_generated: string }>(
      'SELECT table_name, column_name, data_type, is_identity, is_generated FROM information_schema.columns WHERE table_schema = current_schema() ORDER BY table_name, ordinal_position',
    )) {
      const list = columns.get(c.table_name) ?? [];
      list.push({ name: c.column_name, type: c.data_type, identity: c.is_identity === 'YES', generated: c.is_generated === 'ALWAYS' });
      columns.set(c.table_name, list);
    }
    // One moment of the source: a read transaction holds its snapshot (WAL) for the whole copy.
    source.exec('BEGIN');
    const tables = tablesInOrder(source);
    const plan = tables.map((table) => {
      const wanted = (source.prepare(`SELECT name FROM pragma_table_info(?)`).pluck().all(table) as string[]);
      const there = columns.get(table);
      if (!there) throw new Refusal(`the target has no table ${table}: is its schema the one of this program ('beslis migrate')?`);
      const byName = new Map(there.map((c) => [c.name, c]));
      const missing = wanted.filter((c) => !byName.has(c));
      if (missing.length > 0) throw new Refusal(`the target's table ${table} has no column ${missing.join(', ')}: is its schema the one of this program?`);
      return { table, cols: wanted.map((c) => byName.get(c)!).filter((c) => !c.generated), identity: there.some((c) => c.identity) };
    });
    const nonEmpty: string[] = [];
    for (const { table } of plan) if (await target.value(`SELECT 1 FROM ${quote(table)} LIMIT 1`)) nonEmpty.push(table);
    if (nonEmpty.length > 0) throw new Refusal(`${redactUrl(url)} already holds data (in ${nonEmpty.join(', ')}): copy only into an empty database, freshly migrated`);

    const copied: CopyReport['tables'] = [];
    await target.transaction(async () => {
      // The evaluation log on PostgreSQL is partitioned by month, made on demand: make those of the copied rows.
      if (await target.value<string | null>("SELECT to_regproc('beslis_log_partitions')::text")) {
        const months = source.prepare("SELECT DISTINCT substr(evaluated_at, 1, 7) FROM evaluation_log ORDER BY 1").pluck().all() as string[];
        if (months.length > 0) await target.value("SELECT beslis_log_partitions(string_to_array(?, ','))", months.join(','));
      }
      for (const { table, cols, identity } of plan) {
        const names = cols.map((c) => quote(c.name)).join(', ');
        const row = `(${cols.map(() => '?').join(', ')})`;
        const insert = (n: number) => `INSERT INTO ${quote(table)} (${names})${identity ? ' OVERRIDING SYSTEM VALUE' : ''} VALUES ${Array.from({ length: n }, () => row).join(', ')}`;
        const select = source.prepare(`SELECT ${cols.map((c) => quote(c.name)).join(', ')} FROM ${quote(table)} ORDER BY rowid`).raw();
        let batch: Param[] = [];
        let inBatch = 0;
        let count = 0;
        const flush = async () => {
          if (inBatch === 0) return;
          await target.run(insert(inBatch), ...batch);
          count += inBatch;
          batch = [];
          inBatch = 0;
        };
        for (const values of select.iterate() as IterableIterator<unknown[]>) {
          for (let i = 0; i < cols.length; i++) batch.push(toTarget(values[i], cols[i]!.type));
          if (++inBatch === ROWS_PER_INSERT) await flush();
        }
        await flush();
        if (identity) {
          // The next id the target hands out follows the copied ones.
          await target.run(`SELECT setval(pg_get_serial_sequence(?, 'id'), COALESCE((SELECT MAX(id) FROM ${quote(table)}), 0) + 1, false)`, quote(table));
        }
        copied.push({ table, source: count, target: 0 });
        say(`  ${table.padEnd(22)} ${String(count).padStart(10)} rows`);
      }
    });
    source.exec('COMMIT');

    for (const t of copied) {
      t.source = Number(source.prepare(`SELECT COUNT(*) FROM ${quote(t.table)}`).pluck().get());
      t.target = Number(await target.value(`SELECT COUNT(*) FROM ${quote(t.table)}`));
    }
    const differ = copied.filter((t) => t.source !== t.target);
    if (differ.length > 0) throw new Error(`the copy differs from ${file}: ${differ.map((t) => `${t.table} ${t.source} → ${t.target}`).join(', ')}`);
    const verified = await verifyAudit(target, key);
    if (!verified.ok) throw new Error(`the audit trail does not verify on the target: entry ${verified.broken!.id}: ${verified.broken!.message}`);
    const sourceHead = source.prepare('SELECT id, hash FROM audit_log ORDER BY id DESC LIMIT 1').get() as { id: number; hash: string } | undefined;
    const sameHead = (sourceHead?.hash ?? null) === (verified.head?.hash ?? null);
    if (!sameHead) throw new Error(`the audit trail's newest entry differs: ${sourceHead?.hash ?? 'none'} in ${file}, ${verified.head?.hash ?? 'none'} on the target`);
    return {
      from: file,
      to: redactUrl(url),
      schemaVersion: sourceVersion,
      tables: copied,
      rows: copied.reduce((n, t) => n + t.target, 0),
      audit: { entries: verified.entries, head: verified.head, sameHead },
      auditKey: key ? { source: key.source, ...(key.file ? { file: key.file } : {}) } : { source: 'memory' },
      ms: Math.round(performance.now() - t0),
    };
  } finally {
    if (source.inTransaction) source.exec('ROLLBACK');
    source.close();
    await target.close();
  }
}

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, { help: HELP, allowPositionals: false, options: { from: { type: 'string' }, to: { type: 'string' }, json: { type: 'boolean' } } });
  if (typeof parsed === 'number') return parsed;
  const { values } = parsed;
  if (!values.from || !values.to) return usageError(HELP, 'beslis copy: both --from sqlite:FILE and --to postgres://… are required');
  if (isPostgresUrl(values.from)) return fail('beslis copy: --from is the SQLite file (sqlite:FILE); copying from PostgreSQL is pg_dump\'s work');
  if (!isPostgresUrl(values.to)) return fail(`beslis copy: --to must be a postgres:// URL, not '${values.to}'`);
  const file = resolve(values.from.replace(/^sqlite:/, ''));
  let report: CopyReport;
  try {
    if (!values.json) console.log(`beslis copy: ${file} → ${redactUrl(values.to)}`);
    report = await copySqliteToPostgres(file, values.to, values.json ? undefined : (line) => console.log(line));
  } catch (err) {
    if (err instanceof Refusal) return fail(`beslis copy: refused: ${err.message}`, EXIT_REFUSED);
    return fail(`beslis copy: failed, nothing was copied or the copy is not to be trusted: ${(err as Error).message}`, EXIT_REFUSED);
  }
  if (values.json) {
    console.log(JSON.stringify(report, null, 2));
    return 0;
  }
  console.log(`copied ${report.rows} rows of ${report.tables.length} tables in ${report.ms} ms; every table has as many rows as in ${file}`);
  console.log(`audit trail intact on the target: ${report.audit.entries} entries${report.audit.head ? `, newest ${report.audit.head.id} with hash ${report.audit.head.hash} (as in the source)` : ''}`);
  const keyText = report.auditKey.source === 'env' ? `the ${AUDIT_KEY_ENV} you copied with` : `export ${AUDIT_KEY_ENV}="$(cat ${report.auditKey.file})"`;
  console.log(`every node on ${report.to} needs the same audit key: ${keyText}`);
  console.log(`then: BESLIS_DATABASE_URL=… beslis serve (on each node)`);
  return 0;
}
