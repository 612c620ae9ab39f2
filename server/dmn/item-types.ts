// FEEL types on import: item definitions resolved far enough to know which JSON text stands for a date, time or
// duration, the Beslis column type they give, and the FEEL that converts a structured value's JSON text to typed values.
import type { ModdleElement } from 'dmn-moddle';
import type { FeelType } from '../engine/index.ts';
import type { ColumnType, JsonValue } from '../engine/types.ts';
import { parseLiteralList, primitiveType } from './feel-text.ts';
import { textOf } from './moddle-read.ts';

export type TypeInfo =
  | { kind: 'primitive'; type: ColumnType }
  | { kind: 'list'; of: TypeInfo }
  | { kind: 'context'; components: [string, TypeInfo][] }
  | { kind: 'any' };

export const ANY: TypeInfo = { kind: 'any' };

export class Types {
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

  /**
   * The FEEL type a typeRef names (DMN 1.5 7.3.2): a built-in type, or an item definition (a collection is a list,
   * components a context, a function item a function); Any for what it cannot read. Allowed values are not part of
   * the type (`256 instance of t255` is true for a number type limited to [0..255], as the TCK has it).
   */
  feelType(typeRef: unknown, seen: Set<string> = new Set()): FeelType {
    if (typeof typeRef !== 'string' || !typeRef.trim()) return { k: 'Any' };
    const builtin = builtinFeelType(typeRef);
    if (builtin) return builtin;
    const name = typeRef.trim();
    const def = this.defs.get(name) ?? this.defs.get(name.replace(/^[\w-]+:/, ''));
    if (!def || seen.has(name)) return { k: 'Any' };
    return this.feelTypeOfDefinition(def, new Set([...seen, name]));
  }

  feelTypeOfDefinition(def: ModdleElement, seen: Set<string>): FeelType {
    const components = (def.itemComponent as ModdleElement[] | undefined) ?? [];
    const fn = def.functionItem as ModdleElement | undefined;
    let base: FeelType;
    if (components.length > 0) {
      base = { k: 'context', entries: components.map((c) => [String(c.name ?? ''), this.feelTypeOfDefinition(c, seen)] as [string, FeelType]) };
    } else if (fn) {
      const params = ((fn.parameters as ModdleElement[] | undefined) ?? []).map((p) => this.feelType(p.typeRef, seen));
      base = { k: 'function', params, result: this.feelType(fn.outputTypeRef, seen) };
    } else {
      base = this.feelType(def.typeRef, seen);
    }
    return def.isCollection === true ? { k: 'list', of: base } : base;
  }

  /** Every item definition by name, as FEEL types: the names `instance of` may use. */
  feelTypeNames(): Record<string, FeelType> {
    const out: Record<string, FeelType> = {};
    for (const [name, def] of this.defs) out[name] = this.feelTypeOfDefinition(def, new Set([name]));
    return out;
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

const BUILTIN_FEEL_TYPES: Record<string, FeelType> = {
  any: { k: 'Any' },
  null: { k: 'Null' },
  number: { k: 'number' },
  decimal: { k: 'number' },
  double: { k: 'number' },
  integer: { k: 'number' },
  int: { k: 'number' },
  long: { k: 'number' },
  string: { k: 'string' },
  boolean: { k: 'boolean' },
  date: { k: 'date' },
  time: { k: 'time' },
  'date and time': { k: 'date and time' },
  datetime: { k: 'date and time' },
  'days and time duration': { k: 'days and time duration' },
  daytimeduration: { k: 'days and time duration' },
  'years and months duration': { k: 'years and months duration' },
  yearmonthduration: { k: 'years and months duration' },
  context: { k: 'context', entries: [] },
};

/** A built-in type name (`number`, `feel:date`, `dateTime`, `Any`), or undefined for an item definition's name. */
function builtinFeelType(typeRef: string): FeelType | undefined {
  return BUILTIN_FEEL_TYPES[typeRef.trim().replace(/^(feel|xsd|FEEL):/, '').toLowerCase()];
}

export function columnTypeOf(info: TypeInfo): ColumnType {
  return info.kind === 'primitive' ? info.type : 'any';
}

export function needsConversion(info: TypeInfo): boolean {
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

export const SIMPLE_NAME = /^[A-Za-z_][A-Za-z0-9_]*$/;

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
