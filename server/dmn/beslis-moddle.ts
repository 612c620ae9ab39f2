// A small moddle extension: attributes in Beslis's own namespace that carry what DMN 1.3 has no place for, so that
// a table exported to DMN imports back as the same table. Other tools (dmn-js, Camunda) keep or ignore them.
import { DmnModdle, type ModdleElement } from 'dmn-moddle';

export const BESLIS_NS = 'https://beslis.local/schema/dmn';

export const beslisPackage = {
  name: 'Beslis',
  prefix: 'beslis',
  uri: BESLIS_NS,
  xml: { tagAlias: 'lowerCase' },
  associations: [],
  enumerations: [],
  types: [
    // The Beslis table id of a decision (dmn:Decision).
    { name: 'Decision', extends: ['dmn:Decision'], properties: [{ name: 'tableId', isAttr: true, type: 'String' }] },
    // A column's Beslis name when the input expression is not that name (paths, expressions), and `optional`.
    {
      name: 'InputClause',
      extends: ['dmn:InputClause'],
      properties: [
        { name: 'name', isAttr: true, type: 'String' },
        { name: 'optional', isAttr: true, type: 'Boolean' },
      ],
    },
  ],
};

export function newModdle(): DmnModdle {
  return new DmnModdle({ beslis: beslisPackage });
}

/** Reads a Beslis extension attribute of an element parsed with newModdle() (whatever prefix the file uses). */
export function beslisAttr(el: ModdleElement | undefined, name: string): unknown {
  const get = (el as { get?: (n: string) => unknown } | undefined)?.get;
  return typeof get === 'function' ? get.call(el, `beslis:${name}`) : undefined;
}
