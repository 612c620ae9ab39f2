// The evaluation log's writer thread on PostgreSQL: the same messages as log-writer.worker.js (rows, purge, close),
// answered one after another on the dedicated connection of a PostgresLogWriter (eval-log-postgres.js). Parsing the
// chunk and building the column arrays happen here, not on the request thread.
// Plain JavaScript on purpose: a worker thread does not inherit the TypeScript loader of the main thread.
import { performance } from 'node:perf_hooks';
import { parentPort, workerData } from 'node:worker_threads';
import { PostgresLogWriter } from './eval-log-postgres.js';

const writer = new PostgresLogWriter(workerData.url, { durability: workerData.durability });

async function handle(msg) {
  try {
    if (msg.type === 'rows') {
      const started = performance.now();
      const rows = JSON.parse(msg.json);
      const written = await writer.write(rows);
      // The time the chunk took tells the request thread how fast the log is being written (its backlog bound).
      parentPort.postMessage({ type: 'done', id: msg.id, written, ms: performance.now() - started });
    } else if (msg.type === 'purge') {
      parentPort.postMessage({ type: 'done', id: msg.id, purged: await writer.purge(msg.before) });
    } else if (msg.type === 'close') {
      await writer.close();
      parentPort.postMessage({ type: 'done', id: msg.id });
      parentPort.close();
    }
  } catch (err) {
    parentPort.postMessage({ type: 'failed', id: msg.id, message: String(err && err.message ? err.message : err) });
  }
}

// One chunk at a time, in the order sent: each chunk's time is its own, and rows commit in the order they came.
let previous = Promise.resolve();
parentPort.on('message', (msg) => {
  previous = previous.then(() => handle(msg));
});
