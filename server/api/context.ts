import type { EvaluationLog } from '../store/eval-log.ts';
import type { Evaluator } from '../store/evaluation.ts';
import type { Store } from '../store/store.ts';
import type { EngineWorker } from '../store/engine-worker.ts';
import type { TableChecker } from '../store/table-check.ts';
import type { Logger } from 'pino';
import type { AccessControl } from './actor.ts';
import type { Metrics } from './metrics.ts';

/** What the routers share. */
export interface ApiContext {
  store: Store;
  evaluator: Evaluator;
  log: EvaluationLog | null;
  access: AccessControl;
  /** Checks untrusted tables off the request thread, within a time budget. */
  checker: TableChecker;
  /** Replays and counts the evaluation log (impact, stats) in a thread of its own; null: on the request thread. */
  logWorker?: EngineWorker | null;
  /** The package version, for /api/v1/health and the OpenAPI document. */
  version: string;
  /** The figures of /metrics (none: /metrics answers 404). */
  metrics?: Metrics | null;
  /** One JSON line per request (none: no request log). */
  logger?: Logger | null;
  /** True once the server is shutting down: readiness answers 503 so a load balancer stops sending. */
  stopping?: () => boolean;
}
