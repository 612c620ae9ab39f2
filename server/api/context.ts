import type { EvaluationLog } from '../store/eval-log.ts';
import type { Evaluator } from '../store/evaluation.ts';
import type { Store } from '../store/store.ts';
import type { AccessControl } from './actor.ts';

/** What the routers share. */
export interface ApiContext {
  store: Store;
  evaluator: Evaluator;
  log: EvaluationLog | null;
  access: AccessControl;
  /** The package version, for /api/health and the OpenAPI document. */
  version: string;
}
