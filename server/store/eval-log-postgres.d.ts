// Types of eval-log-postgres.js (plain JavaScript, shared with the PostgreSQL log writer thread).
import type { EvaluationLogRow } from './records.ts';

export declare class PostgresLogWriter {
  constructor(url: string, opts?: { durability?: 'async' | 'sync'; applicationName?: string });
  write(rows: readonly EvaluationLogRow[]): Promise<number>;
  purge(before: string, chunk?: number): Promise<number>;
  close(): Promise<void>;
}
