// A reasoned explanation of a decision (Awb 3:46: a decision rests on a reasoning a resident can follow), in Dutch and
// English, from the decision's trace: the outcome, the rule that decided and why — the conditions that held, each
// told in words built from the column's label and its cell (`[1..5]` is "tussen 1 en 5", `>= 10` "10 of meer") —,
// the rule's note, the sources of the table, the rule and its columns, and the version with its start date; for a
// chain each step. The text is meant to be pasted into a decision letter, so it never shows FEEL: a cell this module
// cannot put into words is told neutrally ("voldoet aan de voorwaarde van deze regel"), with the value it read.
// Pure: no Node or DOM (the server and the editor both use it).
import type { Expr, Test } from './ast.ts';
import { compileExpr, isConstant } from './feel.ts';
import { coercerFor } from './input.ts';
import { parseExpression, parseUnaryTests } from './parser.ts';
import { sourceLine, type Lang } from './sources.ts';
import type { ColumnType, DecisionTable, EvaluationResult, InputColumn, JsonValue, OutputColumn, OutputRecord, RuleTrace, SourceRef } from './types.ts';
import { fromJson, toJson, type FeelContext } from './values.ts';

/** One table's part of a decision: the table, the version that ran and its result with the trace. */
export interface ExplainStep {
  table: DecisionTable;
  /** The version that ran and the day it took effect (the store's; else the table's own). */
  version?: number;
  validFrom?: string;
  result: EvaluationResult;
}

export interface Explanation {
  nl: string;
  en: string;
}

/** The explanation of a decision: its steps in the order they were decided, the one asked for last. */
export function explainDecision(steps: readonly ExplainStep[]): Explanation {
  return { nl: explainIn(steps, 'nl'), en: explainIn(steps, 'en') };
}

function explainIn(steps: readonly ExplainStep[], lang: Lang): string {
  if (steps.length === 1) return explainStep(steps[0]!, lang).join('\n');
  const parts: string[] = [];
  parts.push(
    lang === 'nl'
      ? `Dit besluit is in ${steps.length} stappen genomen: eerst ${list(steps.slice(0, -1).map((s) => `„${s.table.title}”`), 'nl')}, waarvan de uitkomst is gebruikt in „${steps.at(-1)!.table.title}”.`
      : `This decision was taken in ${steps.length} steps: first ${list(steps.slice(0, -1).map((s) => `“${s.table.title}”`), 'en')}, whose outcome was used in “${steps.at(-1)!.table.title}”.`,
  );
  steps.forEach((s, i) => {
    parts.push('');
    parts.push(lang === 'nl' ? `Stap ${i + 1} van ${steps.length}` : `Step ${i + 1} of ${steps.length}`);
    parts.push(...explainStep(s, lang));
  });
  return parts.join('\n');
}

// ---------------------------------------------------------------------------------------------------------------
// One table

interface Words {
  decision: string;
  version: string;
  outcome: string;
  noOutcome: string;
  because: string;
  note: string;
  sources: string;
  rule: string;
}

const WORDS: Record<Lang, Words> = {
  nl: { decision: 'Besluit', version: 'versie', outcome: 'Uitkomst', noOutcome: 'geen uitkomst', because: 'omdat', note: 'Toelichting', sources: 'Grondslag', rule: 'regel' },
  en: { decision: 'Decision', version: 'version', outcome: 'Outcome', noOutcome: 'no outcome', because: 'because', note: 'Note', sources: 'Legal basis', rule: 'rule' },
};

function explainStep(step: ExplainStep, lang: Lang): string[] {
  const { table, result } = step;
  const w = WORDS[lang];
  const lines: string[] = [];
  const version = step.version ?? table.version;
  const validFrom = step.validFrom ?? table.validFrom;
  const when = [version !== undefined ? `${w.version} ${version}` : '', validFrom ? (lang === 'nl' ? `geldig vanaf ${dateWords(validFrom, 'nl')}` : `valid from ${dateWords(validFrom, 'en')}`) : '']
    .filter(Boolean)
    .join(', ');
  lines.push(`${w.decision}: ${table.title}${when ? `, ${when}` : ''}.`);

  const trace = result.trace ?? [];
  const scope = scopeOf(trace);
  const policy = table.hitPolicy ?? 'UNIQUE';
  const matched = result.matched.map((id) => trace.find((t) => t.ruleId === id)).filter((t): t is RuleTrace => t !== undefined);
  const output = result.output;

  // What came out, and in the policy's words which rules made it.
  if (Array.isArray(output) || (policy === 'COLLECT' && table.aggregation)) {
    lines.push(...collected(step, matched, scope, lang));
  } else {
    lines.push(`${w.outcome}: ${output === null ? w.noOutcome : recordWords(output, table.outputs, lang)}.`);
    if (matched.length === 0) {
      lines.push(noRuleWords(table, output !== null, lang));
    } else {
      const decided = decidingRule(step, matched, scope);
      lines.push(`${singleWords(table, matched, decided, lang)} ${reasonWords(table, decided, lang)}.`);
      const note = table.rules[decided.index]?.note;
      if (note) lines.push(`${WORDS[lang].note}: ${note}`);
      // Under FIRST the rules before the deciding one count too: they did not apply.
      if ((table.hitPolicy ?? 'UNIQUE') === 'FIRST' && decided.index > 0) {
        const n = decided.index;
        lines.push(lang === 'nl' ? (n === 1 ? 'De regel ervoor is niet van toepassing.' : `De ${n} regels ervoor zijn niet van toepassing.`) : n === 1 ? 'The rule before it does not apply.' : `The ${n} rules before it do not apply.`);
      }
    }
  }
  lines.push(...sourceLines(table, matched, lang));
  return lines;
}

/** The rule whose output is the result: the first matched one, or for PRIORITY the one ranked highest. */
function decidingRule(step: ExplainStep, matched: RuleTrace[], scope: Record<string, JsonValue>): RuleTrace {
  const { table, result } = step;
  if ((table.hitPolicy ?? 'UNIQUE') !== 'PRIORITY' || matched.length === 1 || Array.isArray(result.output) || result.output === null) return matched[0]!;
  const out = result.output;
  return matched.find((m) => sameRecord(ruleOutput(table, m, scope), out, table.outputs)) ?? matched[0]!;
}

function singleWords(table: DecisionTable, matched: RuleTrace[], decided: RuleTrace, lang: Lang): string {
  const id = decided.ruleId;
  const others = matched.filter((m) => m !== decided).map((m) => m.ruleId);
  switch (table.hitPolicy ?? 'UNIQUE') {
    case 'FIRST':
      return lang === 'nl'
        ? `De regels worden op volgorde bekeken; de eerste die van toepassing is, beslist: regel ${id}, ${WORDS.nl.because}`
        : `The rules are considered in order; the first that applies decides: rule ${id}, ${WORDS.en.because}`;
    case 'PRIORITY':
      if (others.length === 0) return lang === 'nl' ? `Eén regel is van toepassing: regel ${id}, ${WORDS.nl.because}` : `One rule applies: rule ${id}, ${WORDS.en.because}`;
      return lang === 'nl'
        ? `Van toepassing zijn de regels ${list(matched.map((m) => m.ruleId), 'nl')}; de uitkomst met de hoogste voorrang beslist: regel ${id}, ${WORDS.nl.because}`
        : `Rules ${list(matched.map((m) => m.ruleId), 'en')} apply; the outcome with the highest priority decides: rule ${id}, ${WORDS.en.because}`;
    case 'ANY':
      if (others.length === 0) return lang === 'nl' ? `Eén regel is van toepassing: regel ${id}, ${WORDS.nl.because}` : `One rule applies: rule ${id}, ${WORDS.en.because}`;
      return lang === 'nl'
        ? `Van toepassing zijn de regels ${list(matched.map((m) => m.ruleId), 'nl')}, die dezelfde uitkomst geven; regel ${id} is van toepassing ${WORDS.nl.because}`
        : `Rules ${list(matched.map((m) => m.ruleId), 'en')} apply and give the same outcome; rule ${id} applies ${WORDS.en.because}`;
    default:
      return lang === 'nl' ? `Van de regels is er precies één van toepassing: regel ${id}, ${WORDS.nl.because}` : `Exactly one rule applies: rule ${id}, ${WORDS.en.because}`;
  }
}

function noRuleWords(table: DecisionTable, hasDefault: boolean, lang: Lang): string {
  void table;
  if (hasDefault) return lang === 'nl' ? 'Geen van de regels is van toepassing; daarom geldt de standaarduitkomst van de tabel.' : 'None of the rules applies, so the table’s default outcome holds.';
  return lang === 'nl' ? 'Geen van de regels is van toepassing.' : 'None of the rules applies.';
}

/** COLLECT (with or without an aggregation), RULE ORDER and OUTPUT ORDER: every matched rule counts. */
function collected(step: ExplainStep, matched: RuleTrace[], scope: Record<string, JsonValue>, lang: Lang): string[] {
  const { table, result } = step;
  const policy = table.hitPolicy ?? 'UNIQUE';
  const w = WORDS[lang];
  const lines: string[] = [];
  const first = table.outputs[0]!;
  if (policy === 'COLLECT' && table.aggregation) {
    const value = result.output && !Array.isArray(result.output) ? result.output[first.name] : null;
    const label = first.label ?? first.name;
    lines.push(`${w.outcome}: ${label}: ${value === null || value === undefined ? w.noOutcome : valueWords(value, first.type, lang)}.`);
    const how = {
      SUM: lang === 'nl' ? 'de som van de waarden van de regels die van toepassing zijn' : 'the sum of the values of the rules that apply',
      MIN: lang === 'nl' ? 'de kleinste van de waarden van de regels die van toepassing zijn' : 'the smallest of the values of the rules that apply',
      MAX: lang === 'nl' ? 'de grootste van de waarden van de regels die van toepassing zijn' : 'the largest of the values of the rules that apply',
      COUNT: lang === 'nl' ? 'het aantal regels dat van toepassing is' : 'the number of rules that apply',
    }[table.aggregation];
    if (matched.length === 0) {
      lines.push(lang === 'nl' ? `Geen van de regels is van toepassing.` : `None of the rules applies.`);
      return lines;
    }
    lines.push(lang === 'nl' ? `De uitkomst is ${how} (${matched.length}):` : `The outcome is ${how} (${matched.length}):`);
    for (const m of matched) {
      const out = ruleOutput(table, m, scope);
      const v = out?.[first.name];
      const shown = table.aggregation === 'COUNT' || v === undefined ? '' : ` (${valueWords(v, first.type, lang)})`;
      lines.push(`- ${w.rule} ${m.ruleId}${shown}, ${w.because} ${reasonWords(table, m, lang)}.${noteOf(table, m, lang)}`);
    }
    return lines;
  }
  const outputs = Array.isArray(result.output) ? result.output : [];
  if (matched.length === 0) {
    lines.push(`${w.outcome}: ${outputs.length > 0 ? outputs.map((o) => recordWords(o, table.outputs, lang)).join('; ') : w.noOutcome}.`);
    lines.push(noRuleWords(table, outputs.length > 0, lang));
    return lines;
  }
  const order = policy === 'OUTPUT ORDER' ? outputOrder(table, matched, outputs, scope) : matched;
  const intro = {
    'RULE ORDER': lang === 'nl' ? 'Alle regels die van toepassing zijn tellen mee, in de volgorde van de tabel' : 'Every rule that applies counts, in the order of the table',
    'OUTPUT ORDER': lang === 'nl' ? 'Alle regels die van toepassing zijn tellen mee, de uitkomst met de hoogste voorrang eerst' : 'Every rule that applies counts, the outcome with the highest priority first',
  }[policy as 'RULE ORDER' | 'OUTPUT ORDER'] ?? (lang === 'nl' ? 'Alle regels die van toepassing zijn tellen mee' : 'Every rule that applies counts');
  lines.push(lang === 'nl' ? `${w.outcome} (${order.length}):` : `${w.outcome} (${order.length}):`);
  order.forEach((m, i) => {
    const out = Array.isArray(result.output) && policy !== 'OUTPUT ORDER' ? result.output[i] : ruleOutput(table, m, scope);
    lines.push(`${i + 1}. ${out ? recordWords(out, table.outputs, lang) : w.noOutcome}`);
  });
  lines.push(`${intro}:`);
  for (const m of order) lines.push(`- ${w.rule} ${m.ruleId}, ${w.because} ${reasonWords(table, m, lang)}.${noteOf(table, m, lang)}`);
  return lines;
}

/** The matched rules in the order of the result's list (OUTPUT ORDER sorts by the outputs' priority). */
function outputOrder(table: DecisionTable, matched: RuleTrace[], outputs: OutputRecord[], scope: Record<string, JsonValue>): RuleTrace[] {
  const left = [...matched];
  const order: RuleTrace[] = [];
  for (const o of outputs) {
    const at = left.findIndex((m) => sameRecord(ruleOutput(table, m, scope), o, table.outputs));
    if (at < 0) return matched;
    order.push(left.splice(at, 1)[0]!);
  }
  return order;
}

function noteOf(table: DecisionTable, rule: RuleTrace, lang: Lang): string {
  const note = table.rules[rule.index]?.note;
  return note ? ` ${WORDS[lang].note}: ${note}` : '';
}

/** The conditions of a rule that held, as one clause: "a is B, c is 10 of meer en d is ja". */
function reasonWords(table: DecisionTable, rule: RuleTrace, lang: Lang): string {
  const clauses: string[] = [];
  for (const cell of rule.cells) {
    if (cell.text.trim() === '-' || cell.text.trim() === '') continue;
    const col = table.inputs.find((c) => c.name === cell.name);
    clauses.push(conditionWords(col ?? { name: cell.name, type: 'any' }, cell.text, cell.value, table, lang));
  }
  if (clauses.length === 0) return lang === 'nl' ? 'deze regel altijd geldt' : 'this rule always applies';
  return list(clauses, lang);
}

/** The sources of the table, of the rules that decided and of their columns, each once. */
function sourceLines(table: DecisionTable, matched: RuleTrace[], lang: Lang): string[] {
  const refs: SourceRef[] = [...(table.meta?.sources ?? [])];
  for (const m of matched) {
    const rule = table.rules[m.index];
    refs.push(...(rule?.sources ?? []));
    for (const cell of m.cells) {
      if (cell.text.trim() === '-') continue;
      refs.push(...(table.inputs.find((c) => c.name === cell.name)?.sources ?? []));
    }
  }
  for (const o of table.outputs) refs.push(...(o.sources ?? []));
  const seen = new Set<string>();
  const lines = refs.map((r) => sourceLine(r, lang)).filter((l) => !seen.has(l) && (seen.add(l), true));
  const text = table.meta?.source;
  if (!text && lines.length === 0) return [];
  const out = [`${WORDS[lang].sources}:`];
  if (text) out.push(`- ${text}`);
  out.push(...lines.map((l) => `- ${l}`));
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Cells in words

/**
 * A rule's input cell in words for a reader who does not read FEEL (the public register's table page): `-` is "elke
 * waarde", `[1..5]` "tussen 1 en 5"; null when some part of it is not a comparison with a constant.
 */
export function inputCellWords(text: string, type: ColumnType, table: DecisionTable, lang: Lang): string | null {
  if (text.trim() === '-' || text.trim() === '') return lang === 'nl' ? 'elke waarde' : 'any value';
  return testWords(text, type, table, lang);
}

/** A rule's output cell in words when it is a constant or another input's value; null for a computation. */
export function outputCellWords(text: string, type: ColumnType, table: DecisionTable, lang: Lang): string | null {
  try {
    return operand(parseExpression(text, table.inputs.map((c) => c.name)), type, table, lang);
  } catch {
    return null;
  }
}

/** One condition: "<label> is <words>" (en) / "<label> <words> is" (nl, the verb last after "omdat"). */
function conditionWords(col: Pick<InputColumn, 'name' | 'label' | 'type'>, text: string, value: JsonValue | undefined, table: DecisionTable, lang: Lang): string {
  const label = lowerFirst(col.label ?? col.name.replace(/_/g, ' '));
  const words = testWords(text, col.type, table, lang);
  const shown = value === undefined ? '' : valueWords(value, col.type, lang);
  if (words === null) {
    return lang === 'nl'
      ? `${label} (${shown || 'niet ingevuld'}) voldoet aan de voorwaarde van deze regel`
      : `${label} (${shown || 'not given'}) meets this rule’s condition`;
  }
  // The value read, when the words name a range or a comparison rather than the value itself.
  const extra = shown && words !== shown ? (lang === 'nl' ? ` (namelijk ${shown})` : ` (namely ${shown})`) : '';
  return lang === 'nl' ? `${label} ${words} is${extra}` : `${label} is ${words}${extra}`;
}

/** A cell's unary tests in words, or null when some part is not a plain comparison with a constant. */
function testWords(text: string, type: ColumnType, table: DecisionTable, lang: Lang): string | null {
  let parsed;
  try {
    parsed = parseUnaryTests(text, table.inputs.map((c) => c.name));
  } catch {
    return null;
  }
  if (parsed.t === 'any') return null;
  const parts = parsed.tests.map((t) => oneTest(t, type, table, lang));
  if (parts.some((p) => p === null)) return null;
  const words = list(parts as string[], lang, 'or');
  if (parsed.t === 'not') return lang === 'nl' ? `iets anders dan ${words}` : `something other than ${words}`;
  return words;
}

function oneTest(t: Test, type: ColumnType, table: DecisionTable, lang: Lang): string | null {
  const dated = type === 'date' || type === 'dateTime';
  if (t.t === 'range') {
    const low = operand(t.low, type, table, lang);
    const high = operand(t.high, type, table, lang);
    if (low === null || high === null) return null;
    if (t.lowClosed && t.highClosed) {
      if (dated) return lang === 'nl' ? `van ${low} tot en met ${high}` : `from ${low} up to and including ${high}`;
      return lang === 'nl' ? `tussen ${low} en ${high}` : `between ${low} and ${high}`;
    }
    const from = comparison(t.lowClosed ? '>=' : '>', low, dated, lang);
    const to = comparison(t.highClosed ? '<=' : '<', high, dated, lang);
    return lang === 'nl' ? `${from} en ${to}` : `${from} and ${to}`;
  }
  if (t.t === 'compare') {
    const v = operand(t.e, type, table, lang);
    if (v === null) return null;
    return comparison(t.op, v, dated, lang);
  }
  // A bare expression: a constant is an equality test; anything else is beyond words.
  return operand(t.e, type, table, lang);
}

function comparison(op: string, v: string, dated: boolean, lang: Lang): string {
  const nl: Record<string, string> = dated
    ? { '=': v, '!=': `niet ${v}`, '<': `vóór ${v}`, '<=': `op of vóór ${v}`, '>': `na ${v}`, '>=': `op of na ${v}` }
    : { '=': v, '!=': `niet ${v}`, '<': `minder dan ${v}`, '<=': `${v} of minder`, '>': `meer dan ${v}`, '>=': `${v} of meer` };
  const en: Record<string, string> = dated
    ? { '=': v, '!=': `not ${v}`, '<': `before ${v}`, '<=': `on or before ${v}`, '>': `after ${v}`, '>=': `on or after ${v}` }
    : { '=': v, '!=': `not ${v}`, '<': `less than ${v}`, '<=': `${v} or less`, '>': `more than ${v}`, '>=': `${v} or more` };
  return (lang === 'nl' ? nl : en)[op]!;
}

/** A constant of a cell in words; another input's name as its label; anything else null. */
function operand(e: Expr, type: ColumnType, table: DecisionTable, lang: Lang): string | null {
  if (e.t === 'name') {
    const col = table.inputs.find((c) => c.name === e.name);
    return col ? (lang === 'nl' ? `de waarde van ${lowerFirst(col.label ?? col.name)}` : `the value of ${lowerFirst(col.label ?? col.name)}`) : null;
  }
  if (!isConstant(e)) return null;
  try {
    const v = toJson(compileExpr(e)({ inputs: [], vars: null, q: null }));
    return valueWords(v as JsonValue, type, lang);
  } catch {
    return null;
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Values in words

function recordWords(record: OutputRecord, outputs: readonly OutputColumn[], lang: Lang): string {
  const entries = Object.entries(record);
  if (entries.length === 1 && outputs.length === 1) {
    const o = outputs[0]!;
    return `${o.label ?? o.name}: ${valueWords(entries[0]![1], o.type, lang)}`;
  }
  return entries
    .map(([k, v]) => {
      const o = outputs.find((x) => x.name === k);
      return `${o?.label ?? k}: ${valueWords(v, o?.type ?? 'any', lang)}`;
    })
    .join('; ');
}

const MONTHS: Record<Lang, string[]> = {
  nl: ['januari', 'februari', 'maart', 'april', 'mei', 'juni', 'juli', 'augustus', 'september', 'oktober', 'november', 'december'],
  en: ['January', 'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December'],
};

function dateWords(iso: string, lang: Lang): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})/.exec(iso);
  if (!m) return iso;
  return `${Number(m[3])} ${MONTHS[lang][Number(m[2]) - 1]} ${m[1]}`;
}

const DURATION_UNITS: Record<Lang, Record<string, [string, string]>> = {
  nl: { Y: ['jaar', 'jaar'], M: ['maand', 'maanden'], W: ['week', 'weken'], D: ['dag', 'dagen'], H: ['uur', 'uur'], MIN: ['minuut', 'minuten'], S: ['seconde', 'seconden'] },
  en: { Y: ['year', 'years'], M: ['month', 'months'], W: ['week', 'weeks'], D: ['day', 'days'], H: ['hour', 'hours'], MIN: ['minute', 'minutes'], S: ['second', 'seconds'] },
};

function durationWords(text: string, lang: Lang): string | null {
  const m = /^(-)?P(?:(\d+)Y)?(?:(\d+)M)?(?:(\d+)W)?(?:(\d+)D)?(?:T(?:(\d+)H)?(?:(\d+)M)?(?:(\d+(?:\.\d+)?)S)?)?$/.exec(text);
  if (!m || text === 'P' || text.endsWith('T')) return null;
  const units = ['Y', 'M', 'W', 'D', 'H', 'MIN', 'S'];
  const parts = units
    .map((u, i) => [u, m[i + 2]] as const)
    .filter(([, n]) => n !== undefined && Number(n) !== 0)
    .map(([u, n]) => `${numberWords(Number(n), lang)} ${DURATION_UNITS[lang][u]![Number(n) === 1 ? 0 : 1]}`);
  if (parts.length === 0) return lang === 'nl' ? '0 dagen' : '0 days';
  return `${m[1] ? '-' : ''}${list(parts, lang)}`;
}

function numberWords(n: number, lang: Lang): string {
  const s = String(n);
  return lang === 'nl' ? s.replace('.', ',') : s;
}

/** A value in words: strings as they are, ja/nee, dates and durations spelled out, lists joined. */
export function valueWords(v: JsonValue, type: ColumnType, lang: Lang): string {
  if (v === null) return lang === 'nl' ? 'niet ingevuld' : 'not given';
  if (typeof v === 'boolean') return lang === 'nl' ? (v ? 'ja' : 'nee') : v ? 'yes' : 'no';
  if (typeof v === 'number') return numberWords(v, lang);
  if (typeof v === 'string') {
    if ((type === 'date' || type === 'any' || type === 'dateTime') && /^\d{4}-\d{2}-\d{2}$/.test(v)) return dateWords(v, lang);
    if (type === 'duration' || (type === 'any' && /^-?P/.test(v))) return durationWords(v, lang) ?? v;
    return v;
  }
  if (Array.isArray(v)) return v.length === 0 ? (lang === 'nl' ? 'geen' : 'none') : list(v.map((x) => valueWords(x, 'any', lang)), lang);
  return Object.entries(v)
    .map(([k, x]) => `${k.replace(/_/g, ' ')}: ${valueWords(x, 'any', lang)}`)
    .join(', ');
}

/** "a, b en c" / "a, b and c" (or "of"/"or"). */
function list(items: readonly string[], lang: Lang, joiner: 'and' | 'or' = 'and'): string {
  if (items.length <= 1) return items[0] ?? '';
  const word = joiner === 'and' ? (lang === 'nl' ? 'en' : 'and') : lang === 'nl' ? 'of' : 'or';
  return `${items.slice(0, -1).join(', ')} ${word} ${items.at(-1)}`;
}

/** "Boetecategorie" → "boetecategorie" inside a sentence; an abbreviation ("APV", "BRZO") stays as it is. */
function lowerFirst(s: string): string {
  if (s.length > 1 && s[1] === s[1]!.toUpperCase() && s[1] !== s[1]!.toLowerCase()) return s;
  return s.charAt(0).toLowerCase() + s.slice(1);
}

// ---------------------------------------------------------------------------------------------------------------
// A rule's output, for PRIORITY, OUTPUT ORDER and aggregations (the trace records which rules held, not what each gave)

/** The values the case gave, by input name, as the trace read them. */
function scopeOf(trace: readonly RuleTrace[]): Record<string, JsonValue> {
  const scope: Record<string, JsonValue> = {};
  for (const c of trace[0]?.cells ?? []) if (c.value !== undefined) scope[c.name] = c.value;
  return scope;
}

function ruleOutput(table: DecisionTable, rule: RuleTrace, scope: Record<string, JsonValue>): OutputRecord | null {
  const source = table.rules[rule.index];
  if (!source) return null;
  const names = table.inputs.map((c) => c.name);
  const vars = fromJson(scope) as FeelContext;
  for (const c of table.inputs) if (Object.hasOwn(scope, c.name)) vars[c.name] = coercerFor(c.type)(scope[c.name]) ?? null;
  const out: OutputRecord = {};
  try {
    for (const o of table.outputs) {
      const text = source.then[o.name];
      out[o.name] = text === undefined ? null : (toJson(compileExpr(parseExpression(text, names))({ inputs: [], vars, q: null })) as JsonValue);
    }
  } catch {
    return null;
  }
  return out;
}

function sameRecord(a: OutputRecord | null, b: OutputRecord, outputs: readonly OutputColumn[]): boolean {
  if (!a) return false;
  return outputs.every((o) => JSON.stringify(a[o.name] ?? null) === JSON.stringify(b[o.name] ?? null));
}
