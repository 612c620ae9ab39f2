// One DMN decision table → one Beslis table: input and output clauses become columns (with types, allowed values
// and converting input expressions), rules keep their ids and notes, and the DMN origin goes into meta.dmn.
import type { ModdleElement } from 'dmn-moddle';
import type { Aggregation, DecisionTable, HitPolicy, InputColumn, OutputColumn, Rule } from '../engine/types.ts';
import { AGGREGATIONS, HIT_POLICIES } from '../engine/types.ts';
import { beslisAttr } from './beslis-moddle.ts';
import { BESLIS_NAME, BESLIS_RULE_ID, exportRuleId, isFeelName, parseLiteralList, toBeslisName } from './feel-text.ts';
import { ANY, columnTypeOf, conversionExpression, needsConversion, SIMPLE_NAME, type Types, type TypeInfo } from './item-types.ts';
import { many, str, textOf } from './moddle-read.ts';
import type { MessageParams } from '../engine/index.ts';
import { dmnProblem, type DmnMessageCode } from './messages.ts';
import type { DmnTableOrigin, ImportProblem } from './types.ts';

export interface DecisionInfo {
  el: ModdleElement;
  id: string;
  name: string;
  beslisId: string;
  requiredDecisions: string[];
  requiredInputs: string[];
}

export interface RuleOrigin {
  id: string;
  inputEntries: Map<string, string>;
  outputEntries: Map<string, string>;
}

export function convertTable(
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
  const problem = (severity: 'error' | 'warning', element: string, id: unknown, code: DmnMessageCode, params: MessageParams = {}) =>
    problems.push(dmnProblem(severity, { element, id: str(id) ?? '', name: decisionName }, code, params));

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
      problem('warning', 'input', clauseId, 'DMN_STRUCTURE_DATES', { name: raw });
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
      problem('error', 'inputExpression', exprEl?.id ?? clause.id, 'DMN_NO_INPUT_EXPRESSION', { n: i + 1 });
      column.name = uniqueName(`input_${i + 1}`);
    }
    if (label && label !== column.name) column.label = label;
    else if (column.path !== undefined && column.name !== text) column.label = text;
    const allowed = textOf(clause.inputValues);
    if (allowed !== undefined && allowed.trim()) {
      const values = parseLiteralList(allowed);
      if (values) column.values = values;
      else problem('warning', 'inputValues', (clause.inputValues as ModdleElement).id ?? clause.id, 'DMN_INPUT_VALUES', { values: allowed.trim() });
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
    if (outputClauses.length > 1 && !str(clause.name)) problem('warning', 'output', clause.id, 'DMN_OUTPUT_UNNAMED', { n: i + 1 });
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
      else problem('warning', 'outputValues', (clause.outputValues as ModdleElement).id ?? clause.id, 'DMN_OUTPUT_VALUES', { values: allowed.trim() });
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
    problem('error', 'decisionTable', dt.id, 'DMN_NO_OUTPUT');
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
      problem('error', 'rule', r.id, 'DMN_RULE_ENTRIES', {
        rule: dmnId || i + 1,
        inputEntries: inputEntries.length,
        outputEntries: outputEntries.length,
        inputs: clauseCount,
        outputs: outputs.length,
      });
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
    problem('error', 'decisionTable', dt.id, 'DMN_HIT_POLICY', { hitPolicy: str(dt.hitPolicy) ?? '' });
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
      problem('error', 'decisionTable', dt.id, 'DMN_AGGREGATION', { aggregation });
      return null;
    }
    table.aggregation = aggregation;
  }
  if (str(d.el.description)) table.description = str(d.el.description);
  if (requires.length > 0) table.requires = requires;
  return { table, rules: ruleOrigins };
}
