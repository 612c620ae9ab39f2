// Which DMN version a document is, and its text brought to DMN 1.3, the version dmn-moddle reads: DMN 1.4 and 1.5
// by rewriting their namespaces to 1.3's, DMN 1.1 and 1.2 by migrating them with @bpmn-io/dmn-migrate.
import { migrateDiagram } from '@bpmn-io/dmn-migrate';
import type { MessageParams } from '../engine/index.ts';
import type { DmnMessageCode } from './messages.ts';

export const DMN13_MODEL = 'https://www.omg.org/spec/DMN/20191111/MODEL/';
export const DMN13_DMNDI = 'https://www.omg.org/spec/DMN/20191111/DMNDI/';

/** Model namespaces by DMN version; 1.4 and 1.5 keep the 1.3 DI and DC namespaces. */
const NAMESPACES: { version: string; model: string; dmndi?: string }[] = [
  { version: '1.1', model: 'http://www.omg.org/spec/DMN/20151101/dmn.xsd' },
  { version: '1.2', model: 'http://www.omg.org/spec/DMN/20180521/MODEL/' },
  { version: '1.3', model: DMN13_MODEL, dmndi: DMN13_DMNDI },
  { version: '1.4', model: 'https://www.omg.org/spec/DMN/20211108/MODEL/', dmndi: 'https://www.omg.org/spec/DMN/20211108/DMNDI/' },
  { version: '1.5', model: 'https://www.omg.org/spec/DMN/20230324/MODEL/', dmndi: 'https://www.omg.org/spec/DMN/20230324/DMNDI/' },
];

/** Finds the DMN version from the namespaces the document declares. */
export function dmnVersionOf(xml: string): string | null {
  const declared = new Set([...xml.matchAll(/xmlns(?::[\w.-]+)?\s*=\s*["']([^"']+)["']/g)].map((m) => m[1]!));
  for (const ns of [...NAMESPACES].reverse()) if (declared.has(ns.model)) return ns.version;
  return null;
}

/** Brings any DMN 1.1–1.5 document to DMN 1.3 text that dmn-moddle reads. */
export async function toDmn13(xml: string): Promise<{ xml: string; version: string } | { error: { code: DmnMessageCode; params: MessageParams } }> {
  const version = dmnVersionOf(xml);
  if (!version) return { error: { code: 'DMN_NOT_DMN', params: {} } };
  if (version === '1.1' || version === '1.2') {
    try {
      return { xml: await migrateDiagram(xml), version };
    } catch (err) {
      return { error: { code: 'DMN_MIGRATE_FAILED', params: { version, detail: (err as Error).message } } };
    }
  }
  let out = xml;
  for (const ns of NAMESPACES) {
    if (ns.version === '1.4' || ns.version === '1.5') {
      out = out.replaceAll(ns.model, DMN13_MODEL);
      if (ns.dmndi) out = out.replaceAll(ns.dmndi, DMN13_DMNDI);
    }
  }
  return { xml: out, version };
}

/** The DMN versions a model is written as: 1.3 (what dmn-js and the Camunda Modeler open) or 1.5 (the newest). */
export const EXPORT_VERSIONS = ['1.3', '1.5'] as const;
export type ExportVersion = (typeof EXPORT_VERSIONS)[number];

/**
 * DMN 1.3 text as DMN `version`: for 1.5 its model and DMNDI namespaces (DC and DI are 1.3's in 1.5 too). A Beslis
 * export uses nothing that 1.5 changed, so the namespaces are the whole difference, and toDmn13 reads it back.
 */
export function fromDmn13(xml: string, version: ExportVersion): string {
  if (version === '1.3') return xml;
  const target = NAMESPACES.find((ns) => ns.version === version)!;
  return xml.replaceAll(DMN13_MODEL, target.model).replaceAll(DMN13_DMNDI, target.dmndi!);
}
