import type { EvaluationLog } from '../store/eval-log.ts';
import type { Evaluator } from '../store/evaluation.ts';
import type { Store } from '../store/store.ts';
import type { TableChecker } from '../store/table-check.ts';
import type { AccessControl } from './actor.ts';

/** What the routers share. */
export interface ApiContext {
  store: Store;
  evaluator: Evaluator;
  log: EvaluationLog | null;
  access: AccessControl;
  /** Checks untrusted tables off the request thread, within a time budget. */
  checker: TableChecker;
  /** The package version, for /api/health and the OpenAPI document. */
  version: string;
}
