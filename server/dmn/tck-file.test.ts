import { describe, expect, it } from 'vitest';
import { formatTck, parseTckTestFile, tckToJson, TckFormatError } from './tck-file.ts';

const FILE = `<?xml version="1.0" encoding="UTF-8"?>
<tc:testCases xmlns:tc="http://www.omg.org/spec/DMN/20160719/testcase" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xmlns:xsd="http://www.w3.org/2001/XMLSchema">
  <tc:modelName>m.dmn</tc:modelName>
  <tc:labels><tc:label>Compliance Level 3</tc:label></tc:labels>
  <tc:testCase id="c1">
    <tc:description>every kind</tc:description>
    <tc:inputNode name="n"><tc:value xsi:type="xsd:decimal">-12.50</tc:value></tc:inputNode>
    <tc:inputNode name="d"><tc:value xsi:type="xsd:double">1E3</tc:value></tc:inputNode>
    <tc:inputNode name="s"><tc:value xsi:type="xsd:string">  a &amp; "b" </tc:value></tc:inputNode>
    <tc:inputNode name="b"><tc:value xsi:type="xsd:boolean">false</tc:value></tc:inputNode>
    <tc:inputNode name="date"><tc:value xsi:type="xsd:date">2018-07-30</tc:value></tc:inputNode>
    <tc:inputNode name="time"><tc:value xsi:type="xsd:time">16:11:00Z</tc:value></tc:inputNode>
    <tc:inputNode name="dt"><tc:value xsi:type="xsd:dateTime">2018-07-30T16:12:00</tc:value></tc:inputNode>
    <tc:inputNode name="dur"><tc:value xsi:type="xsd:duration">P1Y2M</tc:value></tc:inputNode>
    <tc:inputNode name="nil"><tc:value xsi:nil="true"/></tc:inputNode>
    <tc:inputNode name="ctx">
      <tc:component name="a"><tc:value xsi:type="xsd:string">x</tc:value></tc:component>
      <tc:component name="inner"><tc:component name="z"><tc:value xsi:type="xsd:decimal">1</tc:value></tc:component></tc:component>
    </tc:inputNode>
    <tc:inputNode name="list"><tc:list><tc:item><tc:value xsi:type="xsd:string">p</tc:value></tc:item><tc:item><tc:value xsi:nil="true"/></tc:item></tc:list></tc:inputNode>
    <tc:resultNode name="r" type="decision"><tc:expected><tc:value xsi:type="xsd:string">ok</tc:value></tc:expected></tc:resultNode>
    <tc:resultNode name="e" errorResult="true"><tc:expected><tc:value xsi:nil="true"/></tc:expected></tc:resultNode>
  </tc:testCase>
  <tc:testCase id="c2" type="bkm" invocableName="f"><tc:resultNode name="f"><tc:expected><tc:list/></tc:expected></tc:resultNode></tc:testCase>
</tc:testCases>`;

describe('TCK test files', () => {
  const file = parseTckTestFile(FILE);

  it('reads the model name, labels and cases', () => {
    expect(file.modelName).toBe('m.dmn');
    expect(file.labels).toEqual(['Compliance Level 3']);
    expect(file.cases.map((c) => [c.id, c.type, c.invocableName])).toEqual([
      ['c1', 'decision', undefined],
      ['c2', 'bkm', 'f'],
    ]);
    expect(file.cases[0]!.description).toBe('every kind');
  });

  it('reads every value type into JSON the engine takes', () => {
    const input = Object.fromEntries(file.cases[0]!.inputs.map((n) => [n.name, tckToJson(n.value)]));
    expect(input).toEqual({
      n: -12.5,
      d: 1000,
      s: '  a & "b" ',
      b: false,
      date: '2018-07-30',
      time: '16:11:00Z',
      dt: '2018-07-30T16:12:00',
      dur: 'P1Y2M',
      nil: null,
      ctx: { a: 'x', inner: { z: 1 } },
      list: ['p', null],
    });
  });

  it('keeps the kinds for comparison, and the error flag of result nodes', () => {
    const [r, e] = file.cases[0]!.results;
    expect(r).toEqual({ name: 'r', errorResult: false, expected: { kind: 'string', value: 'ok' } });
    expect(e).toEqual({ name: 'e', errorResult: true, expected: { kind: 'nil' } });
    expect(file.cases[0]!.inputs[0]!.value).toEqual({ kind: 'number', text: '-12.50', value: -12.5 });
    expect(file.cases[0]!.inputs[4]!.value).toEqual({ kind: 'date', value: '2018-07-30' });
    expect(file.cases[1]!.results[0]!.expected).toEqual({ kind: 'list', items: [] });
  });

  it('formats values FEEL-like for messages', () => {
    const ctx = file.cases[0]!.inputs.find((n) => n.name === 'ctx')!.value;
    expect(formatTck(ctx)).toBe('{"a": "x", "inner": {"z": 1}}');
    expect(formatTck(file.cases[0]!.inputs[4]!.value)).toBe('date("2018-07-30")');
  });

  it('refuses what is not a TCK file, a bad number and an unknown type', () => {
    expect(() => parseTckTestFile('<other/>')).toThrow(TckFormatError);
    const bad = (v: string) => FILE.replace('<tc:value xsi:type="xsd:decimal">-12.50</tc:value>', v);
    expect(() => parseTckTestFile(bad('<tc:value xsi:type="xsd:decimal">twelve</tc:value>'))).toThrow(/'twelve' is not a number/);
    expect(() => parseTckTestFile(bad('<tc:value xsi:type="xsd:base64Binary">AA==</tc:value>'))).toThrow(/xsd:base64Binary.*not supported/);
  });
});
