// One scheduled backup off the request thread (VACUUM INTO of a large database takes seconds). Plain JavaScript
// because a worker thread does not inherit the main thread's TypeScript loader: it registers tsx, then runs
// backupDatabase from ./backup.ts and reports the result (or the error) to its parent.
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

register();
const { backupDatabase } = await import('./backup.ts');
try {
  parentPort.postMessage({ ok: true, report: backupDatabase(workerData.source, workerData.out) });
} catch (err) {
  parentPort.postMessage({ ok: false, code: err && err.code, message: String(err && err.message ? err.message : err) });
}
