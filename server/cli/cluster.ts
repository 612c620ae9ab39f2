// `beslis serve --workers N`: N server processes on one port (node:cluster) over the one SQLite database.
// Evaluation is stateless per request and the database is shared through WAL, so workers need no coordination
// beyond one rule: the first worker starts alone, so migrations, the first load and the first admin happen once.
import cluster, { type Worker } from 'node:cluster';

const RESTART_DELAY_MS = 1000;

export function isClusterWorker(): boolean {
  return cluster.isWorker;
}

/** A stopped worker lets go of the IPC channel to the primary, which would otherwise keep the process alive. */
export function leaveCluster(): void {
  if (cluster.isWorker) cluster.worker?.disconnect();
}

/** Runs in the primary process: forks the workers, restarts one that dies, stops them all on SIGINT/SIGTERM. */
export function runPrimary(count: number): Promise<number> {
  return new Promise<number>((done) => {
    let stopping = false;
    const fork = (): Worker => cluster.fork();
    const first = fork();
    first.once('listening', (address) => {
      console.log(`beslis: ${count} workers on port ${address.port}`);
      for (let i = 1; i < count; i++) fork();
    });
    cluster.on('exit', (worker, code, signal) => {
      if (stopping) {
        if (Object.keys(cluster.workers ?? {}).length === 0) done(0);
        return;
      }
      console.error(`beslis: worker ${worker.process.pid} stopped (${signal ?? code}); starting another`);
      setTimeout(fork, RESTART_DELAY_MS);
    });
    const stop = (signal: NodeJS.Signals) => {
      if (stopping) return;
      stopping = true;
      console.log(`beslis: ${signal}, stopping ${count} workers`);
      const workers = Object.values(cluster.workers ?? {});
      if (workers.length === 0) done(0);
      for (const w of workers) w?.kill('SIGTERM');
    };
    process.once('SIGINT', () => stop('SIGINT'));
    process.once('SIGTERM', () => stop('SIGTERM'));
  });
}
