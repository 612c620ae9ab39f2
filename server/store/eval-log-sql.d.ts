// Types of eval-log-sql.js (plain JavaScript, shared with the log writer thread).
import type Database from 'better-sqlite3';
import type { EvaluationLogRow } from './records.ts';

export declare const INSERT_EVALUATION_LOG: string;
export declare const PURGE_EVALUATION_LOG_CHUNK: string;
export declare function insertEvaluationLogRow(stmt: Database.Statement, row: EvaluationLogRow): void;
