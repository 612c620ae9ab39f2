// Beslis decision tables → DMN 1.3 XML (dmn-moddle's toXML), with a diagram (DMNDI) so that dmn-js and the Camunda
// Modeler show the decision and its input data. What DMN has no place for travels in `beslis:` attributes
// (beslis-moddle.ts) so that the file imports back as the same table.
import type { ModdleElement } from 'dmn-moddle';
import type { DecisionTable, InputColumn } from '../engine/types.ts';
import { newModdle } from './beslis-moddle.ts';
import { exportRuleId, feelLiteral, NCNAME, typeRefOf } from './feel-text.ts';
import type { DmnTableOrigin } from './types.ts';

function ncname(text: string, prefix: string): string {
  const s = text.replace(/[^A-Za-z0-9_.-]/g, '_');
  return NCNAME.test(s) ? s : `${prefix}_${s}`;
}

function inputText(col: InputColumn): string {
  return col.expression ?? col.path ?? col.name;
}

/** Whether the column reads one plain name of the case (and so stands for a DMN input data element). */
function readsName(col: InputColumn): boolean {
  return col.expression === undefined && (col.path === undefined || !col.path.includes('.'));
}

interface Layout {
  decision: ModdleElement;
  inputs: ModdleElement[];
  requirements: ModdleElement[];
  x: number;
}

/**
 * Exports tables as one DMN 1.3 model: one decision per table, input data for the columns that read a plain name,
 * and a required-decision link for each `requires` id that is among the tables exported (others are left out).
 */
export async function exportDmnModel(tables: DecisionTable[], opts: { name?: string; id?: string } = {}): Promise<string> {
  if (tables.length === 0) throw new Error('nothing to export: no tables');
  const moddle = newModdle();
  const create = (type: string, attrs: Record<string, unknown> = {}) => moddle.create(type, attrs);
  const first = tables[0]!;
  const modelKey = opts.id ?? (tables.length === 1 ? first.id : first.id.split('.')[0]!);
  const usedIds = new Set<string>();
  const uid = (base: string): string => {
    let id = base;
    for (let n = 2; usedIds.has(id); n++) id = `${base}_${n}`;
    usedIds.add(id);
    return id;
  };

  const drg: ModdleElement[] = [];
  const inputData = new Map<string, ModdleElement>();
  const decisionOf = new Map<string, ModdleElement>();
  const layouts: Layout[] = [];

  // A single-output table whose output feeds an input of a table requiring it is, in DMN, a decision named after
  // that output: the input expression then names the decision's value, as DMN wants.
  const feeding = new Set<string>();
  for (const t of tables) {
    for (const req of t.requires ?? []) {
      const r = tables.find((x) => x.id === req);
      if (r && r.outputs.length === 1 && t.inputs.some((c) => c.name === r.outputs[0]!.name && readsName(c))) feeding.add(r.id);
    }
  }
  const decisionNames = new Set<string>();

  // First the decisions (ids are needed for requirements), then their logic.
  for (const table of tables) {
    const origin = table.meta?.dmn as DmnTableOrigin | undefined;
    const id = uid(origin?.decisionId && NCNAME.test(origin.decisionId) ? origin.decisionId : ncname(`decision_${table.id}`, 'decision'));
    const outputName = table.outputs[0]!.name;
    let name = origin?.decisionName ?? table.title;
    if (!origin && feeding.has(table.id) && !decisionNames.has(outputName)) name = outputName;
    decisionNames.add(name);
    const single = table.outputs.length === 1 ? table.outputs[0]! : undefined;
    const variableType = single && !table.hitPolicy?.match(/COLLECT|ORDER/) ? typeRefOf(single.type) : undefined;
    const variable = create('dmn:InformationItem', { id: uid(`${id}_variable`), name, ...(variableType ? { typeRef: variableType } : {}) });
    const decision = create('dmn:Decision', { id, name, variable, 'beslis:tableId': table.id, informationRequirement: [] });
    if (name !== table.title) decision.label = table.title;
    if (table.description) decision.description = table.description;
    decisionOf.set(table.id, decision);
    drg.push(decision);
  }

  tables.forEach((table) => {
    const decision = decisionOf.get(table.id)!;
    const origin = table.meta?.dmn as DmnTableOrigin | undefined;
    const did = String(decision.id);
    const requirements: ModdleElement[] = [];
    const layoutInputs: ModdleElement[] = [];

    for (const req of table.requires ?? []) {
      const other = decisionOf.get(req);
      if (!other) continue;
      const r = create('dmn:InformationRequirement', { id: uid(`${did}_requires_${String(other.id)}`), requiredDecision: create('dmn:DMNElementReference', { href: `#${String(other.id)}` }) });
      requirements.push(r);
    }

    const inputs = table.inputs.map((col, i) => {
      const dmnInput = origin?.inputs[i];
      const typeRef = dmnInput?.typeRef ?? typeRefOf(col.type);
      const text = inputText(col);
      const inputExpression = create('dmn:LiteralExpression', { id: uid(`${did}_inputExpression_${i + 1}`), text, ...(typeRef ? { typeRef } : {}) });
      const attrs: Record<string, unknown> = {
        id: uid(dmnInput?.id && NCNAME.test(dmnInput.id) ? dmnInput.id : `${did}_input_${i + 1}`),
        label: col.label ?? col.name,
        inputExpression,
      };
      if (text !== col.name) attrs['beslis:name'] = col.name;
      attrs['beslis:optional'] = col.optional === true;
      if (col.values && col.values.length > 0) {
        attrs.inputValues = create('dmn:UnaryTests', { id: uid(`${did}_inputValues_${i + 1}`), text: col.values.map((v) => feelLiteral(v, col.type)).join(', ') });
      }
      if (col.description) attrs.description = col.description;
      // Plain names are the decision's input data (unless another decision's output feeds them).
      const feeder = tables.some((o) => table.requires?.includes(o.id) && o.outputs.some((out) => out.name === col.name));
      if (readsName(col) && !feeder) {
        const dataName = col.path ?? col.name;
        let data = inputData.get(dataName);
        if (!data) {
          const dataId = uid(ncname(`inputData_${dataName}`, 'inputData'));
          const dataType = typeRefOf(col.type);
          data = create('dmn:InputData', {
            id: dataId,
            name: dataName,
            variable: create('dmn:InformationItem', { id: uid(`${dataId}_variable`), name: dataName, ...(dataType ? { typeRef: dataType } : {}) }),
          });
          inputData.set(dataName, data);
          drg.push(data);
        }
        if (!requirements.some((r) => (r.requiredInput as ModdleElement | undefined)?.href === `#${String(data.id)}`)) {
          requirements.push(create('dmn:InformationRequirement', { id: uid(`${did}_requires_${String(data.id)}`), requiredInput: create('dmn:DMNElementReference', { href: `#${String(data.id)}` }) }));
          layoutInputs.push(data);
        }
      }
      return create('dmn:InputClause', attrs);
    });

    const outputs = table.outputs.map((col, i) => {
      const dmnOutput = origin?.outputs[i];
      const typeRef = dmnOutput?.typeRef ?? typeRefOf(col.type);
      const attrs: Record<string, unknown> = {
        id: uid(dmnOutput?.id && NCNAME.test(dmnOutput.id) ? dmnOutput.id : `${did}_output_${i + 1}`),
        // The DMN name (which may hold characters a Beslis name cannot) when the table came from DMN.
        name: dmnOutput?.dmnName ?? col.name,
        ...(col.label ? { label: col.label } : {}),
        ...(typeRef ? { typeRef } : {}),
      };
      if (col.values && col.values.length > 0) {
        attrs.outputValues = create('dmn:UnaryTests', { id: uid(`${did}_outputValues_${i + 1}`), text: col.values.map((v) => feelLiteral(v, col.type)).join(', ') });
      }
      if (col.default !== undefined) {
        attrs.defaultOutputEntry = create('dmn:LiteralExpression', { id: uid(`${did}_default_${i + 1}`), text: col.default });
      }
      if (col.description) attrs.description = col.description;
      return create('dmn:OutputClause', attrs);
    });

    const rules = table.rules.map((rule) => {
      const rid = uid(exportRuleId(rule.id));
      const attrs: Record<string, unknown> = {
        id: rid,
        inputEntry: table.inputs.map((col, c) => create('dmn:UnaryTests', { id: uid(`${rid}_in_${c + 1}`), text: rule.when[col.name] ?? '-' })),
        outputEntry: table.outputs.map((col, c) => create('dmn:LiteralExpression', { id: uid(`${rid}_out_${c + 1}`), text: rule.then[col.name] ?? 'null' })),
      };
      // DMN ids are XML names, unique in the model; a Beslis rule id that had to change travels in the label.
      if (rid !== rule.id) attrs.label = rule.id;
      if (rule.note) attrs.description = rule.note;
      return create('dmn:DecisionRule', attrs);
    });

    const dtAttrs: Record<string, unknown> = {
      id: uid(origin?.tableId && NCNAME.test(origin.tableId) ? origin.tableId : `${did}_table`),
      hitPolicy: table.hitPolicy ?? 'UNIQUE',
      outputLabel: table.title,
      input: inputs,
      output: outputs,
      rule: rules,
    };
    if (table.aggregation) dtAttrs.aggregation = table.aggregation;
    decision.decisionLogic = create('dmn:DecisionTable', dtAttrs);
    decision.informationRequirement = requirements;
    layouts.push({ decision, inputs: layoutInputs, requirements, x: 0 });
  });

  // Diagram: decisions on one row, their input data below; edges from input data / required decisions upwards.
  const shapes: ModdleElement[] = [];
  const edges: ModdleElement[] = [];
  const placed = new Map<string, { x: number; y: number; w: number; h: number }>();
  const place = (el: ModdleElement, x: number, y: number, w: number, h: number) => {
    placed.set(String(el.id), { x, y, w, h });
    shapes.push(create('dmndi:DMNShape', { id: uid(`DMNShape_${String(el.id)}`), dmnElementRef: el, bounds: create('dc:Bounds', { x, y, width: w, height: h }) }));
  };
  let x = 160;
  for (const l of layouts) {
    const width = Math.max(180, l.inputs.length * 150);
    place(l.decision, x + (width - 180) / 2, 100, 180, 80);
    l.inputs.forEach((data, i) => {
      if (!placed.has(String(data.id))) place(data, x + i * 150, 300, 125, 45);
    });
    x += width + 60;
  }
  for (const l of layouts) {
    const to = placed.get(String(l.decision.id))!;
    for (const req of l.requirements) {
      const href = String(((req.requiredInput ?? req.requiredDecision) as ModdleElement).href).slice(1);
      const from = placed.get(href);
      if (!from) continue;
      const fromPoint = from.y > to.y ? { x: from.x + from.w / 2, y: from.y } : { x: from.x + from.w, y: from.y + from.h / 2 };
      const toPoint = from.y > to.y ? { x: to.x + to.w / 2, y: to.y + to.h } : { x: to.x, y: to.y + to.h / 2 };
      edges.push(
        create('dmndi:DMNEdge', {
          id: uid(`DMNEdge_${String(req.id)}`),
          dmnElementRef: req,
          waypoint: [create('dc:Point', fromPoint), create('dc:Point', toPoint)],
        }),
      );
    }
  }
  const diagram = create('dmndi:DMNDiagram', { id: uid('DMNDiagram_1'), diagramElements: [...shapes, ...edges] });

  const definitions = create('dmn:Definitions', {
    id: uid(ncname(`definitions_${modelKey}`, 'definitions')),
    name: opts.name ?? (tables.length === 1 ? first.title : modelKey),
    namespace: `https://beslis.local/dmn/${modelKey}`,
    exporter: 'Beslis',
    exporterVersion: '0.1.0',
    drgElement: drg,
    dmnDI: create('dmndi:DMNDI', { diagrams: [diagram] }),
  });
  (definitions.$attrs as Record<string, string>).xmlns = 'https://www.omg.org/spec/DMN/20191111/MODEL/';
  const { xml } = await moddle.toXML(definitions, { format: true });
  return xml;
}

/** Exports one table as a DMN 1.3 model (its `requires` links are not part of a single-table export). */
export async function exportDmn(table: DecisionTable): Promise<string> {
  return exportDmnModel([table]);
}
