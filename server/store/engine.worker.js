// A worker thread for engine work that must not run on the request thread: checking untrusted tables (with a
// time budget the parent enforces by terminating this thread) and replaying the evaluation log for impact and
// stats. Plain JavaScript because a worker thread does not inherit the main thread's TypeScript loader: it
// registers tsx itself and then loads the tasks (worker-tasks.ts).
import { readlinkSync } from 'node:fs';
import { setPriority } from 'node:os';
import { parentPort, workerData } from 'node:worker_threads';
import { register } from 'tsx/esm/api';

// Background work yields the CPU to the request thread: on Linux the nice value is per thread, so this lowers the
// priority of this thread only (where the system does not allow it, the thread simply keeps the normal priority).
if (workerData && typeof workerData.nice === 'number') {
  try {
    setPriority(workerData.nice);
  } catch {
    // not permitted here: run at the normal priority
  }
}

register();
const { runTask } = await import('./worker-tasks.ts');

parentPort.on('message', async (msg) => {
  let result;
  try {
    // A task that reads PostgreSQL answers a promise; the parent sends the next task only after this one answered.
    result = await runTask(msg.task, msg.payload);
  } catch (err) {
    const e = err && typeof err === 'object' ? err : { message: String(err) };
    parentPort.postMessage({ id: msg.id, ok: false, error: { name: e.name, code: e.code, message: e.message, details: e.details, extra: e.extra } });
    return;
  }
  parentPort.postMessage({ id: msg.id, ok: true, result });
});
// This thread's id on Linux (/proc/thread-self → /proc/<pid>/task/<tid>), so the parent can read the CPU time the
// thread itself has used: a budget then counts work, not the time other processes took the CPU away.
let tid = null;
try {
  tid = Number(readlinkSync('/proc/thread-self').split('/').pop()) || null;
} catch {
  // not Linux: the parent counts wall-clock time
}
parentPort.postMessage({ ready: true, tid });
