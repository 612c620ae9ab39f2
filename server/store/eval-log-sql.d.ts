// Types of eval-log-sql.js (plain JavaScript, shared with the log writer threads).
import type Database from 'better-sqlite3';
import type { EvaluationLogRow } from './records.ts';

export declare const INSERT_EVALUATION_LOG: string;
export declare const PURGE_EVALUATION_LOG_CHUNK: string;
export declare function insertEvaluationLogRow(stmt: Database.Statement, row: EvaluationLogRow): void;

export declare const INSERT_EVALUATION_LOG_POSTGRES: string;
export declare function evaluationLogColumns(rows: readonly EvaluationLogRow[]): (string | number | null)[][];
export declare function logMonths(rows: readonly EvaluationLogRow[]): { needed: string[]; ahead: string | null };
export declare const ENSURE_LOG_PARTITIONS_POSTGRES: string;
export declare const PURGE_LOG_PARTITIONS_POSTGRES: string;
export declare const PURGE_EVALUATION_LOG_CHUNK_POSTGRES: string;
export declare const NO_PARTITION_CODE: string;
