// DMN import: what becomes a table, a literal decision, or a problem (with the element's id and a reason).
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { DEFAULT_TCK_DIR } from '../../server/cli/commands/tck.ts';
import { compileTable } from '../../server/engine/index.ts';
import { DmnModel, importDmn, type ImportProblem } from '../../server/dmn/index.ts';

const SAMPLES = join(dirname(fileURLToPath(import.meta.url)), 'samples');
const sample = (name: string) => readFileSync(join(SAMPLES, name), 'utf8');
const TCK = DEFAULT_TCK_DIR;

function problem(problems: ImportProblem[], id: string): ImportProblem {
  const found = problems.filter((p) => p.id === id);
  expect(found, `a problem for element ${id}`).toHaveLength(1);
  return found[0]!;
}

describe('unsupported DMN elements are reported one by one', async () => {
  const result = await importDmn(sample('unsupported.dmn'));
  const { problems } = result;

  it('names each unsupported element with its id, kind and reason', () => {
    expect(problem(problems, 'bkm_discount')).toMatchObject({ severity: 'error', element: 'businessKnowledgeModel', name: 'Discount' });
    expect(problem(problems, 'bkm_discount').message).toMatch(/business knowledge model 'Discount'.*functions/);
    expect(problem(problems, 'ctx_logic')).toMatchObject({ severity: 'error', element: 'context', name: 'Context decision' });
    expect(problem(problems, 'ctx_logic').message).toMatch(/boxed context/);
    expect(problem(problems, 'inv_logic')).toMatchObject({ severity: 'error', element: 'invocation' });
    expect(problem(problems, 'inv_logic').message).toMatch(/invocation/);
    expect(problem(problems, 'rel_logic')).toMatchObject({ severity: 'error', element: 'relation' });
    expect(problem(problems, 'fun_logic')).toMatchObject({ severity: 'error', element: 'functionDefinition' });
    expect(problem(problems, 'svc')).toMatchObject({ severity: 'error', element: 'decisionService' });
    expect(problem(problems, 'empty').message).toMatch(/no decision logic/);
  });

  it('reports what is imported with a loss as a warning', () => {
    expect(problem(problems, 'inv_kr')).toMatchObject({ severity: 'warning', element: 'knowledgeRequirement' });
    expect(problem(problems, 'law')).toMatchObject({ severity: 'warning', element: 'knowledgeSource' });
  });

  it('locates a cell that does not parse at its inputEntry, with the rule and the parser message', () => {
    const p = problem(problems, 'broken_r1_i');
    expect(p).toMatchObject({ severity: 'error', element: 'inputEntry', name: 'Broken cell' });
    expect(p.message).toMatch(/rule broken_r1, Age: expected a value at column 5/);
  });

  it('refuses a decision that requires one that could not be imported', () => {
    expect(problem(problems, 'needs_ctx').message).toMatch(/requires decision 'Context decision', which could not be imported/);
  });

  it('keeps every decision out of the result that has an error, and nothing silently', () => {
    const imported = [...result.tables.map((t) => t.meta!.dmn as { decisionId: string }), ...result.literalDecisions.map((l) => l.meta.dmn)].map((o) => o.decisionId);
    expect(imported.sort()).toEqual(['good', 'label']);
    const decisions = ['ctx', 'inv', 'rel', 'fun', 'empty', 'needs_ctx', 'broken', 'good', 'label'];
    for (const id of decisions) {
      const reported = problems.some((p) => p.severity === 'error' && (p.id === id || p.id.startsWith(`${id}_`)));
      expect(imported.includes(id) || reported, `decision ${id} is imported or reported`).toBe(true);
    }
  });

  it('imports the good table with its default and annotations, and the literal decision that uses it', () => {
    const [table] = result.tables;
    expect(table).toMatchObject({
      id: 'unsupported-elements.good',
      title: 'AgeGroup',
      hitPolicy: 'UNIQUE',
      inputs: [{ name: 'Age', type: 'number', optional: true }],
      outputs: [{ name: 'AgeGroup', type: 'string', default: '"unknown"' }],
      rules: [
        { id: 'good_r1', when: { Age: '< 18' }, then: { AgeGroup: '"minor"' }, note: 'Under age' },
        { id: 'good_r2', when: { Age: '>= 18' }, then: { AgeGroup: '"adult"' }, note: 'Of age' },
      ],
    });
    expect(result.literalDecisions[0]).toMatchObject({ id: 'unsupported-elements.label', requires: ['unsupported-elements.good'], expression: '"group: " + AgeGroup' });
    const model = new DmnModel(result);
    expect(model.evaluate('Label', { Age: 12 })).toBe('group: minor');
    expect(model.evaluate('AgeGroup', { Age: null })).toBe('unknown');
  });
});

describe('DMN versions', () => {
  it('migrates a DMN 1.1 model (Camunda style) and imports its table', async () => {
    const result = await importDmn(sample('dish-dmn11.dmn'));
    expect(result.problems).toEqual([]);
    expect(result.model.dmnVersion).toBe('1.1');
    const [table] = result.tables;
    expect(table).toMatchObject({
      id: 'dish.dish',
      hitPolicy: 'FIRST',
      inputs: [
        { name: 'season', label: 'Season', type: 'string', values: ['Winter', 'Summer', 'Spring'] },
        { name: 'guestCount', label: 'How many guests', type: 'number' },
      ],
      outputs: [{ name: 'desiredDish', label: 'Dish', type: 'string' }],
    });
    expect(table!.rules.map((r) => r.id)).toEqual(['row-1', 'row-2', 'row-3']);
    expect(table!.rules[0]!.note).toBe('Small winter dinner');
    expect(table!.rules[2]!.when).toEqual({ season: '"Summer","Spring"' });
    const compiled = compileTable(table!);
    expect(compiled.evaluate({ season: 'Winter', guestCount: 10 }).output).toEqual({ desiredDish: 'Roastbeef' });
    expect(compiled.evaluate({ season: 'Spring', guestCount: 3 }).output).toEqual({ desiredDish: 'Salad' });
  });

  it('reads a DMN 1.5 model: paths, expressions, awkward names, item definitions, wiring and a literal decision', async () => {
    const result = await importDmn(sample('shapes-dmn15.dmn'));
    expect(result.model.dmnVersion).toBe('1.5');
    const level = result.tables.find((t) => t.title === 'Level')!;
    expect(level.id).toBe('vergunning-shapes.level');
    expect(level.hitPolicy).toBe('PRIORITY');
    expect(level.inputs).toEqual([
      { name: 'Applicant_age', label: 'Age', type: 'number', optional: true, path: 'Applicant.age' },
      { name: 'Double amount', type: 'number', optional: true, expression: 'Amount * 2' },
      { name: 'Applicant_s score', label: "Applicant's score", type: 'number', optional: true, path: "Applicant's score", values: [1, 2, 3] },
      { name: 'Wait', type: 'duration', optional: true, values: ['P1D', 'P7D'] },
    ]);
    expect(level.outputs).toEqual([{ name: 'Level', type: 'string', values: ['high', 'low'], default: '"low"' }]);
    expect(level.meta!.dmn).toMatchObject({ decisionId: 'level', decisionName: 'Level', tableId: 'level_dt' });

    const fee = result.tables.find((t) => t.title === 'Fee')!;
    expect(fee).toMatchObject({ hitPolicy: 'COLLECT', aggregation: 'SUM', requires: ['vergunning-shapes.level'] });
    // The cells read Applicant.since, a date inside a structure: a typed conversion reads it as a date.
    expect(fee.inputs[1]).toMatchObject({ name: 'Applicant', expression: 'if Applicant = null then null else {age: Applicant.age, since: date(Applicant.since)}' });

    const model = new DmnModel(result);
    const input = { Applicant: { age: 20, since: '1999-05-01' }, Amount: 60, "Applicant's score": 1, Wait: 'P1D' };
    expect(model.evaluate('Level', input)).toBe('high');
    expect(model.evaluate('Fee', input)).toBe(36.5);
    expect(model.evaluate('Message', input)).toBe('fee 36.5');
    expect(model.evaluate('Level', { ...input, Amount: 10, "Applicant's score": 2, Wait: 'P7D' })).toBe('low');
    expect(model.evaluate('Level', { ...input, Amount: 10 })).toBe('low'); // the default
    expect(() => model.evaluate('Level', { ...input, "Applicant's score": 7 })).toThrow(/not one of the allowed values/);

    // The DMN 1.5 boxed conditional: a parse warning and an error naming the decision and the element.
    expect(result.problems.find((p) => p.element === 'xml')?.message).toMatch(/conditional/);
    expect(problem(result.problems, 'cond').message).toMatch(/<conditional> \(a boxed conditional/);
  });

  it('migrates a DMN 1.2 model too', async () => {
    const xml = sample('dish-dmn11.dmn').replace('http://www.omg.org/spec/DMN/20151101/dmn.xsd', 'http://www.omg.org/spec/DMN/20180521/MODEL/');
    const result = await importDmn(xml);
    expect(result.model.dmnVersion).toBe('1.2');
    expect(result.problems).toEqual([]);
    expect(compileTable(result.tables[0]!).evaluate({ season: 'Winter', guestCount: 4 }).output).toEqual({ desiredDish: 'Spareribs' });
  });

  it("takes a PRIORITY table's order from the output type's allowed values when it has no output values", async () => {
    const xml = `<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="p" name="Prio" namespace="urn:p">
      <itemDefinition name="tLevel"><typeRef>string</typeRef><allowedValues><text>"high", "low"</text></allowedValues></itemDefinition>
      <itemDefinition name="tLevel2"><typeRef>tLevel</typeRef></itemDefinition>
      <decision id="d" name="Level"><variable name="Level" typeRef="tLevel2"/>
        <decisionTable id="dt" hitPolicy="PRIORITY">
          <input id="i"><inputExpression id="ie" typeRef="number"><text>x</text></inputExpression></input>
          <output id="o"/>
          <rule id="r1"><inputEntry id="r1i"><text>&gt; 0</text></inputEntry><outputEntry id="r1o"><text>"low"</text></outputEntry></rule>
          <rule id="r2"><inputEntry id="r2i"><text>&gt; 5</text></inputEntry><outputEntry id="r2o"><text>"high"</text></outputEntry></rule>
        </decisionTable></decision></definitions>`;
    const result = await importDmn(xml);
    expect(result.problems).toEqual([]);
    expect(result.tables[0]!.outputs[0]!.values).toEqual(['high', 'low']);
    const model = new DmnModel(result);
    expect(model.evaluate('Level', { x: 7 })).toBe('high');
    expect(model.evaluate('Level', { x: 1 })).toBe('low');
  });

  it('warns when dates inside a structure cannot be converted (a component name FEEL cannot write plainly)', async () => {
    const xml = `<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/" id="w" name="Warn" namespace="urn:w">
      <itemDefinition name="tPeriod"><itemComponent name="start date"><typeRef>date</typeRef></itemComponent></itemDefinition>
      <inputData id="period" name="Period"><variable name="Period" typeRef="tPeriod"/></inputData>
      <decision id="d" name="Open"><variable name="Open" typeRef="boolean"/>
        <informationRequirement id="ir"><requiredInput href="#period"/></informationRequirement>
        <decisionTable id="dt">
          <input id="i"><inputExpression id="ie"><text>Period</text></inputExpression></input>
          <output id="o"/>
          <rule id="r1"><inputEntry id="r1i"><text>-</text></inputEntry><outputEntry id="r1o"><text>true</text></outputEntry></rule>
        </decisionTable></decision></definitions>`;
    const result = await importDmn(xml);
    expect(result.tables).toHaveLength(1);
    expect(result.tables[0]!.inputs[0]).toEqual({ name: 'Period', type: 'any', optional: true });
    expect(problem(result.problems, 'i')).toMatchObject({ severity: 'warning', element: 'input' });
    expect(problem(result.problems, 'i').message).toMatch(/'Period' holds dates.*read as text/);
  });

  it('refuses what is not DMN, and XML that does not parse, without throwing', async () => {
    const notDmn = await importDmn('<?xml version="1.0"?><definitions xmlns="http://example.org/other"/>');
    expect(notDmn.problems).toEqual([expect.objectContaining({ severity: 'error', message: expect.stringMatching(/not a DMN model/) })]);
    const broken = await importDmn('<definitions xmlns="https://www.omg.org/spec/DMN/20191111/MODEL/"><decision id="a"');
    expect(broken.tables).toEqual([]);
    expect(broken.problems.some((p) => p.severity === 'error' && /cannot be read/.test(p.message))).toBe(true);
  });
});

describe('TCK models', () => {
  it('imports 0010 with names, output values, defaults and DMN ids in meta', async () => {
    const result = await importDmn(readFileSync(join(TCK, '0010-multi-output-U', '0010-multi-output-U.dmn'), 'utf8'));
    expect(result.problems).toEqual([]);
    const [t] = result.tables;
    expect(t!.id).toBe('0010-multi-output-u.3b2953a3-745f-4d2e-b55d-75c8c5ae653c');
    expect(t!.id).toMatch(/^[a-z0-9-]+(\.[a-z0-9-]+)*$/);
    expect(t!.outputs).toEqual([
      { name: 'Status', type: 'string', values: ['Approved', 'Declined'], default: '"Declined"' },
      { name: 'Rate', type: 'string', values: ['Best', 'Standard'], default: '"Standard"' },
    ]);
    expect(t!.inputs.map((i) => [i.name, i.type, i.optional])).toEqual([
      ['Age', 'number', true],
      ['RiskCategory', 'string', true],
      ['isAffordable', 'boolean', true],
    ]);
    expect(t!.meta!.dmn).toMatchObject({ decisionId: '_3b2953a3-745f-4d2e-b55d-75c8c5ae653c', decisionName: 'Approval' });
  });

  it('makes a DMN output name that is not a Beslis name valid, and keeps the DMN name for results', async () => {
    const result = await importDmn(readFileSync(join(TCK, '0119-multi-collect-hitpolicy', '0119-multi-collect-hitpolicy.dmn'), 'utf8'));
    const [t] = result.tables;
    expect(t!.outputs[0]).toMatchObject({ name: 'Approved_Declined', label: 'Approved/Declined' });
    const model = new DmnModel(result);
    expect(model.evaluate('Approval Status', { Age: 17, RiskCategory: 'High', isAffordable: true })).toEqual([
      { 'Approved/Declined': 'Declined', Rate: 'Standard' },
      { 'Approved/Declined': 'Approved', Rate: 'Standard' },
    ]);
  });

  it('imports the 0072 literal expressions as literal decisions, not tables', async () => {
    const result = await importDmn(readFileSync(join(TCK, '0072-feel-in', '0072-feel-in.dmn'), 'utf8'));
    expect(result.tables).toEqual([]);
    // 348 decisions (four more are commented out in the file): each is a literal decision or a reported problem.
    expect(result.literalDecisions.length + result.problems.filter((p) => p.element === 'literalExpression').length).toBe(348);
    expect(result.literalDecisions.find((d) => d.name === 'number_001')).toMatchObject({ expression: '1 in [2,3,1]', id: '0072-feel-in.number-001' });
  });
});

describe('item definitions are types', async () => {
  const model = new DmnModel(await importDmn(sample('item-types.dmn')));

  it('converts a literal decision result to its declared type: singleton lists both ways, otherwise null', () => {
    expect(model.evaluate('One amount', {})).toEqual([10]);
    expect(model.evaluate('Single name', {})).toBe('Jansen');
    expect(model.evaluate('Not amounts', {})).toBe(null);
    expect(model.evaluate('Wrong type', {})).toBe(null);
  });

  it('lets a context with more entries than the type stand for it, not one with fewer', () => {
    expect(model.evaluate('Applicant', {})).toEqual({ name: 'Jansen', age: 40, city: 'Enschede' });
    expect(model.evaluate('Half applicant', {})).toBe(null);
  });

  it('lets instance of name the item definitions (allowed values are not part of the type)', () => {
    expect(model.evaluate('Checks', {})).toEqual([true, false, true, true]);
  });
});

describe('typed answers through a DMN model', async () => {
  const model = new DmnModel(await importDmn(sample('typed-chain.dmn')));

  it('reads an input of type Any as the type the case gives it, and hands a date on as a date', () => {
    expect(model.evaluateTyped('Due', { Start: '2024-01-31' }, new Map(), { '/Start': 'date' })).toEqual({ value: '2024-02-14', types: { '': 'date' } });
    expect(model.evaluateTyped('Weekday', { Start: '2024-01-31' }, new Map(), { '/Start': 'date' })).toEqual({
      value: { day: 'Wednesday', due: '2024-02-14', text: '2024-02-14' },
      types: { '/due': 'date' },
    });
  });

  it('without the type, the same text is a string, and a string plus a duration is null', () => {
    expect(model.evaluateTyped('Due', { Start: '2024-01-31' })).toEqual({ value: null, types: {} });
  });
});

describe('names with keywords in them', async () => {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20230324/MODEL/" id="kw" name="Keywords" namespace="https://beslis.example/kw">
  <inputData id="i_days" name="days in weekend"><variable name="days in weekend"/></inputData>
  <decision id="d_sun" name="Sundays"><variable name="Sundays"/>
    <informationRequirement><requiredInput href="#i_days"/></informationRequirement>
    <literalExpression><text>for i in days in weekend return i = "sunday"</text></literalExpression></decision>
</definitions>`;
  const model = new DmnModel(await importDmn(xml));

  it('reads an input of any type whose name holds `in` as that one name', () => {
    expect(model.evaluate('Sundays', { 'days in weekend': ['saturday', 'sunday'] })).toEqual([false, true]);
  });
});
