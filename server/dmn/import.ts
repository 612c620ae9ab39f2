// DMN 1.1–1.5 XML → Beslis decision tables and literal-expression decisions (docs/contracts.md).
//
// dmn-moddle reads DMN 1.3: DMN 1.4 and 1.5 models are read by rewriting their namespaces to 1.3 (the two are a
// superset of 1.3 for decision tables; new 1.4/1.5 boxed expressions surface as parse warnings and are reported),
// and DMN 1.1/1.2 models are migrated with @bpmn-io/dmn-migrate first. Every element that cannot become part of a
// Beslis table (a boxed context, an invocation, a business knowledge model…) is reported with its id and a reason.//
// This file walks the model (decision requirements, input data, each decision's logic); dmn-version.ts reads the
// version, item-types.ts the FEEL types, import-table.ts converts a decision table, import-problems.ts names the
// element a problem is about.
import type { ModdleElement } from 'dmn-moddle';
import { beslisAttr, newModdle } from './beslis-moddle.ts';
import { compileExpression, validateTable, type FeelType } from '../engine/index.ts';
import type { ColumnType, DecisionTable } from '../engine/types.ts';
import { toDmn13 } from './dmn-version.ts';
import { TABLE_ID, slug } from './feel-text.ts';
import { convertTable, type DecisionInfo } from './import-table.ts';
import { LOGIC_NAMES, locate, unreadLogic } from './import-problems.ts';
import { columnTypeOf, Types, type TypeInfo } from './item-types.ts';
import { hrefId, many, str, textOf } from './moddle-read.ts';
import { dmnProblem } from './messages.ts';
import type { BoxedDecision, DecisionService, DmnImport, ImportProblem, KnowledgeModel, LiteralDecision } from './types.ts';
import { BoxedReadError, readBoxed } from './import-boxed.ts';
import { boxed14Feel } from './import-boxed14.ts';

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
    problems.push(dmnProblem('error', { element: 'definitions', id: '' }, converted.error.code, converted.error.params));
    return empty();
  }
  let definitions: ModdleElement;
  try {
    const parsed = await newModdle().fromXML(converted.xml, 'dmn:Definitions');
    definitions = parsed.rootElement;
    for (const w of parsed.warnings) {
      const el = w.element as ModdleElement | undefined;
      problems.push(
        dmnProblem('warning', { element: 'xml', id: str(el?.id) ?? '' }, 'DMN_XML_NOT_READ', {
          detail: `${w.message.split('\n')[0]}${w.error ? ` (${w.error.message.split('\n')[0]})` : ''}`,
        }),
      );
    }
  } catch (err) {
    problems.push(dmnProblem('error', { element: 'definitions', id: '' }, 'DMN_XML_UNREADABLE', { detail: (err as Error).message.split('\n')[0]! }));
    return empty(converted.version);
  }

  const modelName = str(definitions.name) ?? str(definitions.id) ?? 'dmn';
  const model = { name: modelName, namespace: str(definitions.namespace) ?? '', id: str(definitions.id) ?? '', dmnVersion: converted.version };
  const types = new Types(many(definitions.itemDefinition));
  const typeNames = types.feelTypeNames();
  const modelSlug = slug(modelName, 'dmn');

  for (const imp of many(definitions.import)) {
    problems.push(dmnProblem('error', { element: 'import', id: str(imp.id) ?? '', name: str(imp.name) }, 'DMN_IMPORTS_MODEL', { location: str(imp.locationURI) ?? str(imp.namespace) ?? '?' }));
  }

  const { inputData, decisions, knowledgeOf, bkmEls, serviceEls } = readDrg(many(definitions.drgElement), modelSlug, problems);
  // For the in-memory evaluation only (`boxed`): what the store cannot hold, read as far as Beslis evaluates it.
  const boxedDecisions: BoxedDecision[] = [];
  const boxedOk = new Set<string>();
  const knowledgeNames = new Map<string, string>();
  for (const el of [...bkmEls, ...serviceEls]) knowledgeNames.set(str(el.id) ?? '', str((el.variable as ModdleElement | undefined)?.name) ?? str(el.name) ?? str(el.id) ?? '');
  const inputsOf = (d: DecisionInfo) =>
    d.requiredInputs.flatMap((iid) => {
      const input = inputData.get(iid);
      if (!input) return [];
      const t = types.resolve(input.typeRef);
      return [{ name: input.name, type: t.kind === 'primitive' ? t.type : null }];
    });
  const isPlain = (el: ModdleElement) => {
    const t = (el.decisionLogic as ModdleElement | undefined)?.$type;
    return t === 'dmn:DecisionTable' || t === 'dmn:LiteralExpression';
  };

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
        problems.push(dmnProblem('error', { element: 'decision', id: d.id, name: d.name }, 'DMN_MISSING_DECISION', { required: rid }));
        failed.add(d.id);
      }
    }
    // The names a decision's logic may read: its required input data and decisions, with their types.
    const scope = new Map<string, TypeInfo>();
    for (const iid of d.requiredInputs) {
      const input = inputData.get(iid);
      if (input) scope.set(input.name, types.resolve(input.typeRef));
      else {
        problems.push(dmnProblem('error', { element: 'decision', id: d.id, name: d.name }, 'DMN_MISSING_INPUT_DATA', { required: iid }));
        failed.add(d.id);
      }
    }
    for (const rid of d.requiredDecisions) {
      const rd = byDecisionId.get(rid);
      if (rd) scope.set(rd.name, types.resolve((rd.el.variable as ModdleElement | undefined)?.typeRef));
    }

    // Boxed: its logic is a boxed expression, or it needs a BKM, a service or a decision only the boxed evaluation gives.
    const knowledge = knowledgeOf.get(d.id) ?? [];
    const needsBoxed =
      logic !== undefined &&
      (!['dmn:DecisionTable', 'dmn:LiteralExpression'].includes(logic.$type) ||
        (logic.$type === 'dmn:LiteralExpression' &&
          (knowledge.length > 0 ||
            // Its value is a function, which JSON cannot hold.
            /^function\s*\(/.test(textOf(logic)?.trim() ?? '') ||
            d.requiredDecisions.some((r) => byDecisionId.has(r) && !isPlain(byDecisionId.get(r)!.el)) ||
            // It calls a required decision whose value is a function, which only the boxed evaluation hands on.
            (d.requiredDecisions.length > 0 && !literalCompiles(textOf(logic)?.trim() ?? '', scope, typeNames)))));
    if (needsBoxed && logic) {
      const bscope = new Map(scope);
      for (const k of knowledge) bscope.set(knowledgeNames.get(k) ?? k, { kind: 'any' });
      try {
        const variable = d.el.variable as ModdleElement | undefined;
        boxedDecisions.push({
          id: d.beslisId,
          dmnId: d.id,
          name: d.name,
          logic: readBoxed(logic, { types, model, owner: d, scope: bscope }),
          requires,
          knowledge,
          inputs: inputsOf(d),
          resultType: types.feelType(variable?.typeRef ?? logic.typeRef),
        });
        boxedOk.add(d.id);
      } catch (err) {
        if (!(err instanceof BoxedReadError)) throw err;
        problems.push(dmnProblem('warning', { element: 'decision', id: err.elementId, name: d.name }, 'DMN_BOXED_NOT_READ', { decision: d.name, detail: err.message }));
      }
      if (logic.$type === 'dmn:LiteralExpression' && boxedOk.has(d.id)) {
        // Not one of `literalDecisions`: the store refuses it as one all the same (storable.ts).
        failed.add(d.id);
        continue;
      }
    }
    if (!logic) {
      const unread = unreadLogic(converted.xml, d.id);
      // A DMN 1.4 box is evaluated in memory as the FEEL it stands for; the store refuses it all the same.
      const feel = unread ? boxed14Feel(converted.xml, d.id) : undefined;
      if (feel !== undefined) {
        boxedDecisions.push({
          id: d.beslisId,
          dmnId: d.id,
          name: d.name,
          logic: { kind: 'literal', id: d.id, text: feel },
          requires,
          knowledge,
          inputs: inputsOf(d),
          resultType: types.feelType((d.el.variable as ModdleElement | undefined)?.typeRef),
        });
        boxedOk.add(d.id);
      } else if (!unread) {
        // A decision without logic (DMN allows one, as a requirement drawn before it is decided) still has a name
        // and a place in the graph: a decision service may take its value as an input decision (the TCK's 0088).
        // Evaluated itself, it is an error naming it (./model.ts).
        boxedDecisions.push({
          id: d.beslisId,
          dmnId: d.id,
          name: d.name,
          logic: { kind: 'literal', id: d.id, text: '' },
          noLogic: true,
          requires,
          knowledge,
          inputs: inputsOf(d),
          resultType: types.feelType((d.el.variable as ModdleElement | undefined)?.typeRef),
        });
        boxedOk.add(d.id);
      }
      const at = { element: 'decision', id: d.id, name: d.name };
      problems.push(
        unread
          ? dmnProblem('error', at, 'DMN_UNREAD_LOGIC', { decision: d.name, logic: unread, kind: LOGIC_NAMES[`dmn:${unread[0]!.toUpperCase()}${unread.slice(1)}`] ?? 'a boxed expression newer than DMN 1.3' })
          : dmnProblem('error', at, 'DMN_NO_LOGIC', { decision: d.name }),
      );
      failed.add(d.id);
      continue;
    }
    if (logic.$type === 'dmn:LiteralExpression') {
      const text = textOf(logic)?.trim() ?? '';
      const varTypes: Record<string, ColumnType> = {};
      for (const [n, t] of scope) if (t.kind === 'primitive') varTypes[n] = t.type;
      try {
        compileExpression(text, { types: varTypes, names: [...scope.keys()], invalidCalls: 'null', typeNames });
      } catch (err) {
        const e = err as Error & { messageCode?: string; params?: Record<string, string | number> };
        const cause = { message: e.message, ...(e.messageCode ? { code: e.messageCode, params: e.params ?? {} } : {}) };
        problems.push(dmnProblem('error', { element: 'literalExpression', id: str(logic.id) ?? d.id, name: d.name }, 'DMN_LITERAL_NOT_COMPILED', {}, cause));
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
        names: [...scope.keys()],
        resultType: types.feelType((d.el.variable as ModdleElement | undefined)?.typeRef ?? logic.typeRef),
        typeNames,
        meta: { source: `DMN: ${modelName}`, dmn: { model: modelName, namespace: model.namespace, decisionId: d.id, decisionName: d.name } },
      });
      continue;
    }
    if (logic.$type !== 'dmn:DecisionTable') {
      const logicName = logic.$type.replace(/^dmn:/, '').replace(/^./, (c) => c.toLowerCase());
      problems.push(
        dmnProblem('error', { element: logicName, id: str(logic.id) ?? d.id, name: d.name }, 'DMN_UNSUPPORTED_LOGIC', { decision: d.name, logic: logicName, kind: LOGIC_NAMES[logic.$type] ?? logic.$type }),
      );
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
      for (const p of invalid) problems.push(locate(p, table, rules, { id: d.id, name: d.name, tableId: str(logic.id) }));
      failed.add(d.id);
      continue;
    }
    tables.push(table);
  }

  // What fails for the in-memory evaluation too: every failure but a boxed decision's, and what needs one.
  const evalBroken = new Set([...failed].filter((id) => !boxedOk.has(id)));
  for (let grew = true; grew; ) {
    grew = false;
    for (const d of decisions) {
      if (!evalBroken.has(d.id) && d.requiredDecisions.some((r) => evalBroken.has(r))) {
        evalBroken.add(d.id);
        grew = true;
      }
    }
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
        problems.push(dmnProblem('error', { element: 'decision', id: d.id, name: d.name }, 'DMN_REQUIRED_FAILED', { required: byDecisionId.get(bad)?.name ?? bad }));
      }
    }
  }
  const dmnIdOf = (x: { meta?: unknown }) => (x.meta as { dmn?: { decisionId?: string } }).dmn?.decisionId ?? '';
  const ok = (x: { meta?: unknown }) => !failed.has(dmnIdOf(x));
  const held = (x: { meta?: unknown }) => failed.has(dmnIdOf(x)) && !evalBroken.has(dmnIdOf(x));
  const boxed = {
    decisions: boxedDecisions.filter((d) => !evalBroken.has(d.dmnId)),
    knowledgeModels: readKnowledgeModels(bkmEls, { types, model, modelSlug, knowledgeNames, problems }),
    services: readServices(serviceEls, byDecisionId, inputData, types),
    tables: tables.filter(held),
    literalDecisions: literalDecisions.filter(held),
    typeNames,
  };
  return { tables: tables.filter(ok), literalDecisions: literalDecisions.filter(ok), problems, model, boxed };
}

/** Whether a literal expression compiles as a literal decision (names in scope as values, not functions). */
function literalCompiles(text: string, scope: Map<string, TypeInfo>, typeNames: Record<string, FeelType>): boolean {
  try {
    compileExpression(text, { names: [...scope.keys()], invalidCalls: 'null', typeNames });
    return true;
  } catch {
    return false;
  }
}

interface InputDataInfo {
  name: string;
  typeRef?: string;
}

/**
 * The decision requirements graph: input data by id, and the decisions with their requirements and Beslis table ids
 * (`<model>.<decision id>`, or the id a Beslis export wrote). Every other DRG element is reported in `problems`.
 */
function readDrg(
  drgElements: ModdleElement[],
  modelSlug: string,
  problems: ImportProblem[],
): { inputData: Map<string, InputDataInfo>; decisions: DecisionInfo[]; knowledgeOf: Map<string, string[]>; bkmEls: ModdleElement[]; serviceEls: ModdleElement[] } {
  const inputData = new Map<string, InputDataInfo>();
  const knowledgeOf = new Map<string, string[]>();
  const bkmEls: ModdleElement[] = [];
  const serviceEls: ModdleElement[] = [];
  const decisions: DecisionInfo[] = [];
  const usedIds = new Set<string>();
  const uniqueId = (base: string): string => {
    let id = base;
    for (let n = 2; usedIds.has(id); n++) id = `${base}-${n}`;
    usedIds.add(id);
    return id;
  };

  for (const el of drgElements) {
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
              problems.push(dmnProblem('error', { element: 'informationRequirement', id: str(r.id) ?? '', name }, 'DMN_EXTERNAL_REFERENCE', { href: str((r[key] as ModdleElement).href) ?? '?' }));
            }
            list.push(ref.id);
          }
        }
        knowledgeOf.set(id, requiredKnowledge(el));
        for (const k of many(el.knowledgeRequirement)) {
          const ref = hrefId(k.requiredKnowledge);
          problems.push(dmnProblem('warning', { element: 'knowledgeRequirement', id: str(k.id) ?? '', name }, 'DMN_KNOWLEDGE_REQUIREMENT', { decision: name, required: ref?.id ?? '?' }));
        }
        const varName = str((el.variable as ModdleElement | undefined)?.name) ?? name;
        // A model exported by Beslis names its tables; any other gets `<model>.<decision id>`.
        const own = str(beslisAttr(el, 'tableId'));
        const beslisId = own && TABLE_ID.test(own) && !usedIds.has(own) ? uniqueId(own) : uniqueId(`${modelSlug}.${slug(id, 'decision')}`);
        decisions.push({ el, id, name: varName, beslisId, requiredDecisions, requiredInputs });
        break;
      }
      case 'dmn:BusinessKnowledgeModel':
        problems.push(dmnProblem('error', { element: 'businessKnowledgeModel', id, name }, 'DMN_BUSINESS_KNOWLEDGE_MODEL', { name }));
        bkmEls.push(el);
        break;
      case 'dmn:DecisionService':
        problems.push(dmnProblem('error', { element: 'decisionService', id, name }, 'DMN_DECISION_SERVICE', { name }));
        serviceEls.push(el);
        break;
      case 'dmn:KnowledgeSource':
        problems.push(dmnProblem('warning', { element: 'knowledgeSource', id, name }, 'DMN_KNOWLEDGE_SOURCE', { name }));
        break;
      default:
        problems.push(dmnProblem('error', { element: el.$type.replace(/^dmn:/, ''), id, name }, 'DMN_UNSUPPORTED_ELEMENT', { type: el.$type }));
    }
  }
  return { inputData, decisions, knowledgeOf, bkmEls, serviceEls };
}

/** The DMN ids of the BKMs and decision services an element requires (its knowledge requirements). */
function requiredKnowledge(el: ModdleElement): string[] {
  return many(el.knowledgeRequirement).flatMap((k) => {
    const ref = hrefId(k.requiredKnowledge);
    return ref ? [ref.id] : [];
  });
}

/** The business knowledge models, each a function definition (its encapsulated logic); one that cannot be read is reported. */
function readKnowledgeModels(
  els: ModdleElement[],
  ctx: { types: Types; model: { name: string; namespace: string }; modelSlug: string; knowledgeNames: Map<string, string>; problems: ImportProblem[] },
): KnowledgeModel[] {
  const out: KnowledgeModel[] = [];
  for (const el of els) {
    const id = str(el.id) ?? '';
    const variable = el.variable as ModdleElement | undefined;
    const name = str(variable?.name) ?? str(el.name) ?? id;
    const knowledge = requiredKnowledge(el);
    const logicEl = el.encapsulatedLogic as ModdleElement | undefined;
    const declared = ctx.types.feelType(variable?.typeRef);
    const resultType = str(logicEl?.typeRef) ? ctx.types.feelType(logicEl?.typeRef) : declared.k === 'function' ? declared.result : declared;
    let logic: KnowledgeModel['logic'] = null;
    if (logicEl) {
      const scope = new Map<string, TypeInfo>();
      for (const k of knowledge) scope.set(ctx.knowledgeNames.get(k) ?? k, { kind: 'any' });
      const owner: DecisionInfo = { el, id, name, beslisId: `${ctx.modelSlug}.${slug(id, 'bkm')}`, requiredDecisions: [], requiredInputs: [] };
      try {
        const read = readBoxed(logicEl, { types: ctx.types, model: ctx.model, owner, scope });
        if (read.kind === 'function') logic = read;
      } catch (err) {
        if (!(err instanceof BoxedReadError)) throw err;
        ctx.problems.push(dmnProblem('warning', { element: 'businessKnowledgeModel', id: err.elementId, name }, 'DMN_BOXED_NOT_READ', { decision: name, detail: err.message }));
        continue;
      }
    }
    out.push({ dmnId: id, name, logic, knowledge, resultType });
  }
  return out;
}

/** The decision services: output decisions, input decisions and input data by reference (DMN 1.5 6.3.x, 10.4). */
function readServices(els: ModdleElement[], decisions: Map<string, DecisionInfo>, inputData: Map<string, InputDataInfo>, types: Types): DecisionService[] {
  const ids = (v: unknown) => many(v).flatMap((r) => {
    const ref = hrefId(r);
    return ref ? [ref.id] : [];
  });
  return els.map((el) => {
    const variable = el.variable as ModdleElement | undefined;
    const declared = types.feelType(variable?.typeRef);
    const beslis = (id: string) => decisions.get(id)?.beslisId ?? id;
    const decisionType = (id: string) => types.feelType((decisions.get(id)?.el.variable as ModdleElement | undefined)?.typeRef);
    return {
      dmnId: str(el.id) ?? '',
      name: str(variable?.name) ?? str(el.name) ?? str(el.id) ?? '',
      outputs: ids(el.outputDecision).map(beslis),
      inputDecisions: ids(el.inputDecision).map(beslis),
      inputData: ids(el.inputData).map((id) => inputData.get(id)?.name ?? id),
      paramTypes: [...ids(el.inputData).map((id) => types.feelType(inputData.get(id)?.typeRef)), ...ids(el.inputDecision).map(decisionType)],
      resultType: declared.k === 'function' ? declared.result : declared,
    };
  });
}
