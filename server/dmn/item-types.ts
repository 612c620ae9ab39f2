// FEEL types on import: item definitions resolved far enough to know which JSON text stands for a date, time or
// duration, the Beslis column type they give, and the FEEL that converts a structured value's JSON text to typed values.
import type { ModdleElement } from 'dmn-moddle';
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
