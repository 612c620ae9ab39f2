// Turns the rules that matched into the table's result, per DMN 1.5 hit policy.
import { HitPolicyError } from './errors.ts';
import type { Aggregation, HitPolicy, OutputColumn, OutputRecord, JsonValue } from './types.ts';
import { compare, Dec, equals, fromJson, isNumber, type FeelValue } from './values.ts';

export interface HitContext {
  policy: HitPolicy;
  aggregation: Aggregation | undefined;
  outputs: readonly OutputColumn[];
  ruleIds: readonly string[];
  /** Output record of a matched rule (computed lazily: only matched rules pay for it). */
  outputOf(rule: number): OutputRecord;
  /**
   * The FEEL value of a matched rule's first output, before it became JSON: aggregations compare durations, dates and
   * decimals as values (`P10D` > `P2D`), which their JSON text does not.
   */
  valueOf(rule: number): FeelValue;
  /** The defaults record, or null when no output has a default. */
  defaults: OutputRecord | null;
}

/** Whether the policy may stop at the first match. */
export function stopsAtFirst(policy: HitPolicy): boolean {
  return policy === 'FIRST';
}

function sameOutput(a: OutputRecord, b: OutputRecord, outputs: readonly OutputColumn[]): boolean {
  return outputs.every((o) => equals(fromJson(a[o.name] ?? null), fromJson(b[o.name] ?? null)) === true);
}

/** Rank of each output value in its column's `values` (0 = highest); values not listed rank after all listed ones. */
function priorityKey(record: OutputRecord, outputs: readonly OutputColumn[]): number[] {
  const key: number[] = [];
  for (const o of outputs) {
    if (!o.values || o.values.length === 0) continue;
    const v = fromJson(record[o.name] ?? null);
    const i = o.values.findIndex((allowed) => equals(fromJson(allowed), v) === true);
    key.push(i < 0 ? o.values.length : i);
  }
  return key;
}

function byPriority(a: number[], b: number[]): number {
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return a[i]! - b[i]!;
  return 0;
}

function aggregate(aggregation: Aggregation, rules: readonly number[], ctx: HitContext, name: string): JsonValue {
  if (aggregation === 'COUNT') return rules.length;
  if (rules.length === 0) return null;
  const feel = rules.map((r) => ctx.valueOf(r));
  if (aggregation === 'SUM') {
    if (!feel.every(isNumber)) return null;
    return (feel as (number | InstanceType<typeof Dec>)[]).reduce<InstanceType<typeof Dec>>((acc, v) => acc.plus(v), new Dec(0)).toNumber();
  }
  let best = 0;
  for (let i = 1; i < feel.length; i++) {
    const c = compare(feel[i]!, feel[best]!);
    if (c === null) return null;
    if (aggregation === 'MIN' ? c < 0 : c > 0) best = i;
  }
  return ctx.outputOf(rules[best]!)[name] ?? null;
}

export function applyHitPolicy(ctx: HitContext, matched: readonly number[]): OutputRecord | OutputRecord[] | null {
  const { policy, outputs } = ctx;
  if (matched.length === 0) return noMatch(ctx);
  switch (policy) {
    case 'UNIQUE':
      if (matched.length > 1) {
        const ids = matched.map((r) => ctx.ruleIds[r]!);
        throw new HitPolicyError('HIT_UNIQUE_MULTIPLE', ids);
      }
      return ctx.outputOf(matched[0]!);
    case 'FIRST':
      return ctx.outputOf(matched[0]!);
    case 'ANY': {
      const first = ctx.outputOf(matched[0]!);
      const differing = matched.filter((r) => !sameOutput(first, ctx.outputOf(r), outputs));
      if (differing.length > 0) {
        const ids = [matched[0]!, ...differing].map((r) => ctx.ruleIds[r]!);
        throw new HitPolicyError('HIT_ANY_DISAGREE', ids);
      }
      return first;
    }
    case 'PRIORITY': {
      const ranked = matched.map((r) => ({ r, key: priorityKey(ctx.outputOf(r), outputs) }));
      ranked.sort((a, b) => byPriority(a.key, b.key) || a.r - b.r);
      return ctx.outputOf(ranked[0]!.r);
    }
    case 'RULE ORDER':
      return matched.map((r) => ctx.outputOf(r));
    case 'OUTPUT ORDER': {
      const ranked = matched.map((r) => ({ r, key: priorityKey(ctx.outputOf(r), outputs) }));
      ranked.sort((a, b) => byPriority(a.key, b.key) || a.r - b.r);
      return ranked.map(({ r }) => ctx.outputOf(r));
    }
    case 'COLLECT': {
      if (!ctx.aggregation) return matched.map((r) => ctx.outputOf(r));
      const name = outputs[0]!.name;
      return { [name]: aggregate(ctx.aggregation, matched, ctx, name) };
    }
  }
}

function noMatch(ctx: HitContext): OutputRecord | OutputRecord[] | null {
  const { policy, aggregation, defaults, outputs } = ctx;
  const single = policy === 'UNIQUE' || policy === 'ANY' || policy === 'PRIORITY' || policy === 'FIRST';
  if (policy === 'COLLECT' && aggregation) {
    if (defaults) return defaults;
    return aggregation === 'COUNT' ? { [outputs[0]!.name]: 0 } : null;
  }
  if (single) return defaults;
  return defaults ? [defaults] : [];
}
