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
