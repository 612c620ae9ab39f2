// The records the store keeps and hands out: versions, drafts, fixture sets, audit entries and evaluation log rows.
// A leaf module (it imports only the engine's table type), so every store module can name these types without
// importing the Store class, and the Store can import those modules without a circle.
import type { DecisionTable } from '../engine/types.ts';

export interface VersionMeta {
  tableId: string;
  version: number;
  validFrom: string;
  publishedAt: string;
  author: string;
  approvedBy: string | null;
  note: string | null;
  hash: string;
  /** Who ran the import that brought this version in; null when it was approved in this database. */
  importedBy: string | null;
}

/** A published archive of a table: from `validFrom` on no version older than it decides cases (docs/api.md, "Archiving"). */
export interface ArchiveRecord {
  id: number;
  tableId: string;
  validFrom: string;
  publishedAt: string;
  requestedBy: string;
  approvedBy: string;
  note: string;
}

/** A request to archive a table, waiting for a second person; `id` is the revision an approver names. */
export interface ArchiveRequest {
  id: number;
  tableId: string;
  validFrom: string;
  note: string;
  requestedAt: string;
  requestedBy: string;
}

export interface VersionRecord extends VersionMeta {
  table: DecisionTable;
}

export type DraftStatus = 'editing' | 'submitted';

export interface DraftRecord {
  tableId: string;
  revision: number;
  table: DecisionTable;
  fixtures: FixtureSet | null;
  baseVersion: number | null;
  status: DraftStatus;
  validFrom: string | null;
  note: string | null;
  createdAt: string;
  createdBy: string;
  updatedAt: string;
  updatedBy: string;
  submittedAt: string | null;
  submittedBy: string | null;
  /** What the gate told the approver at submission (warnings, a back-dating reason); null before a submission. */
  submission: DraftSubmission | null;
  /** The last rejection of this draft (kept until it is published or discarded, so the author sees why). */
  rejectedAt: string | null;
  rejectedBy: string | null;
  rejectionReason: string | null;
}

/** What the submission of a draft recorded for the approver. */
export interface DraftSubmission {
  warnings: string[];
  fixtures: { cases: number; passed: number; source: 'table' | 'draft' };
  /** Set when validFrom lies before the day of submission (met terugwerkende kracht): why. */
  retroactiveReason?: string;
}

export interface DraftComment {
  id: number;
  tableId: string;
  /** The draft revision the comment was written on. */
  revision: number;
  at: string;
  author: string;
  text: string;
}

/** A fixture file (docs/contracts.md). The fixtures work owns the case format; the store keeps the set as JSON. */
export interface FixtureSet {
  table: string;
  cases: Record<string, unknown>[];
  [key: string]: unknown;
}

export interface FixtureRecord {
  tableId: string;
  revision: number;
  fixtures: FixtureSet;
  hash: string;
  updatedAt: string;
  updatedBy: string;
}

export interface AuditEntry {
  id: number;
  at: string;
  actor: string;
  action: string;
  tableId: string | null;
  version: number | null;
  detail: Record<string, unknown>;
  prevHash: string;
  hash: string;
}

export interface NewVersion {
  tableId: string;
  /** The table as published: `version` and `validFrom` inside it must match (they are set here when absent). */
  table: DecisionTable;
  version: number;
  validFrom: string;
  publishedAt?: string;
  author: string;
  approvedBy?: string | null;
  note?: string | null;
  /** Who ran the import (versions loaded from files). */
  importedBy?: string | null;
  /** The publication time the files claimed, when it is not the one recorded (an import into a database with history). */
  claimedPublishedAt?: string;
}

export interface EvaluationLogRow {
  tableId: string;
  version: number;
  hash: string;
  input: unknown;
  output: unknown;
  matched: string[];
  caseDate: string | null;
  asOf: string | null;
  caller: string | null;
  evaluatedAt: string;
}

/** A draft is not a version yet: `version` and `validFrom` are set when it is published. */
export function stripPublication(table: DecisionTable): DecisionTable {
  const { version: _v, validFrom: _f, ...rest } = table;
  return rest as DecisionTable;
}
