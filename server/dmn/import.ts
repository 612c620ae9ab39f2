// DMN 1.1–1.5 XML → Beslis decision tables and literal-expression decisions (DESIGN §3, issue 3).
//
// dmn-moddle reads DMN 1.3: DMN 1.4 and 1.5 models are read by rewriting their namespaces to 1.3 (the two are a
// superset of 1.3 for decision tables; new 1.4/1.5 boxed expressions surface as parse warnings and are reported),
// and DMN 1.1/1.2 models are migrated with @bpmn-io/dmn-migrate first. Every element that cannot become part of a
// Beslis table (a boxed context, an invocation, a business knowledge model…) is reported with its id and a reason.
import type { ModdleElement } from 'dmn-moddle';
import { migrateDiagram } from '@bpmn-io/dmn-migrate';
import { beslisAttr, newModdle } from './beslis-moddle.ts';
import { compileExpression, validateTable } from '../engine/index.ts';
import type { Aggregation, ColumnType, DecisionTable, HitPolicy, InputColumn, JsonValue, OutputColumn, Rule } from '../engine/types.ts';
import { HIT_POLICIES, AGGREGATIONS } from '../engine/types.ts';
import { BESLIS_NAME, BESLIS_RULE_ID, TABLE_ID, isFeelName, parseLiteralList, primitiveType, slug, toBeslisName } from './feel-text.ts';
import type { DmnImport, DmnTableOrigin, ImportProblem, LiteralDecision } from './types.ts';

export const DMN13_MODEL = 'https://www.omg.org/spec/DMN/20191111/MODEL/';
export const DMN13_DMNDI = 'https://www.omg.org/spec/DMN/20191111/DMNDI/';

/** Model namespaces by DMN version; 1.4 and 1.5 keep the 1.3 DI and DC namespaces. */
const NAMESPACES: { version: string; model: string; dmndi?: string }[] = [
  { version: '1.1', model: 'http://www.omg.org/spec/DMN/20151101/dmn.xsd' },
  { version: '1.2', model: 'http://www.omg.org/spec/DMN/20180521/MODEL/' },
  { version: '1.3', model: DMN13_MODEL, dmndi: DMN13_DMNDI },
  { version: '1.4', model: 'https://www.omg.org/spec/DMN/20211108/MODEL/', dmndi: 'https://www.omg.org/spec/DMN/20211108/DMNDI/' },
  { version: '1.5', model: 'https://www.omg.org/spec/DMN/20230324/MODEL/', dmndi: 'https://www.omg.org/spec/DMN/20230324/DMNDI/' },
];

/** Finds the DMN version from the namespaces the document declares. */
export function dmnVersionOf(xml: string): string | null {
  const declared = new Set([...xml.matchAll(/xmlns(?::[\w.-]+)?\s*=\s*["']([^"']+)["']/g)].map((m) => m[1]!));
  for (const ns of [...NAMESPACES].reverse()) if (declared.has(ns.model)) return ns.version;
  return null;
}

/** Brings any DMN 1.1–1.5 document to DMN 1.3 text that dmn-moddle reads. */
export async function toDmn13(xml: string): Promise<{ xml: string; version: string } | { error: string }> {
  const version = dmnVersionOf(xml);
  if (!version) return { error: 'not a DMN model: the document declares none of the DMN 1.1–1.5 model namespaces' };
  if (version === '1.1' || version === '1.2') {
    try {
      return { xml: await migrateDiagram(xml), version };
    } catch (err) {
      return { error: `could not migrate the DMN ${version} model to DMN 1.3: ${(err as Error).message}` };
    }
  }
  let out = xml;
  for (const ns of NAMESPACES) {
    if (ns.version === '1.4' || ns.version === '1.5') {
      out = out.replaceAll(ns.model, DMN13_MODEL);
      if (ns.dmndi) out = out.replaceAll(ns.dmndi, DMN13_DMNDI);
    }
  }
  return { xml: out, version };
}

// ---------------------------------------------------------------------------------------------------------------
// Types: item definitions resolved far enough to know which JSON text stands for a date, time or duration.

export type TypeInfo =
  | { kind: 'primitive'; type: ColumnType }
  | { kind: 'list'; of: TypeInfo }
  | { kind: 'context'; components: [string, TypeInfo][] }
  | { kind: 'any' };

const ANY: TypeInfo = { kind: 'any' };

class Types {
  private readonly defs = new Map<string, ModdleElement>();
  constructor(itemDefinitions: ModdleElement[]) {
    for (const d of itemDefinitions) if (typeof d.name === 'string') this.defs.set(d.name, d);
  }

  resolve(typeRef: unknown, seen: Set<string> = new Set()): TypeInfo {
    if (typeof typeRef !== 'string' || !typeRef.trim()) return ANY;
    const prim = primitiveType(typeRef);
    if (prim) return { kind: 'primitive', type: prim };
    const name = typeRef.trim();
    const def = this.defs.get(name) ?? this.defs.get(name.replace(/^[\w-]+:/, ''));
    if (!def || seen.has(name)) return ANY;
    return this.ofDefinition(def, new Set([...seen, name]));
  }

  /** The allowed values of a named item definition (following its typeRef), when they are a list of literals. */
  allowedValues(typeRef: unknown, seen: Set<string> = new Set()): JsonValue[] | undefined {
    if (typeof typeRef !== 'string' || seen.has(typeRef)) return undefined;
    const def = this.defs.get(typeRef.trim());
    if (!def || def.isCollection === true) return undefined;
    const text = textOf(def.allowedValues);
    if (text !== undefined && text.trim()) return parseLiteralList(text) ?? undefined;
    return this.allowedValues(def.typeRef, new Set([...seen, typeRef]));
  }

  ofDefinition(def: ModdleElement, seen: Set<string>): TypeInfo {
    let base: TypeInfo;
    const components = (def.itemComponent as ModdleElement[] | undefined) ?? [];
    if (components.length > 0) {
      base = {
        kind: 'context',
        components: components.map((c) => [String(c.name ?? ''), this.ofDefinition(c, seen)] as [string, TypeInfo]),
      };
    } else {
      base = this.resolve(def.typeRef, seen);
    }
    return def.isCollection === true ? { kind: 'list', of: base } : base;
  }
}

export function columnTypeOf(info: TypeInfo): ColumnType {
  return info.kind === 'primitive' ? info.type : 'any';
}

function needsConversion(info: TypeInfo): boolean {
  switch (info.kind) {
    case 'primitive':
      return ['date', 'time', 'dateTime', 'duration'].includes(info.type);
    case 'list':
      return needsConversion(info.of);
    case 'context':
      return info.components.some(([, t]) => needsConversion(t));
    case 'any':
      return false;
  }
}

const SIMPLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * FEEL that turns the JSON form of a structured or list value into typed FEEL values (dates inside a context are
 * JSON text otherwise). Null when the value needs no conversion or the names cannot be written in FEEL.
 */
export function conversionExpression(source: string, info: TypeInfo, depth = 1): string | null {
  if (!needsConversion(info)) return null;
  const conv = (src: string, t: TypeInfo): string | null => (needsConversion(t) ? conversionExpression(src, t, depth + 1) : src);
  switch (info.kind) {
    case 'primitive': {
      const fn = { date: 'date', time: 'time', dateTime: 'date and time', duration: 'duration' }[info.type as 'date'];
      return `${fn}(${source})`;
    }
    case 'list': {
      const item = `item${depth}`;
      const body = conv(item, info.of);
      return body === null ? null : `if ${source} = null then null else for ${item} in ${source} return ${body}`;
    }
    case 'context': {
      const entries: string[] = [];
      for (const [k, t] of info.components) {
        if (!SIMPLE_NAME.test(k)) return null;
        const v = conv(`${source}.${k}`, t);
        if (v === null) return null;
        entries.push(`${k}: ${v}`);
      }
      return `if ${source} = null then null else {${entries.join(', ')}}`;
    }
    default:
      return null;
  }
}

// ---------------------------------------------------------------------------------------------------------------

/** The element name of a decision's logic that dmn-moddle could not read (DMN 1.4/1.5 boxed expressions), if any. */
function unreadLogic(xml: string, decisionId: string): string | undefined {
  const escaped = decisionId.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const start = new RegExp(`<(?:[\\w-]+:)?decision\\b[^>]*\\bid=["']${escaped}["']`).exec(xml);
  if (!start) return undefined;
  const end = xml.indexOf('decision>', start.index + start[0].length);
  const body = xml.slice(start.index + start[0].length, end < 0 ? undefined : end);
  const known = new Set(['variable', 'informationRequirement', 'knowledgeRequirement', 'authorityRequirement', 'description', 'extensionElements', 'question', 'allowedAnswers', 'supportedObjective', 'impactedPerformanceIndicator', 'decisionMaker', 'decisionOwner', 'usingProcess', 'usingTask', 'requiredDecision', 'requiredInput', 'requiredKnowledge', 'requiredAuthority']);
  const depthZero = [...body.matchAll(/<(?:[\w-]+:)?([A-Za-z]\w*)\b/g)].map((m) => m[1]!).find((n) => !known.has(n));
  return depthZero;
}

const LOGIC_NAMES: Record<string, string> = {
  'dmn:Conditional': 'a boxed conditional (DMN 1.4)',
  'dmn:Filter': 'a boxed filter (DMN 1.4)',
  'dmn:Iterator': 'a boxed iterator (DMN 1.4)',
  'dmn:For': 'a boxed for (DMN 1.4)',
  'dmn:Some': 'a boxed some (DMN 1.4)',
  'dmn:Every': 'a boxed every (DMN 1.4)',
  'dmn:Context': 'a boxed context',
  'dmn:Invocation': 'an invocation (a call of a business knowledge model)',
  'dmn:Relation': 'a relation (a boxed table of values)',
  'dmn:FunctionDefinition': 'a function definition',
  'dmn:List': 'a boxed list',
};

function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

function many(v: unknown): ModdleElement[] {
  return Array.isArray(v) ? (v as ModdleElement[]) : [];
}

function textOf(v: unknown): string | undefined {
  const t = (v as ModdleElement | undefined)?.text;
  return typeof t === 'string' ? t : undefined;
}

/** `#id` → id; a reference into another model's namespace (`ns#id`) stays whole and is reported. */
function hrefId(ref: unknown): { id: string; external: boolean } | null {
  const href = str((ref as ModdleElement | undefined)?.href);
  if (!href) return null;
  const at = href.indexOf('#');
  if (at < 0) return { id: href, external: false };
  return { id: href.slice(at + 1), external: at > 0 };
}

interface DecisionInfo {
  el: ModdleElement;
  id: string;
  name: string;
  beslisId: string;
  requiredDecisions: string[];
  requiredInputs: string[];
}

interface RuleOrigin {
  id: string;
  inputEntries: Map<string, string>;
  outputEntries: Map<string, string>;
}

/** Reads a DMN 1.1–1.5 model. Never throws for a bad model: everything wrong is in `problems`. */
export async function importDmn(xml: string): Promise<DmnImport> {
  const problems: ImportProblem[] = [];
  const empty = (version = ''): DmnImport => ({
    tables: [],
    literalDecisions: [],
    problems,
    model: { name: '', namespace: '', id: '', dmnVersion: version },
  });
  const converted = await toDmn13(xml);
  if ('error' in converted) {
    problems.push({ severity: 'error', element: 'definitions', id: '', message: converted.error });
    return empty();
  }
  let definitions: ModdleElement;
  try {
    const parsed = await newModdle().fromXML(converted.xml, 'dmn:Definitions');
    definitions = parsed.rootElement;
    for (const w of parsed.warnings) {
      const el = w.element as ModdleElement | undefined;
      problems.push({
        severity: 'warning',
        element: 'xml',
        id: str(el?.id) ?? '',
        message: `not read: ${w.message.split('\n')[0]}${w.error ? ` (${w.error.message.split('\n')[0]})` : ''}`,
      });
    }
  } catch (err) {
    problems.push({ severity: 'error', element: 'definitions', id: '', message: `the XML cannot be read: ${(err as Error).message.split('\n')[0]}` });
    return empty(converted.version);
  }

  const modelName = str(definitions.name) ?? str(definitions.id) ?? 'dmn';
  const model = { name: modelName, namespace: str(definitions.namespace) ?? '', id: str(definitions.id) ?? '', dmnVersion: converted.version };
  const types = new Types(many(definitions.itemDefinition));
  const modelSlug = slug(modelName, 'dmn');

  for (const imp of many(definitions.import)) {
    problems.push({
      severity: 'error',
      element: 'import',
      id: str(imp.id) ?? '',
      name: str(imp.name),
      message: `imports another model (${str(imp.locationURI) ?? str(imp.namespace) ?? '?'}): Beslis imports one model at a time`,
    });
  }

  const inputData = new Map<string, { name: string; typeRef?: string }>();
  const decisions: DecisionInfo[] = [];
  const usedIds = new Set<string>();
  const uniqueId = (base: string): string => {
    let id = base;
    for (let n = 2; usedIds.has(id); n++) id = `${base}-${n}`;
    usedIds.add(id);
    return id;
  };

  for (const el of many(definitions.drgElement)) {
    const id = str(el.id) ?? '';
    const name = str(el.name) ?? id;
    switch (el.$type) {
      case 'dmn:InputData':
        inputData.set(id, { name: str((el.variable as ModdleElement | undefined)?.name) ?? name, typeRef: str((el.variable as ModdleElement | undefined)?.typeRef) });
        break;
      case 'dmn:Decision': {
        const reqs = many(el.informationRequirement);
        const requiredDecisions: string[] = [];
        const requiredInputs: string[] = [];
        for (const r of reqs) {
          for (const [key, list] of [
            ['requiredDecision', requiredDecisions],
            ['requiredInput', requiredInputs],
          ] as const) {
            const ref = hrefId(r[key]);
            if (!ref) continue;
            if (ref.external) {
              problems.push({ severity: 'error', element: 'informationRequirement', id: str(r.id) ?? '', name, message: `refers to an element of another model (${str((r[key] as ModdleElement).href)})` });
            }
            list.push(ref.id);
          }
        }
        for (const k of many(el.knowledgeRequirement)) {
          const ref = hrefId(k.requiredKnowledge);
          problems.push({
            severity: 'warning',
            element: 'knowledgeRequirement',
            id: str(k.id) ?? '',
            name,
            message: `decision '${name}' requires business knowledge model '${ref?.id ?? '?'}', which Beslis cannot import; cells calling it will fail`,
          });
        }
        const varName = str((el.variable as ModdleElement | undefined)?.name) ?? name;
        // A model exported by Beslis names its tables; any other gets `<model>.<decision id>`.
        const own = str(beslisAttr(el, 'tableId'));
        const beslisId = own && TABLE_ID.test(own) && !usedIds.has(own) ? uniqueId(own) : uniqueId(`${modelSlug}.${slug(id, 'decision')}`);
        decisions.push({ el, id, name: varName, beslisId, requiredDecisions, requiredInputs });
        break;
      }
      case 'dmn:BusinessKnowledgeModel':
        problems.push({ severity: 'error', element: 'businessKnowledgeModel', id, name, message: `business knowledge model '${name}' is a reusable function: Beslis tables cannot define or call functions` });
        break;
      case 'dmn:DecisionService':
        problems.push({ severity: 'error', element: 'decisionService', id, name, message: `decision service '${name}' is not supported: import its decisions and call them by table id` });
        break;
      case 'dmn:KnowledgeSource':
        problems.push({ severity: 'warning', element: 'knowledgeSource', id, name, message: `knowledge source '${name}' is documentation only and is not imported` });
        break;
      default:
        problems.push({ severity: 'error', element: el.$type.replace(/^dmn:/, ''), id, name, message: `${el.$type} is not supported` });
    }
  }

  const byDecisionId = new Map(decisions.map((d) => [d.id, d] as const));
  const tables: DecisionTable[] = [];
  const literalDecisions: LiteralDecision[] = [];
  const failed = new Set<string>();
  const beslisIdOf = (dmnId: string) => byDecisionId.get(dmnId)?.beslisId;

  for (const d of decisions) {
    const logic = d.el.decisionLogic as ModdleElement | undefined;
    const requires: string[] = [];
    for (const rid of d.requiredDecisions) {
      const b = beslisIdOf(rid);
      if (b) requires.push(b);
      else {
        problems.push({ severity: 'error', element: 'decision', id: d.id, name: d.name, message: `requires decision '${rid}', which is not in the model` });
        failed.add(d.id);
      }
    }
    // The names a decision's logic may read: its required input data and decisions, with their types.
    const scope = new Map<string, TypeInfo>();
    for (const iid of d.requiredInputs) {
      const input = inputData.get(iid);
      if (input) scope.set(input.name, types.resolve(input.typeRef));
      else {
        problems.push({ severity: 'error', element: 'decision', id: d.id, name: d.name, message: `requires input data '${iid}', which is not in the model` });
        failed.add(d.id);
      }
    }
    for (const rid of d.requiredDecisions) {
      const rd = byDecisionId.get(rid);
      if (rd) scope.set(rd.name, types.resolve((rd.el.variable as ModdleElement | undefined)?.typeRef));
    }

    if (!logic) {
      const unread = unreadLogic(converted.xml, d.id);
      problems.push({
        severity: 'error',
        element: 'decision',
        id: d.id,
        name: d.name,
        message: unread
          ? `decision '${d.name}' is a <${unread}> (${LOGIC_NAMES[`dmn:${unread[0]!.toUpperCase()}${unread.slice(1)}`] ?? 'a boxed expression newer than DMN 1.3'}): Beslis imports decision tables and literal expressions only`
          : `decision '${d.name}' has no decision logic`,
      });
      failed.add(d.id);
      continue;
    }
    if (logic.$type === 'dmn:LiteralExpression') {
      const text = textOf(logic)?.trim() ?? '';
      const varTypes: Record<string, ColumnType> = {};
      for (const [n, t] of scope) if (t.kind === 'primitive') varTypes[n] = t.type;
      try {
        compileExpression(text, { types: varTypes });
      } catch (err) {
        problems.push({ severity: 'error', element: 'literalExpression', id: str(logic.id) ?? d.id, name: d.name, message: `the expression does not compile: ${(err as Error).message}` });
        failed.add(d.id);
        continue;
      }
      literalDecisions.push({
        id: d.beslisId,
        name: d.name,
        title: str(d.el.label) ?? str(d.el.name) ?? d.name,
        ...(str(d.el.description) ? { description: str(d.el.description) } : {}),
        expression: text,
        type: columnTypeOf(types.resolve((d.el.variable as ModdleElement | undefined)?.typeRef ?? logic.typeRef)),
        requires,
        types: varTypes,
        meta: { source: `DMN: ${modelName}`, dmn: { model: modelName, namespace: model.namespace, decisionId: d.id, decisionName: d.name } },
      });
      continue;
    }
    if (logic.$type !== 'dmn:DecisionTable') {
      problems.push({
        severity: 'error',
        element: logic.$type.replace(/^dmn:/, '').replace(/^./, (c) => c.toLowerCase()),
        id: str(logic.id) ?? d.id,
        name: d.name,
        message: `decision '${d.name}' is ${LOGIC_NAMES[logic.$type] ?? logic.$type}: Beslis imports decision tables and literal expressions only`,
      });
      failed.add(d.id);
      continue;
    }
    const made = convertTable(d, logic, scope, types, requires, model, problems);
    if (!made) {
      failed.add(d.id);
      continue;
    }
    const { table, rules } = made;
    const invalid = validateTable(table);
    if (invalid.length > 0) {
      for (const p of invalid) problems.push(locate(p.path, p.message, table, rules, logic, d));
      failed.add(d.id);
      continue;
    }
    tables.push(table);
  }

  // A decision that needs one that failed cannot run either.
  let changed = true;
  while (changed) {
    changed = false;
    for (const d of decisions) {
      if (failed.has(d.id)) continue;
      const bad = d.requiredDecisions.find((r) => failed.has(r));
      if (bad !== undefined) {
        failed.add(d.id);
        changed = true;
        problems.push({ severity: 'error', element: 'decision', id: d.id, name: d.name, message: `requires decision '${byDecisionId.get(bad)?.name ?? bad}', which could not be imported` });
      }
    }
  }
  const ok = (x: { meta?: unknown }) => !failed.has(((x.meta as { dmn?: { decisionId?: string } }).dmn?.decisionId) ?? '');
  return { tables: tables.filter(ok), literalDecisions: literalDecisions.filter(ok), problems, model };
}

/** Maps a validateTable problem path (`/rules/3/when/Age`) to the DMN element it is about. */
function locate(path: string, message: string, table: DecisionTable, rules: RuleOrigin[], logic: ModdleElement, d: DecisionInfo): ImportProblem {
  const m = /^\/rules\/(\d+)(?:\/(when|then)\/(.+))?/.exec(path);
  if (m) {
    const origin = rules[Number(m[1])];
    if (origin && m[2]) {
      const entryId = (m[2] === 'when' ? origin.inputEntries : origin.outputEntries).get(m[3]!);
      return { severity: 'error', element: m[2] === 'when' ? 'inputEntry' : 'outputEntry', id: entryId ?? origin.id, name: d.name, message: `rule ${origin.id}, ${m[3]}: ${message}` };
    }
    return { severity: 'error', element: 'rule', id: origin?.id ?? '', name: d.name, message };
  }
  const col = /^\/(inputs|outputs)\/(\d+)/.exec(path);
  if (col) {
    const dmn = (table.meta?.dmn as DmnTableOrigin | undefined)?.[col[1] as 'inputs' | 'outputs'][Number(col[2])];
    return { severity: 'error', element: col[1] === 'inputs' ? 'input' : 'output', id: dmn?.id ?? str(logic.id) ?? d.id, name: d.name, message: `${path}: ${message}` };
  }
  return { severity: 'error', element: 'decisionTable', id: str(logic.id) ?? d.id, name: d.name, message: `${path || 'table'}: ${message}` };
}

function convertTable(
  d: DecisionInfo,
  dt: ModdleElement,
  scope: Map<string, TypeInfo>,
  types: Types,
  requires: string[],
  model: { name: string; namespace: string },
  problems: ImportProblem[],
): { table: DecisionTable; rules: RuleOrigin[] } | null {
  const decisionName = d.name;
  const origin: DmnTableOrigin = { model: model.name, namespace: model.namespace, decisionId: d.id, decisionName, inputs: [], outputs: [] };
  if (str(dt.id)) origin.tableId = str(dt.id);
  const problem = (severity: 'error' | 'warning', element: string, id: unknown, message: string) =>
    problems.push({ severity, element, id: str(id) ?? '', name: decisionName, message });

  const inputs: InputColumn[] = [];
  const names = new Set<string>();
  const uniqueName = (base: string) => {
    let n = base;
    for (let i = 2; names.has(n); i++) n = `${base}_${i}`;
    names.add(n);
    return n;
  };
  const readerFor = (column: InputColumn, raw: string, info: TypeInfo, clauseId: unknown) => {
    // A primitive type is the column's type; a structured or list value holding dates is converted from its JSON
    // text to typed values with an input expression.
    if (info.kind === 'primitive') return;
    const conv = conversionExpression(raw, info);
    if (conv !== null && SIMPLE_NAME.test(raw)) {
      column.expression = conv;
      delete column.path;
      column.type = 'any';
    } else if (needsConversion(info)) {
      problem('warning', 'input', clauseId, `'${raw}' holds dates, times or durations inside a structure whose names Beslis cannot convert: they are read as text`);
    }
  };

  many(dt.input).forEach((clause, i) => {
    const exprEl = clause.inputExpression as ModdleElement | undefined;
    const text = (textOf(exprEl) ?? '').trim();
    const label = str(clause.label);
    const typeRef = str(exprEl?.typeRef);
    let info = types.resolve(typeRef);
    if (!typeRef && scope.has(text)) info = scope.get(text)!;
    // DMN inputs are nullable (the TCK passes null and leaves inputs out); a Beslis export says so explicitly.
    const optional = beslisAttr(clause, 'optional');
    const column: InputColumn = { name: '', type: columnTypeOf(info), optional: typeof optional === 'boolean' ? optional : true };
    if (column.optional === false) delete column.optional;
    const ownName = str(beslisAttr(clause, 'name'));
    const given = ownName && BESLIS_NAME.test(ownName) && !names.has(ownName) ? ownName : undefined;
    const segments = text.split('.').map((s) => s.trim());
    if (isFeelName(text)) {
      column.name = uniqueName(given ?? toBeslisName(text, `input_${i + 1}`));
      if (column.name !== text) column.path = text;
      readerFor(column, text, info, clause.id);
    } else if (segments.length > 1 && segments.every(isFeelName)) {
      column.path = segments.join('.');
      column.name = uniqueName(given ?? toBeslisName(segments.join('_'), `input_${i + 1}`));
    } else if (text) {
      column.expression = text;
      column.name = uniqueName(given ?? toBeslisName(label ?? '', `input_${i + 1}`));
    } else {
      problem('error', 'inputExpression', exprEl?.id ?? clause.id, `input ${i + 1} has no input expression`);
      column.name = uniqueName(`input_${i + 1}`);
    }
    if (label && label !== column.name) column.label = label;
    else if (column.path !== undefined && column.name !== text) column.label = text;
    const allowed = textOf(clause.inputValues);
    if (allowed !== undefined && allowed.trim()) {
      const values = parseLiteralList(allowed);
      if (values) column.values = values;
      else problem('warning', 'inputValues', (clause.inputValues as ModdleElement).id ?? clause.id, `input values '${allowed.trim()}' are not a list of literals: not imported as allowed values`);
    }
    if (str(clause.description)) column.description = str(clause.description);
    inputs.push(column);
    origin.inputs.push({ ...(str(clause.id) ? { id: str(clause.id) } : {}), dmnName: text, ...(typeRef ? { typeRef } : {}) });
  });

  const outputClauses = many(dt.output);
  const variable = d.el.variable as ModdleElement | undefined;
  const decisionType = types.resolve(str(variable?.typeRef) ?? str(dt.typeRef));
  const outputs: OutputColumn[] = outputClauses.map((clause, i) => {
    const dmnName = outputClauses.length === 1 ? (str(clause.name) ?? decisionName) : (str(clause.name) ?? `output_${i + 1}`);
    if (outputClauses.length > 1 && !str(clause.name)) problem('warning', 'output', clause.id, `output ${i + 1} of a multi-output table has no name; called output_${i + 1}`);
    let info = types.resolve(str(clause.typeRef));
    if (info.kind === 'any' && outputClauses.length === 1) info = decisionType.kind === 'list' ? decisionType.of : decisionType;
    if (info.kind === 'any' && outputClauses.length > 1 && decisionType.kind === 'context') {
      info = decisionType.components.find(([k]) => k === dmnName)?.[1] ?? ANY;
    }
    const column: OutputColumn = { name: toBeslisName(dmnName, `output_${i + 1}`), type: columnTypeOf(info) };
    const label = str(clause.label) ?? (column.name !== dmnName ? dmnName : undefined);
    if (label) column.label = label;
    const allowed = textOf(clause.outputValues);
    if (allowed !== undefined && allowed.trim()) {
      const values = parseLiteralList(allowed);
      if (values) column.values = values;
      else problem('warning', 'outputValues', (clause.outputValues as ModdleElement).id ?? clause.id, `output values '${allowed.trim()}' are not a list of literals: not imported (the priority order is lost)`);
    } else {
      // Without output values, the allowed values of the output's type give the order (PRIORITY, OUTPUT ORDER).
      const typeRef = str(clause.typeRef) ?? (outputClauses.length === 1 ? (str(variable?.typeRef) ?? str(dt.typeRef)) : undefined);
      const inherited = types.allowedValues(typeRef);
      if (inherited && inherited.length > 0) column.values = inherited;
    }
    const dflt = textOf(clause.defaultOutputEntry);
    if (dflt !== undefined && dflt.trim()) column.default = dflt.trim();
    if (str(clause.description)) column.description = str(clause.description);
    origin.outputs.push({ ...(str(clause.id) ? { id: str(clause.id) } : {}), dmnName, ...(str(clause.typeRef) ? { typeRef: str(clause.typeRef) } : {}) });
    return column;
  });
  if (outputs.length === 0) {
    problem('error', 'decisionTable', dt.id, 'the decision table has no output');
    return null;
  }
  const outNames = new Set<string>();
  for (const o of outputs) {
    let n = o.name;
    for (let k = 2; outNames.has(n); k++) n = `${o.name}_${k}`;
    o.name = n;
    outNames.add(n);
  }

  // Names the cells read that are requirements of the decision but not input columns: extra columns with no tests.
  const dmnRules = many(dt.rule);
  const allText = [
    ...dmnRules.flatMap((r) => [...many(r.inputEntry), ...many(r.outputEntry)].map((e) => textOf(e) ?? '')),
    ...outputClauses.map((c) => textOf(c.defaultOutputEntry) ?? ''),
  ].join('\n');
  // (Input expressions read the case itself, so the names they use need no column.)
  const columnSources = new Set(origin.inputs.map((o) => o.dmnName));
  for (const [name, info] of scope) {
    if (columnSources.has(name) || !allText.includes(name)) continue;
    const column: InputColumn = { name: uniqueName(toBeslisName(name, `input_${inputs.length + 1}`)), type: columnTypeOf(info), optional: true };
    if (column.name !== name) {
      column.path = name;
      column.label = name;
    }
    readerFor(column, name, info, d.id);
    column.description = `Read by the cells from the decision's requirement '${name}'; not an input column in the DMN table.`;
    inputs.push(column);
    origin.inputs.push({ dmnName: name, hidden: true });
  }
  if (inputs.length === 0) {
    // A table without input columns is valid DMN (every rule matches); Beslis needs one column, so add a blank one.
    inputs.push({ name: '_', type: 'any', optional: true, description: 'The DMN table has no inputs; this column is never tested.' });
    origin.inputs.push({ hidden: true });
  }

  const ruleIds = new Set<string>();
  const clauseCount = many(dt.input).length;
  const ruleOrigins: RuleOrigin[] = [];
  const rules: Rule[] = [];
  let badRules = false;
  dmnRules.forEach((r, i) => {
    const dmnId = str(r.id) ?? '';
    const label = str(r.label);
    // A Beslis export writes the rule id in the label when it had to change it into an XML id.
    const exported = label && BESLIS_RULE_ID.test(label) ? exportRuleId(label) : undefined;
    let id = exported && (dmnId === exported || new RegExp(`^${exported.replace(/\./g, '\\.')}_\\d+$`).test(dmnId)) ? label! : dmnId;
    if (!BESLIS_RULE_ID.test(id)) id = id.replace(/[^A-Za-z0-9_.:-]+/g, '_') || `rule-${i + 1}`;
    for (let n = 2; ruleIds.has(id); n++) id = `${dmnId || 'rule'}-${n}`;
    ruleIds.add(id);
    const inputEntries = many(r.inputEntry);
    const outputEntries = many(r.outputEntry);
    const ro: RuleOrigin = { id: dmnId || id, inputEntries: new Map(), outputEntries: new Map() };
    if (inputEntries.length !== clauseCount || outputEntries.length !== outputs.length) {
      badRules = true;
      problem('error', 'rule', r.id, `rule ${dmnId || i + 1} has ${inputEntries.length} input and ${outputEntries.length} output entries; the table has ${clauseCount} inputs and ${outputs.length} outputs`);
    }
    const when: Record<string, string> = {};
    inputEntries.forEach((e, c) => {
      const col = inputs[c];
      if (!col) return;
      const t = (textOf(e) ?? '').trim();
      ro.inputEntries.set(col.name, str(e.id) ?? ro.id);
      if (t !== '' && t !== '-') when[col.name] = t;
    });
    const then: Record<string, string> = {};
    outputEntries.forEach((e, c) => {
      const col = outputs[c];
      if (!col) return;
      const t = (textOf(e) ?? '').trim();
      ro.outputEntries.set(col.name, str(e.id) ?? ro.id);
      then[col.name] = t === '' ? 'null' : t;
    });
    const notes = [str(r.description), ...many(r.annotationEntry).map((a) => str(a.text))]
      .map((x) => x?.trim())
      .filter((x): x is string => !!x);
    const rule: Rule = { id, when, then };
    if (notes.length > 0) rule.note = notes.join('\n');
    rules.push(rule);
    ruleOrigins.push(ro);
  });
  if (badRules) return null;

  const hitPolicy = (str(dt.hitPolicy) ?? 'UNIQUE').toUpperCase().replace('_', ' ') as HitPolicy;
  if (!HIT_POLICIES.includes(hitPolicy)) {
    problem('error', 'decisionTable', dt.id, `unknown hit policy '${str(dt.hitPolicy)}'`);
    return null;
  }
  const table: DecisionTable = {
    id: d.beslisId,
    title: str(d.el.label) ?? str(d.el.name) ?? decisionName,
    hitPolicy,
    inputs,
    outputs,
    rules,
    meta: { source: `DMN: ${model.name}`, dmn: origin },
  };
  const aggregation = str(dt.aggregation) as Aggregation | undefined;
  if (aggregation) {
    if (!AGGREGATIONS.includes(aggregation)) {
      problem('error', 'decisionTable', dt.id, `unknown aggregation '${aggregation}'`);
      return null;
    }
    table.aggregation = aggregation;
  }
  if (str(d.el.description)) table.description = str(d.el.description);
  if (requires.length > 0) table.requires = requires;
  return { table, rules: ruleOrigins };
}

/** The DMN rule id written for a Beslis rule id (an XML NCName); export and import share it. */
export function exportRuleId(id: string): string {
  const s = id.replace(/[^A-Za-z0-9_.-]/g, '_');
  return /^[A-Za-z_]/.test(s) ? s : `r_${s}`;
}
