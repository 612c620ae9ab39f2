// How a DMN model converts values to their declared types (DMN 1.5 10.3.2.9.4) where BKMs, function definitions and
// decision services are invoked, how a built-in passes as a value, and what a DMN 1.4 box does with a condition
// that is not a boolean: each on a small model of its own, evaluated in memory as the TCK runner does.
import { describe, expect, it } from 'vitest';
import { DmnModel, importDmn } from '../../server/dmn/index.ts';

async function modelOf(body: string): Promise<DmnModel> {
  const xml = `<?xml version="1.0" encoding="UTF-8"?>
<definitions xmlns="https://www.omg.org/spec/DMN/20230324/MODEL/" id="m" name="conversion" namespace="https://beslis.test/conversion">
  <itemDefinition name="tNameAndAge">
    <itemComponent name="name"><typeRef>string</typeRef></itemComponent>
    <itemComponent name="age"><typeRef>number</typeRef></itemComponent>
  </itemDefinition>
  <itemDefinition name="tNumbers" isCollection="true"><typeRef>number</typeRef></itemDefinition>
${body}
</definitions>`;
  return new DmnModel(await importDmn(xml));
}

const idOf = (name: string) => `d_${name.replace(/ /g, '_')}`;
const literal = (name: string, text: string, extra = '', typeRef = '') =>
  `<decision id="${idOf(name)}" name="${name}"><variable name="${name}"${typeRef ? ` typeRef="${typeRef}"` : ''}/>${extra}<literalExpression><text>${text}</text></literalExpression></decision>`;
const needs = (bkm: string) => `<knowledgeRequirement><requiredKnowledge href="#${bkm}"/></knowledgeRequirement>`;

describe('type conversion of arguments and results', async () => {
  const model = await modelOf(`
  <businessKnowledgeModel id="bkm_greet" name="greet">
    <variable name="greet"/>
    <encapsulatedLogic>
      <formalParameter name="who" typeRef="tNameAndAge"/>
      <literalExpression><text>if who = null then "nobody" else who.name + " (" + string(who.age) + ")"</text></literalExpression>
    </encapsulatedLogic>
  </businessKnowledgeModel>
  <businessKnowledgeModel id="bkm_wrap" name="wrap">
    <variable name="wrap"/>
    <encapsulatedLogic>
      <formalParameter name="x"/>
      <literalExpression typeRef="number"><text>[x]</text></literalExpression>
    </encapsulatedLogic>
  </businessKnowledgeModel>
  ${literal('conforming', 'greet({name: "Ann", age: 40})', needs('bkm_greet'))}
  ${literal('missing entry', 'greet({name: "Ann"})', needs('bkm_greet'))}
  ${literal('singleton argument', 'greet([{name: "Bo", age: 7}])', needs('bkm_greet'))}
  ${literal('null argument', 'greet(null)', needs('bkm_greet'))}
  ${literal('wrapped once', 'wrap(10)', needs('bkm_wrap'))}
  ${literal('wrapped twice', 'wrap([10])', needs('bkm_wrap'))}
  ${literal('to a list', '5', '', 'tNumbers')}
  ${literal('typed function', '{f: function(x: number) if x = null then 0 else x + 1, wrong: f("a"), single: f([2]), none: f(null)}')}
  `);

  it('gives null for an invocation whose argument does not conform to its parameter, not the body run on null', () => {
    expect(model.evaluate('conforming', {})).toBe('Ann (40)');
    expect(model.evaluate('missing entry', {})).toBeNull();
    // null is a fine argument for any parameter: the body runs.
    expect(model.evaluate('null argument', {})).toBe('nobody');
  });

  it('unwraps a singleton list argument to its item', () => {
    expect(model.evaluate('singleton argument', {})).toBe('Bo (7)');
  });

  it('converts a singleton list once: [10] declared a number is 10, [[10]] is null', () => {
    expect(model.evaluate('wrapped once', {})).toBe(10);
    expect(model.evaluate('wrapped twice', {})).toBeNull();
    expect(model.evaluate('to a list', {})).toEqual([5]);
  });

  it('checks a FEEL function literal’s typed parameters the same way', () => {
    expect(model.evaluate('typed function', {})).toMatchObject({ wrong: null, single: 3, none: 0 });
  });
});

describe('a decision service invoked as a function', async () => {
  const model = await modelOf(`
  <inputData id="i_a" name="a"><variable name="a" typeRef="string"/></inputData>
  <inputData id="i_b" name="b"><variable name="b" typeRef="string"/></inputData>
  ${literal('c', '"c from the model"', '', 'string')}
  <decision id="d_join" name="join"><variable name="join" typeRef="string"/>
    <informationRequirement><requiredDecision href="#d_c"/></informationRequirement>
    <informationRequirement><requiredInput href="#i_a"/></informationRequirement>
    <informationRequirement><requiredInput href="#i_b"/></informationRequirement>
    <literalExpression><text>a + b + c</text></literalExpression>
  </decision>
  <decisionService id="ds" name="joiner">
    <variable name="joiner"/>
    <outputDecision href="#d_join"/>
    <inputDecision href="#d_c"/>
    <inputData href="#i_a"/>
    <inputData href="#i_b"/>
  </decisionService>
  ${literal('positional', 'joiner("1", "2", "3")', needs('ds'))}
  ${literal('singleton', 'joiner(["1"], "2", "3")', needs('ds'))}
  ${literal('wrong type', 'joiner("1", "2", 3)', needs('ds'))}
  <decision id="d_verdict" name="verdict"><variable name="verdict" typeRef="string"/></decision>
  <decision id="d_letter" name="letter"><variable name="letter" typeRef="string"/>
    <informationRequirement><requiredDecision href="#d_verdict"/></informationRequirement>
    <literalExpression><text>"Verdict: " + verdict</text></literalExpression>
  </decision>
  <decisionService id="ds_letter" name="letter service">
    <variable name="letter service"/>
    <outputDecision href="#d_letter"/>
    <inputDecision href="#d_verdict"/>
  </decisionService>
  `);

  it('takes its input data first, then its input decisions, whatever order the XML lists them in', () => {
    expect(model.evaluate('positional', {})).toBe('123');
  });

  it('converts each argument to its declared type, and is null when one does not conform', () => {
    expect(model.evaluate('singleton', {})).toBe('123');
    expect(model.evaluate('wrong type', {})).toBeNull();
  });

  it('takes the value of an input decision that has no logic, which evaluated itself is an error naming it', () => {
    expect(model.evaluateService('letter service', { verdict: 'granted' }).get('letter')?.value).toBe('Verdict: granted');
    expect(() => model.evaluate('letter', {})).toThrow(/decision 'verdict': it has no decision logic/);
  });

  it('converts the inputs of a direct evaluation too', () => {
    expect(model.evaluateService('joiner', { a: ['x'], b: 'y', c: 'z' }).get('join')?.value).toBe('xyz');
  });
});

describe('a built-in function passed as a value', async () => {
  const model = await modelOf(`
  <inputData id="i_abs" name="abs"><variable name="abs" typeRef="number"/></inputData>
  <businessKnowledgeModel id="bkm_twice" name="twice">
    <variable name="twice"/>
    <encapsulatedLogic>
      <formalParameter name="fn"/>
      <formalParameter name="x" typeRef="number"/>
      <literalExpression><text>fn(fn(x))</text></literalExpression>
    </encapsulatedLogic>
  </businessKnowledgeModel>
  ${literal('passed', 'twice(sqrt, 81) + twice(abs, -2)', needs('bkm_twice'))}
  ${literal('held', '{f: floor, r: f(2.7), wrong count: f(1, 2, 3)}')}
  <decision id="d_shadow" name="shadowed"><variable name="shadowed"/>
    <informationRequirement><requiredInput href="#i_abs"/></informationRequirement>
    <literalExpression><text>abs</text></literalExpression>
  </decision>
  `);

  it('is called like any function value, its forms checked at each call', () => {
    expect(model.evaluate('passed', {})).toBe(5);
    expect(model.evaluate('held', {})).toMatchObject({ r: 2, 'wrong count': null });
  });

  it('gives way to a variable of the same name', () => {
    expect(model.evaluate('shadowed', { abs: 7 })).toBe(7);
  });
});

describe('a DMN 1.4 box whose condition, match or test is not a boolean', async () => {
  const part = (tag: string, text: string) => `<${tag}><literalExpression><text>${text}</text></literalExpression></${tag}>`;
  const box = (name: string, xml: string) => `<decision id="${idOf(name)}" name="${name}"><variable name="${name}"/>${xml}</decision>`;
  const model = await modelOf(`
  ${box('if string', `<conditional>${part('if', '"abc"')}${part('then', '1')}${part('else', '2')}</conditional>`)}
  ${box('if null', `<conditional>${part('if', 'null')}${part('then', '1')}${part('else', '2')}</conditional>`)}
  ${box('if true', `<conditional>${part('if', '1 &lt; 2')}${part('then', '1')}${part('else', '2')}</conditional>`)}
  ${box('filter string', `<filter>${part('in', '[1, 2, 3]')}${part('match', 'if item &lt; 2 then true else "no"')}</filter>`)}
  ${box('filter contexts', `<filter>${part('in', '[{n: 1}, {n: 5}]')}${part('match', 'n &gt; 2')}</filter>`)}
  ${box('every string', `<every iteratorVariable="x">${part('in', '[1, 2]')}${part('satisfies', 'if x = 1 then true else "no"')}</every>`)}
  ${box('some string', `<some iteratorVariable="x">${part('in', '[1, 2]')}${part('satisfies', 'if x = 1 then "no" else true')}</some>`)}
  ${box('every true', `<every iteratorVariable="x">${part('in', '[1, 2]')}${part('satisfies', 'x &gt; 0')}</every>`)}
  `);

  it('is null, where the bare FEEL would choose a branch, drop the item or count it false', () => {
    expect(model.evaluate('if string', {})).toBeNull();
    expect(model.evaluate('filter string', {})).toBeNull();
    expect(model.evaluate('every string', {})).toBeNull();
    expect(model.evaluate('some string', {})).toBeNull();
  });

  it('keeps FEEL’s meaning for booleans and null', () => {
    expect(model.evaluate('if null', {})).toBe(2);
    expect(model.evaluate('if true', {})).toBe(1);
    expect(model.evaluate('filter contexts', {})).toEqual([{ n: 5 }]);
    expect(model.evaluate('every true', {})).toBe(true);
  });
});

describe('a boxed function definition of kind Java', async () => {
  const javaBox = (name: string, cls: string, signature: string) => `
  <decision id="${idOf(name)}" name="${name}"><variable name="${name}"/>
    <context>
      <contextEntry><variable name="m"/>
        <functionDefinition kind="Java">
          <formalParameter name="a" typeRef="number"/><formalParameter name="b" typeRef="number"/>
          <context>
            <contextEntry><variable name="class"/><literalExpression><text>"${cls}"</text></literalExpression></contextEntry>
            <contextEntry><variable name="method signature"/><literalExpression><text>"${signature}"</text></literalExpression></contextEntry>
          </context>
        </functionDefinition>
      </contextEntry>
      <contextEntry><literalExpression><text>m(3, [4])</text></literalExpression></contextEntry>
    </context>
  </decision>`;
  const model = await modelOf(`${javaBox('emulated', 'java.lang.Math', 'max(double, double)')}${javaBox('not emulated', 'java.lang.Math', 'floorMod(int, int)')}`);

  it('runs the emulated method on the parameters, converted to their types', () => {
    expect(model.evaluate('emulated', {})).toBe(4);
  });

  it('is an error naming the decision and the method when Beslis does not emulate it', () => {
    expect(() => model.evaluate('not emulated', {})).toThrow(/decision 'not emulated'.*java\.lang\.Math\.floorMod\(int,int\), a Java method Beslis does not emulate/);
  });
});
