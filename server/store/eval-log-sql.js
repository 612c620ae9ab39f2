// The evaluation log's SQL, shared by the Store (inline writes, TypeScript) and the writer thread
// (log-writer.worker.js). Plain JavaScript because the worker thread runs without the TypeScript loader;
// eval-log-sql.d.ts gives the types to the TypeScript side.

/** Inserts one evaluation; bind it with `insertEvaluationLogRow`. */
export const INSERT_EVALUATION_LOG = `INSERT INTO evaluation_log (table_id, version, hash, input, output, matched, case_date, as_of, caller, evaluated_at)
   VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`;

/** Deletes up to `?` (second parameter) rows evaluated before `?` (first parameter, ISO timestamp). */
export const PURGE_EVALUATION_LOG_CHUNK = 'DELETE FROM evaluation_log WHERE id IN (SELECT id FROM evaluation_log WHERE evaluated_at < ? LIMIT ?)';

/** Runs the prepared INSERT_EVALUATION_LOG statement for one row (no array built per row: this is the hot loop). */
export function insertEvaluationLogRow(stmt, r) {
  stmt.run(
    r.tableId,
    r.version,
    r.hash,
    JSON.stringify(r.input),
    r.output === undefined ? null : JSON.stringify(r.output),
    JSON.stringify(r.matched),
    r.caseDate,
    r.asOf,
    r.caller,
    r.evaluatedAt,
  );
}

// ---- PostgreSQL (eval-log-postgres-schema.ts: monthly partitions) ----

/** Inserts a whole chunk in one statement: one array per column ($1…$10), bound with `evaluationLogColumns`. */
export const INSERT_EVALUATION_LOG_POSTGRES = `INSERT INTO evaluation_log (table_id, version, hash, input, output, matched, case_date, as_of, caller, evaluated_at)
   SELECT * FROM unnest($1::text[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[], $10::text[])`;

/** The ten column arrays of INSERT_EVALUATION_LOG_POSTGRES, with the texts the SQLite statement writes. */
export function evaluationLogColumns(rows) {
  const n = rows.length;
  const cols = Array.from({ length: 10 }, () => new Array(n));
  for (let i = 0; i < n; i++) {
    const r = rows[i];
    cols[0][i] = r.tableId;
    cols[1][i] = r.version;
    cols[2][i] = r.hash;
    cols[3][i] = JSON.stringify(r.input);
    cols[4][i] = r.output === undefined ? null : JSON.stringify(r.output);
    cols[5][i] = JSON.stringify(r.matched);
    cols[6][i] = r.caseDate;
    cols[7][i] = r.asOf;
    cols[8][i] = r.caller;
    cols[9][i] = r.evaluatedAt;
  }
  return cols;
}

/** The months ('YYYY-MM') the rows fall in, and the month after the last of them (a partition made ahead). */
export function logMonths(rows) {
  const months = new Set();
  for (const r of rows) months.add(r.evaluatedAt.slice(0, 7));
  const last = [...months].sort().pop();
  let ahead = null;
  if (last) {
    const y = Number(last.slice(0, 4));
    const m = Number(last.slice(5, 7));
    ahead = m === 12 ? `${String(y + 1).padStart(4, '0')}-01` : `${last.slice(0, 4)}-${String(m + 1).padStart(2, '0')}`;
  }
  return { needed: [...months], ahead };
}

/** Makes the partitions of the months asked for (eval-log-postgres-schema.ts); $1 needed, $2 ahead. */
export const ENSURE_LOG_PARTITIONS_POSTGRES = 'SELECT beslis_log_partitions($1::text[], $2::text[]) AS made';

/** Drops the partitions wholly before $1; answers the rows they held. */
export const PURGE_LOG_PARTITIONS_POSTGRES = 'SELECT beslis_purge_log_partitions($1) AS purged';

/**
 * Deletes up to $3 rows of the boundary month ($2, its first instant 'YYYY-MM') evaluated before $1. Older months go
 * by dropping their partitions only: when a drop has to wait (a long read holds the log), they stay for the next purge
 * rather than be deleted row by row.
 */
export const PURGE_EVALUATION_LOG_CHUNK_POSTGRES = `DELETE FROM evaluation_log WHERE evaluated_at >= $2 AND evaluated_at < $1 AND (id, evaluated_at) IN
   (SELECT id, evaluated_at FROM evaluation_log WHERE evaluated_at >= $2 AND evaluated_at < $1 LIMIT $3)`;

/** PostgreSQL's answer to a row no partition takes (its month's partition is missing). */
export const NO_PARTITION_CODE = '23514';
