// Reads DMN TCK test files (`*-test-01.xml`, schema http://www.omg.org/spec/DMN/20160719/testcase): test cases,
// their typed input values and the expected result of each decision.
import { XMLParser } from 'fast-xml-parser';
import type { TextTypeName } from '../engine/index.ts';

/** A typed TCK value. Numbers keep their text so comparison can be decimal-aware. */
export type TckValue =
  | { kind: 'nil' }
  | { kind: 'number'; text: string; value: number }
  | { kind: 'string'; value: string }
  | { kind: 'boolean'; value: boolean }
  | { kind: 'date' | 'time' | 'dateTime' | 'duration'; value: string }
  | { kind: 'list'; items: TckValue[] }
  | { kind: 'context'; entries: [string, TckValue][] };

export interface TckResultNode {
  name: string;
  /** The result is an error (its expected value is then usually nil). */
  errorResult: boolean;
  expected: TckValue;
}

export interface TckTestCase {
  id: string;
  description?: string;
  /** `decision` (default), `bkm` or `decisionService`. */
  type: string;
  invocableName?: string;
  inputs: { name: string; value: TckValue }[];
  results: TckResultNode[];
}

export interface TckTestFile {
  modelName?: string;
  labels: string[];
  cases: TckTestCase[];
}

interface XNode {
  name: string;
  attrs: Record<string, string>;
  children: XNode[];
  text: string;
}

type Raw = Record<string, unknown>;

function toNodes(list: Raw[]): XNode[] {
  const out: XNode[] = [];
  for (const item of list) {
    const attrs = (item[':@'] ?? {}) as Record<string, string>;
    for (const [key, value] of Object.entries(item)) {
      if (key === ':@' || key === '#text' || key.startsWith('?')) continue;
      const kids = Array.isArray(value) ? (value as Raw[]) : [];
      const text = kids
        .filter((k) => '#text' in k)
        .map((k) => String(k['#text']))
        .join('');
      const a: Record<string, string> = {};
      for (const [k, v] of Object.entries(attrs)) a[k.replace(/^@/, '')] = String(v);
      out.push({ name: key, attrs: a, children: toNodes(kids), text });
    }
  }
  return out;
}

const parser = new XMLParser({
  preserveOrder: true,
  ignoreAttributes: false,
  removeNSPrefix: true,
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  attributeNamePrefix: '@',
  processEntities: true,
});

export class TckFormatError extends Error {}

const NUMBER_TYPES = new Set(['decimal', 'double', 'float', 'int', 'integer', 'long', 'short', 'byte', 'negativeInteger', 'positiveInteger', 'nonNegativeInteger', 'nonPositiveInteger', 'unsignedInt', 'unsignedLong', 'unsignedShort']);

/** Reads a `valueType` element (inputNode, expected, component, item): a value, components, or a list. */
export function readValue(node: XNode, where: string): TckValue {
  const value = node.children.find((c) => c.name === 'value');
  const components = node.children.filter((c) => c.name === 'component');
  const list = node.children.find((c) => c.name === 'list');
  if (node.attrs.nil === 'true') return { kind: 'nil' };
  if (value) return readSimple(value, where);
  if (list) {
    if (list.attrs.nil === 'true') return { kind: 'nil' };
    return { kind: 'list', items: list.children.filter((c) => c.name === 'item').map((item, i) => readValue(item, `${where}[${i + 1}]`)) };
  }
  if (components.length > 0) {
    return { kind: 'context', entries: components.map((c) => [c.attrs.name ?? '', readValue(c, `${where}.${c.attrs.name ?? '?'}`)] as [string, TckValue]) };
  }
  // An element with no value at all: the TCK writes nil like this in some files.
  return { kind: 'nil' };
}

function readSimple(v: XNode, where: string): TckValue {
  if (v.attrs.nil === 'true') return { kind: 'nil' };
  // A <value> may itself hold a list or components (xsi:type omitted).
  if (v.children.some((c) => c.name === 'list' || c.name === 'component')) return readValue(v, where);
  const type = (v.attrs.type ?? '').replace(/^[\w-]+:/, '');
  const text = v.text;
  if (NUMBER_TYPES.has(type)) {
    const t = text.trim();
    const n = t === 'INF' ? Infinity : t === '-INF' ? -Infinity : Number(t);
    if (t === '' || Number.isNaN(n)) throw new TckFormatError(`${where}: '${text}' is not a number (${type})`);
    return { kind: 'number', text: t, value: n };
  }
  switch (type) {
    case '':
    case 'string':
    case 'anySimpleType':
    case 'anyURI':
    case 'normalizedString':
    case 'token':
      return { kind: 'string', value: text };
    case 'boolean': {
      const t = text.trim();
      if (t !== 'true' && t !== 'false' && t !== '1' && t !== '0') throw new TckFormatError(`${where}: '${text}' is not a boolean`);
      return { kind: 'boolean', value: t === 'true' || t === '1' };
    }
    case 'date':
    case 'time':
    case 'dateTime':
    case 'duration':
      return { kind: type, value: text.trim() };
    case 'dayTimeDuration':
    case 'yearMonthDuration':
      return { kind: 'duration', value: text.trim() };
    default:
      throw new TckFormatError(`${where}: value type '${v.attrs.type}' is not supported`);
  }
}

/** Parses the text of a TCK test file. Throws TckFormatError when it is not one. */
export function parseTckTestFile(xml: string): TckTestFile {
  let roots: XNode[];
  try {
    roots = toNodes(parser.parse(xml) as Raw[]);
  } catch (err) {
    throw new TckFormatError(`not well-formed XML: ${(err as Error).message}`);
  }
  const root = roots.find((n) => n.name === 'testCases');
  if (!root) throw new TckFormatError('not a TCK test file: the root element is not <testCases>');
  const modelName = root.children.find((c) => c.name === 'modelName')?.text.trim();
  const labels = (root.children.find((c) => c.name === 'labels')?.children ?? []).filter((c) => c.name === 'label').map((c) => c.text.trim());
  const cases = root.children
    .filter((c) => c.name === 'testCase')
    .map((tc, i): TckTestCase => {
      const id = tc.attrs.id ?? String(i + 1);
      const description = tc.children.find((c) => c.name === 'description')?.text.trim();
      const inputs = tc.children
        .filter((c) => c.name === 'inputNode')
        .map((n) => ({ name: n.attrs.name ?? '', value: readValue(n, `test ${id}, input '${n.attrs.name ?? '?'}'`) }));
      const results = tc.children
        .filter((c) => c.name === 'resultNode')
        .map((n) => {
          const expected = n.children.find((c) => c.name === 'expected');
          const where = `test ${id}, result '${n.attrs.name ?? '?'}'`;
          return {
            name: n.attrs.name ?? '',
            errorResult: n.attrs.errorResult === 'true',
            expected: expected ? readValue(expected, where) : ({ kind: 'nil' } as TckValue),
          };
        });
      const out: TckTestCase = { id, type: tc.attrs.type ?? 'decision', inputs, results };
      if (description) out.description = description;
      if (tc.attrs.invocableName) out.invocableName = tc.attrs.invocableName;
      return out;
    });
  return { ...(modelName ? { modelName } : {}), labels, cases };
}

/** The JSON form the engine takes: numbers, strings, booleans, ISO text for dates/times/durations, arrays, objects. */
export function tckToJson(v: TckValue): unknown {
  switch (v.kind) {
    case 'nil':
      return null;
    case 'number':
    case 'string':
    case 'boolean':
    case 'date':
    case 'time':
    case 'dateTime':
    case 'duration':
      return v.value;
    case 'list':
      return v.items.map(tckToJson);
    case 'context':
      return Object.fromEntries(v.entries.map(([k, x]) => [k, tckToJson(x)]));
  }
}

/**
 * The FEEL types of the text in tckToJson's value, by JSON Pointer (`xsd:date` → `date`…): so an input typed in
 * the test file stays that type where the model's typeRef does not say (an input of type Any given a date).
 */
export function tckTypes(v: TckValue, at = '', out: Record<string, TextTypeName> = {}): Record<string, TextTypeName> {
  switch (v.kind) {
    case 'date':
    case 'time':
      out[at] = v.kind;
      break;
    case 'dateTime':
      out[at] = 'date and time';
      break;
    case 'duration':
      out[at] = /^-?P(?:\d+Y)?(?:\d+M)?$/.test(v.value.trim()) ? 'years and months duration' : 'days and time duration';
      break;
    case 'list':
      v.items.forEach((x, i) => tckTypes(x, `${at}/${i}`, out));
      break;
    case 'context':
      for (const [k, x] of v.entries) tckTypes(x, `${at}/${k.replace(/~/g, '~0').replace(/\//g, '~1')}`, out);
      break;
  }
  return out;
}

/** FEEL-like text of a TCK value, for failure messages. */
export function formatTck(v: TckValue): string {
  switch (v.kind) {
    case 'nil':
      return 'null';
    case 'number':
      return v.text;
    case 'string':
      return JSON.stringify(v.value);
    case 'boolean':
      return String(v.value);
    case 'date':
      return `date("${v.value}")`;
    case 'time':
      return `time("${v.value}")`;
    case 'dateTime':
      return `date and time("${v.value}")`;
    case 'duration':
      return `duration("${v.value}")`;
    case 'list':
      return `[${v.items.map(formatTck).join(', ')}]`;
    case 'context':
      return `{${v.entries.map(([k, x]) => `${JSON.stringify(k)}: ${formatTck(x)}`).join(', ')}}`;
  }
}
