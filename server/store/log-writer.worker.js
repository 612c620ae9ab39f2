// The evaluation log's writer thread: receives batches of evaluations from the request thread and commits
// each batch in one transaction on its own connection, so the disk work never runs on the request path.
// Plain JavaScript on purpose: a worker thread does not inherit the TypeScript loader of the main thread.
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import Database from 'better-sqlite3';
import { INSERT_EVALUATION_LOG, insertEvaluationLogRow, PURGE_EVALUATION_LOG_CHUNK } from './eval-log-sql.js';

const db = new Database(workerData.file);
db.pragma('busy_timeout = 10000');
db.pragma('journal_mode = WAL');
// NORMAL in WAL mode: a committed chunk survives a killed process; only a power cut may lose the last chunks.
// FULL (durability `sync`): every commit is on disk before it is acknowledged, a power cut included.
db.pragma(`synchronous = ${workerData.synchronous === 'FULL' ? 'FULL' : 'NORMAL'}`);

const insert = db.prepare(INSERT_EVALUATION_LOG);
const insertAll = db.transaction((rows) => {
  for (const r of rows) insertEvaluationLogRow(insert, r);
});
const purgeChunk = db.prepare(PURGE_EVALUATION_LOG_CHUNK);

parentPort.on('message', (msg) => {
  try {
    if (msg.type === 'rows') {
      const started = performance.now();
      const rows = JSON.parse(msg.json);
      insertAll(rows);
      // The time the chunk took tells the request thread how fast the log is being written (its backlog bound).
      parentPort.postMessage({ type: 'done', id: msg.id, written: rows.length, ms: performance.now() - started });
    } else if (msg.type === 'purge') {
      let total = 0;
      for (;;) {
        const n = db.transaction(() => purgeChunk.run(msg.before, 10000).changes)();
        total += n;
        if (n < 10000) break;
      }
      parentPort.postMessage({ type: 'done', id: msg.id, purged: total });
    } else if (msg.type === 'close') {
      db.close();
      parentPort.postMessage({ type: 'done', id: msg.id });
      parentPort.close();
    }
  } catch (err) {
    parentPort.postMessage({ type: 'failed', id: msg.id, message: String(err && err.message ? err.message : err) });
  }
});
