// The register's prose fields written from a decision's tables, in plain Dutch: how it decides (Technische werking),
// which facts of a case it reads (Gegevens) and what it carries out (Wettelijke basis). Only what the tables say: no
// claim about purpose, risks or human review, which the owner writes (see export.ts, `teVoltooien`).
import { valueWords } from '../engine/explain.ts';
import { sourceText, sourceUrl } from '../engine/sources.ts';
import type { ColumnType, DecisionTable, HitPolicy, InputColumn, OutputColumn, SourceRef } from '../engine/types.ts';

const TYPE_WORDS: Record<ColumnType, string> = {
  string: 'tekst',
  number: 'getal',
  boolean: 'ja of nee',
  date: 'datum',
  time: 'tijd',
  dateTime: 'datum en tijd',
  duration: 'duur',
  any: 'een waarde',
};

const HIT_POLICY_WORDS: Record<HitPolicy, string> = {
  UNIQUE: 'Voor elke zaak past precies één regel; die regel bepaalt de uitkomst.',
  ANY: 'Er mogen meer regels passen, maar die geven dan dezelfde uitkomst.',
  PRIORITY: 'Passen er meer regels, dan geldt de uitkomst met de hoogste prioriteit (de volgorde van de mogelijke uitkomsten).',
  FIRST: 'De regels worden op volgorde bekeken; de eerste regel die past bepaalt de uitkomst.',
  COLLECT: 'Elke regel die past geeft een uitkomst; de uitkomst is de lijst daarvan.',
  'RULE ORDER': 'Elke regel die past geeft een uitkomst; de uitkomst is de lijst daarvan, in de volgorde van de regels.',
  'OUTPUT ORDER': 'Elke regel die past geeft een uitkomst; de uitkomst is de lijst daarvan, de hoogste prioriteit eerst.',
};

const AGGREGATION_WORDS = {
  SUM: 'Elke regel die past geeft een getal; de uitkomst is de som daarvan.',
  MIN: 'Elke regel die past geeft een getal; de uitkomst is het laagste daarvan.',
  MAX: 'Elke regel die past geeft een getal; de uitkomst is het hoogste daarvan.',
  COUNT: 'De uitkomst is het aantal regels dat past.',
} as const;

/** "1 januari 2024". */
export function dateInWords(iso: string): string {
  return valueWords(iso, 'date', 'nl');
}

function joinOr(items: readonly string[]): string {
  return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} of ${items[items.length - 1]}`;
}

function columnName(c: InputColumn | OutputColumn): string {
  return c.label && c.label !== c.name ? `${c.label} (${c.name})` : c.name;
}

function valuesText(c: InputColumn | OutputColumn): string {
  if (!c.values || c.values.length === 0) return TYPE_WORDS[c.type];
  return `${TYPE_WORDS[c.type]}: ${joinOr(c.values.map((v) => valueWords(v, c.type, 'nl')))}`;
}

/** The inputs a table reads from the case: those not supplied by a table it requires, nor computed from others. */
function caseInputs(table: DecisionTable, supplied: ReadonlySet<string>): InputColumn[] {
  return table.inputs.filter((i) => !supplied.has(i.name));
}

/** The names a chain's required tables supply to the tables that require them (their output names). */
function suppliedBy(chain: readonly DecisionTable[], table: DecisionTable): Set<string> {
  const required = new Set(table.requires ?? []);
  return new Set(chain.filter((t) => required.has(t.id)).flatMap((t) => t.outputs.map((o) => o.name)));
}

function tableParagraph(table: DecisionTable, chain: readonly DecisionTable[]): string {
  const supplied = suppliedBy(chain, table);
  const policy = table.hitPolicy ?? 'UNIQUE';
  const lines = [
    `Beslistabel "${table.title}" (${table.id}, versie ${table.version}, geldig vanaf ${dateInWords(table.validFrom ?? '')}): ` +
      `${table.rules.length} ${table.rules.length === 1 ? 'regel' : 'regels'}. ` +
      (policy === 'COLLECT' && table.aggregation ? AGGREGATION_WORDS[table.aggregation] : HIT_POLICY_WORDS[policy]),
  ];
  const fromCase = caseInputs(table, supplied).map((i) => `${columnName(i)}${i.expression ? ' (berekend uit de zaak)' : ''}`);
  const fromTables = table.inputs.filter((i) => supplied.has(i.name)).map(columnName);
  if (fromCase.length > 0) lines.push(`Invoer uit de zaak: ${fromCase.join('; ')}.`);
  if (fromTables.length > 0) lines.push(`Invoer uit de beslissingen hiervoor: ${fromTables.join('; ')}.`);
  lines.push(`Uitkomst: ${table.outputs.map((o) => `${columnName(o)}, ${valuesText(o)}`).join('; ')}.`);
  if (table.outputs.some((o) => o.default !== undefined)) lines.push('Past geen regel, dan geldt de vastgelegde standaarduitkomst.');
  return lines.join(' ');
}

/**
 * Technische werking: what kind of algorithm this is, then one paragraph per table in the order they are decided
 * (`chain` lists the required tables first and the decision itself last).
 */
export function methodText(chain: readonly DecisionTable[]): string {
  const decision = chain[chain.length - 1]!;
  const intro =
    'Dit algoritme is een beslistabel (in de vorm van de DMN-standaard) met regels die de gemeente zelf heeft vastgesteld. ' +
    'Het is niet zelflerend: de uitkomst volgt steeds uit dezelfde, vooraf vastgelegde regels, en elke zaak met dezelfde gegevens krijgt dezelfde uitkomst. ' +
    'Een wijziging van de regels is een nieuwe versie met een eigen ingangsdatum.';
  const order =
    chain.length > 1
      ? `De beslissing "${decision.title}" gebruikt de uitkomst van ${chain.length - 1 === 1 ? 'één andere beslistabel, die eerst wordt beslist' : `${chain.length - 1} andere beslistabellen, die eerst worden beslist`}.`
      : '';
  return [intro, order, ...chain.map((t) => tableParagraph(t, chain))].filter(Boolean).join('\n\n');
}

/** Gegevens: the facts of a case the decision reads, with their allowed values. */
export function dataText(chain: readonly DecisionTable[]): string | null {
  const seen = new Set<string>();
  const lines: string[] = [];
  for (const table of chain) {
    for (const input of caseInputs(table, suppliedBy(chain, table))) {
      if (seen.has(input.name)) continue;
      seen.add(input.name);
      lines.push(`- ${columnName(input)}: ${valuesText(input)}${input.optional ? ' (mag ontbreken)' : ''}`);
    }
  }
  if (lines.length === 0) return null;
  return `Het algoritme gebruikt deze gegevens over de zaak:\n${lines.join('\n')}`;
}

/** Every structured source of the chain (the tables', their columns' and their rules'), without repeats. */
export function chainSources(chain: readonly DecisionTable[]): SourceRef[] {
  const out = new Map<string, SourceRef>();
  for (const t of chain) {
    const refs = [...(t.meta?.sources ?? []), ...t.inputs.flatMap((c) => c.sources ?? []), ...t.outputs.flatMap((c) => c.sources ?? []), ...t.rules.flatMap((r) => r.sources ?? [])];
    for (const ref of refs) {
      const key = `${sourceUrl(ref)} ${sourceText(ref, 'nl')}`;
      if (!out.has(key)) out.set(key, ref);
    }
  }
  return [...out.values()];
}

/** Wettelijke basis: the tables' sources in words (`meta.source`) and the structured references. */
export function lawfulBasisText(chain: readonly DecisionTable[]): string | null {
  const parts: string[] = [];
  const texts = [...new Set(chain.map((t) => t.meta?.source).filter((s): s is string => typeof s === 'string' && s.trim() !== ''))];
  if (texts.length > 0) parts.push(`De regels voeren uit: ${texts.join('; ')}.`);
  const regulations = chainSources(chain).filter((r) => r.kind !== 'url');
  if (regulations.length > 0) parts.push(`Wet- en regelgeving waar de regels naar verwijzen: ${regulations.map((r) => sourceText(r, 'nl')).join('; ')}.`);
  return parts.length > 0 ? parts.join('\n\n') : null;
}
