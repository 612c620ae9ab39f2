// `beslis export --format algoritmeregister`: the public decisions as entries of the Algoritmeregister, written as JSON,
// and on the terminal per entry the fields its owner still has to complete (the required ones first).
import { writeFileSync } from 'node:fs';
import { DEFAULT_ORGANISATION, exportPublic, exportTable, registerSettings, STANDARD, type RegisterDocument } from '../algoritmeregister/index.ts';
import type { Store } from '../store/store.ts';

export const REGISTER_HELP = `With --format algoritmeregister, the public decisions (tables whose version in force today has meta.public
true) are written as entries of the Algoritmeregister (publication standard ${STANDARD.version}, algoritmes.overheid.nl), to
standard output or --out FILE: one entry per decision (a table with the tables it requires), for TABLE-ID alone,
for the decisions of --domain D, or for every public decision. Fields the tables cannot fill (purpose, weighing,
impact assessments, …) are left empty and named per entry in "teVoltooien", and listed here. --organisation NAME
(env BESLIS_ORGANISATION, default "${DEFAULT_ORGANISATION}") and --contact ADDR (env BESLIS_ALGORITMEREGISTER_CONTACT, an
e-mail address or https:// page) fill the organisation and contact fields. A table that is not public is refused.`;

export interface RegisterExportOptions {
  id?: string;
  domain?: string;
  out?: string;
  organisation?: string;
  contact?: string;
}

/** The lines that tell the owner what is left: per entry, the fields to complete, required ones marked. */
export function toCompleteLines(doc: RegisterDocument): string[] {
  const lines: string[] = [];
  for (const entry of doc.algoritmes) {
    const others = entry.tabellen.map((t) => t.id).filter((id) => id !== entry.algoritme);
    lines.push(`${entry.algoritme}${others.length > 0 ? ` (met ${others.join(', ')})` : ''}: nog in te vullen (${entry.teVoltooien.length}):`);
    const sorted = [...entry.teVoltooien].sort((a, b) => Number(b.verplicht) - Number(a.verplicht));
    for (const f of sorted) lines.push(`  ${f.veld} (${f.titel}${f.verplicht ? ', verplicht' : ''}): ${f.reden}`);
  }
  return lines;
}

export function exportRegister(store: Store, opts: RegisterExportOptions): number {
  const settings = registerSettings({ ...(opts.organisation !== undefined ? { organisation: opts.organisation } : {}), ...(opts.contact !== undefined ? { contact: opts.contact } : {}) });
  const doc = opts.id !== undefined ? exportTable(store, opts.id, settings) : exportPublic(store, settings, opts.domain);
  const json = `${JSON.stringify(doc, null, 2)}\n`;
  // With the JSON on standard output, the report goes to standard error so the output stays one JSON document.
  const report = opts.out ? console.log : console.error;
  if (opts.out) writeFileSync(opts.out, json);
  else process.stdout.write(json);
  const where = opts.out ?? 'standard output';
  report(`beslis export: wrote ${where}: ${doc.algoritmes.length} ${doc.algoritmes.length === 1 ? 'algoritme' : 'algoritmes'} for the Algoritmeregister (${doc.publicatiestandaard.naam} ${doc.publicatiestandaard.versie}, ${doc.organisatie})`);
  for (const line of toCompleteLines(doc)) report(line);
  return 0;
}
