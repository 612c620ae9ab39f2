// Deciding a resident's case in the register (the try-it form and POST /api/v1/public/tables/{id}/evaluate): the
// version of the register's history valid on the case date decides, always with the public explanation.
//
// Nothing of the case is kept: the Evaluator used here has no evaluation log (so neither the inputs nor the outcome
// are written anywhere), and the caller counts the evaluation only (a counter per table and version in /metrics).
import { sourceText, sourceUrl } from '../engine/sources.ts';
import { StoreError } from '../store/errors.ts';
import { Evaluator, type Decision } from '../store/evaluation.ts';
import type { VersionMeta, VersionRecord } from '../store/records.ts';
import type { Store } from '../store/store.ts';
import { domainOf, validUntil, type Register } from './catalog.ts';
import { REGISTER_BASE } from './html.ts';
import { allSources } from './words.ts';

export function notInRegister(tableId: string): StoreError {
  return new StoreError('TABLE_NOT_FOUND', `no table '${tableId}' in the public register`);
}

export class PublicDecider {
  /** Its own Evaluator without a log: a public evaluation can never reach the evaluation log. */
  private readonly evaluator: Evaluator;

  constructor(
    store: Store,
    private readonly register: Register,
  ) {
    this.evaluator = new Evaluator(store, null, 100);
  }

  /** The decision with its explanation; 404 for a table not in the register or no version on the date. */
  decide(tableId: string, input: Record<string, unknown>, date?: string, types = false): Decision & { explanation: NonNullable<Decision['explanation']> } {
    const history = this.register.history(tableId);
    if (!history) throw notInRegister(tableId);
    const v = this.register.versionOn(tableId, date);
    if (!v) throw new StoreError('NO_VALID_VERSION', `no version of '${tableId}' is valid on ${date ?? this.register.today()}`, [], { date: date ?? this.register.today() });
    const decision = this.evaluator.evaluate(tableId, { input, date, version: v.version, explain: true, types });
    // A table the decision needed first must be in the register too, or its reasoning would show what is not public.
    for (const step of decision.steps ?? []) {
      if (!this.register.inForce(step.tableId)) throw new StoreError('TABLE_NOT_FOUND', `'${tableId}' needs '${step.tableId}', which is not in the public register`);
    }
    return decision as Decision & { explanation: NonNullable<Decision['explanation']> };
  }
}

/** A table of the register as the public API lists it. */
export function summaryOf(r: VersionRecord): Record<string, unknown> {
  const meta = r.table.meta ?? {};
  return {
    id: r.tableId,
    domain: domainOf(r.tableId),
    title: r.table.title,
    description: r.table.description ?? null,
    owner: meta.owner ?? null,
    version: r.version,
    validFrom: r.validFrom,
    reviewBy: meta.reviewBy ?? null,
    confidence: meta.confidence ?? null,
    links: { page: `${REGISTER_BASE}/tables/${r.tableId}`, self: `/api/v1/public/tables/${r.tableId}` },
  };
}

/** One version of the register's history: when it applies; never who wrote or approved it (people's names). */
export function historyEntry(history: readonly VersionMeta[], v: VersionMeta, inForce: number): Record<string, unknown> {
  return { version: v.version, validFrom: v.validFrom, validUntil: validUntil(history, v), inForce: v.version === inForce, publishedAt: v.publishedAt, hash: v.hash };
}

/** A version in full: the table as published, its sources with their links, and the history around it. */
export function detailOf(r: VersionRecord, history: readonly VersionMeta[], inForce: number): Record<string, unknown> {
  return {
    ...summaryOf(r),
    validUntil: validUntil(history, r),
    inForce: r.version === inForce,
    hash: r.hash,
    sources: allSources(r.table).map((ref) => ({ ...ref, text: sourceText(ref, 'nl'), url: sourceUrl(ref) })),
    table: r.table,
    history: history.map((v) => historyEntry(history, v, inForce)),
    links: { page: `${REGISTER_BASE}/tables/${r.tableId}${r.version === inForce ? '' : `/versions/${r.version}`}`, self: `/api/v1/public/tables/${r.tableId}/versions/${r.version}` },
  };
}
