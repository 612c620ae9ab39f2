// What the server counts for the operator's monitoring, in the Prometheus text format (prom-client). One registry
// per running server (not prom-client's global one), so servers started side by side in one process (tests) keep
// their own figures. Counting on the request path is a label lookup and an addition; everything that needs the
// database or the file system (its size, the evaluation log's queue) is read only when /metrics is scraped.
//
// Under `beslis serve --workers N` every worker counts its own requests; the worker that receives a scrape asks the
// primary, which collects every worker's figures with prom-client's AggregatorRegistry and sums them (gauges of one
// shared thing, such as the database's size, take the largest value instead). So one scrape gives the whole
// server's figures. A worker that is replaced starts its counters at zero; Prometheus's rate() treats that as a
// counter reset.
import cluster from 'node:cluster';
import { statSync } from 'node:fs';
import { AggregatorRegistry, collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { EvaluationLog } from '../store/eval-log.ts';
import { isPostgresTarget } from '../store/store.ts';

/** The message a worker sends the primary for the cluster's figures, and the primary's answer. */
export const CLUSTER_METRICS_REQUEST = 'beslis:metrics-request';
export const CLUSTER_METRICS_ANSWER = 'beslis:metrics-answer';

export interface MetricsSources {
  /** The database file (its size, with the -wal file, is a gauge), or a PostgreSQL URL (no gauge). */
  dbFile: string;
  log: EvaluationLog | null;
}

/** Seconds; evaluations take well under a millisecond of work, so the small buckets matter. */
const LATENCY_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5];

export class Metrics {
  readonly registry = new Registry();
  private readonly requests: Counter<'method' | 'route' | 'status'>;
  private readonly evaluateSeconds: Histogram<'table' | 'kind'>;
  private readonly evaluations: Counter<'table' | 'version'>;
  private readonly fixtureRuns: Counter<'outcome'>;
  private readonly gate: Counter<'step' | 'outcome'>;
  private readonly logins: Counter<'outcome'>;

  constructor(sources: MetricsSources) {
    const registers = [this.registry];
    this.requests = new Counter({
      name: 'beslis_http_requests_total',
      help: 'HTTP requests answered, by method, route pattern (not the raw address) and status',
      labelNames: ['method', 'route', 'status'],
      registers,
    });
    this.evaluateSeconds = new Histogram({
      name: 'beslis_evaluate_duration_seconds',
      help: 'Time from receiving an evaluate request to its answer, for answered (200) requests, by table; kind single or batch',
      labelNames: ['table', 'kind'],
      buckets: LATENCY_BUCKETS,
      registers,
    });
    this.evaluations = new Counter({
      name: 'beslis_evaluations_total',
      help: 'Cases decided, by table and the version that decided them (a batch counts each case)',
      labelNames: ['table', 'version'],
      registers,
    });
    this.fixtureRuns = new Counter({
      name: 'beslis_fixture_runs_total',
      help: 'Fixture runs through the API, by outcome (passed: every case passed; failed: at least one did not)',
      labelNames: ['outcome'],
      registers,
    });
    this.gate = new Counter({
      name: 'beslis_publish_gate_total',
      help: 'Drafts through the publish gate: step submit or approve, outcome passed or blocked (422)',
      labelNames: ['step', 'outcome'],
      registers,
    });
    this.logins = new Counter({
      name: 'beslis_logins_total',
      help: 'Login attempts by outcome: ok, failed (wrong name or password) or locked (refused by the lockout, 429)',
      labelNames: ['outcome'],
      registers,
    });
    const { log, dbFile } = sources;
    new Gauge({
      name: 'beslis_evaluation_log_queue_rows',
      help: 'Evaluations waiting to be committed to the evaluation log',
      registers,
      aggregator: 'sum',
      collect() {
        this.set(log?.pendingRows ?? 0);
      },
    });
    new Gauge({
      name: 'beslis_evaluation_log_lag_seconds',
      help: 'How long the oldest evaluation not yet committed to the log has waited (0: all committed)',
      registers,
      aggregator: 'max',
      collect() {
        this.set((log?.lagMs ?? 0) / 1000);
      },
    });
    new Gauge({
      name: 'beslis_evaluation_log_failed_rows',
      help: 'Evaluations this process could not commit to the log since it started (each also reported on stderr)',
      registers,
      aggregator: 'sum',
      collect() {
        this.set(log?.failed ?? 0);
      },
    });
    // A PostgreSQL database is no file here: its size is the database server's to report (pg_database_size).
    if (!isPostgresTarget(dbFile)) {
      new Gauge({
        name: 'beslis_database_bytes',
        help: 'Size of the database file and its write-ahead log',
        registers,
        // Every worker sees the same file: the largest reading, not the sum.
        aggregator: 'max',
        collect() {
          this.set(fileSize(dbFile) + fileSize(`${dbFile}-wal`));
        },
      });
    }
    collectDefaultMetrics({ register: this.registry, prefix: 'beslis_' });
    if (cluster.isWorker) {
      // The primary collects these figures from every worker (see runPrimary).
      new AggregatorRegistry();
      AggregatorRegistry.setRegistries([this.registry]);
    }
  }

  /** One answered request. `route` is the route pattern; `seconds` its duration. */
  request(method: string, route: string, status: number, seconds: number, tableId: string | undefined): void {
    this.requests.inc({ method, route, status });
    if (status === 200 && tableId !== undefined) {
      if (route === '/api/v1/evaluate/:tableId') this.evaluateSeconds.observe({ table: tableId, kind: 'single' }, seconds);
      else if (route === '/api/v1/evaluate/:tableId/batch') this.evaluateSeconds.observe({ table: tableId, kind: 'batch' }, seconds);
    }
    if (method !== 'POST') return;
    if (route === '/api/v1/auth/login') {
      const outcome = status === 200 ? 'ok' : status === 401 ? 'failed' : status === 429 ? 'locked' : null;
      if (outcome) this.logins.inc({ outcome });
    } else if (route === '/api/v1/tables/:id/draft/submit' || route === '/api/v1/tables/:id/draft/approve') {
      const outcome = status === 200 ? 'passed' : status === 422 ? 'blocked' : null;
      if (outcome) this.gate.inc({ step: route.endsWith('submit') ? 'submit' : 'approve', outcome });
    }
  }

  evaluated(tableId: string, version: number): void {
    this.evaluations.inc({ table: tableId, version });
  }

  fixtureRun(failedCases: number): void {
    this.fixtureRuns.inc({ outcome: failedCases > 0 ? 'failed' : 'passed' });
  }

  /** This process's figures; in a cluster worker, the whole cluster's (asked of the primary). */
  async text(): Promise<string> {
    if (cluster.isWorker && process.send) {
      try {
        return await askPrimary();
      } catch {
        // The primary did not answer (it is stopping): this worker's own figures are better than none.
      }
    }
    return this.registry.metrics();
  }

  get contentType(): string {
    return this.registry.contentType;
  }
}

/** What the scheduled backups report (registered only where the schedule runs: the single process, or the primary). */
export class BackupMetrics {
  private readonly last: Gauge;
  private readonly bytes: Gauge;
  private readonly runs: Counter<'outcome'>;

  constructor(registry: Registry) {
    const registers = [registry];
    this.last = new Gauge({ name: 'beslis_backup_last_success_timestamp_seconds', help: 'When the last scheduled backup was written (Unix time; 0: none yet)', registers });
    this.bytes = new Gauge({ name: 'beslis_backup_last_bytes', help: 'Size of the last scheduled backup', registers });
    this.runs = new Counter({ name: 'beslis_backups_total', help: 'Scheduled backups by outcome (ok, failed)', labelNames: ['outcome'], registers });
    this.runs.inc({ outcome: 'ok' }, 0);
    this.runs.inc({ outcome: 'failed' }, 0);
  }

  written(bytes: number, at = Date.now()): void {
    this.last.set(at / 1000);
    this.bytes.set(bytes);
    this.runs.inc({ outcome: 'ok' });
  }

  failed(): void {
    this.runs.inc({ outcome: 'failed' });
  }
}

function fileSize(file: string): number {
  try {
    return statSync(file).size;
  } catch {
    return 0;
  }
}

let nextRequest = 1;

function askPrimary(): Promise<string> {
  const id = nextRequest++;
  return new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => {
      process.off('message', onMessage);
      reject(new Error('the primary did not answer'));
    }, 6_000);
    const onMessage = (msg: unknown) => {
      const m = msg as { type?: string; id?: number; text?: string; error?: string };
      if (m?.type !== CLUSTER_METRICS_ANSWER || m.id !== id) return;
      clearTimeout(timer);
      process.off('message', onMessage);
      if (typeof m.text === 'string') resolve(m.text);
      else reject(new Error(m.error ?? 'no metrics'));
    };
    process.on('message', onMessage);
    process.send!({ type: CLUSTER_METRICS_REQUEST, id });
  });
}

/** In the primary: answers a worker's request with every worker's figures aggregated, and the primary's own (`own`). */
export function serveClusterMetrics(own: Registry): void {
  const aggregator = new AggregatorRegistry();
  cluster.on('message', (worker, msg: { type?: string; id?: number }) => {
    if (msg?.type !== CLUSTER_METRICS_REQUEST) return;
    Promise.all([aggregator.clusterMetrics(), own.metrics()]).then(
      ([workers, primary]) => `${workers.trimEnd()}\n${primary}`,
    ).then(
      (text) => worker.isConnected() && worker.send({ type: CLUSTER_METRICS_ANSWER, id: msg.id, text }),
      (err: Error) => worker.isConnected() && worker.send({ type: CLUSTER_METRICS_ANSWER, id: msg.id, error: err.message }),
    );
  });
}
