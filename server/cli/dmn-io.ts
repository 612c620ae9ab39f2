// DMN on the command line: a DMN model's decision tables become drafts in the store (approval still needed to
// publish them), and any stored version or draft can be written out as DMN 1.5 (or 1.3) XML.
import { readFileSync } from 'node:fs';
import { exportDmn, fromDmn13, importDmn, storableProblems, type ExportVersion, type ImportProblem } from '../dmn/index.ts';
import type { DecisionTable } from '../engine/index.ts';
import type { Store } from '../store/store.ts';

export interface DmnImportReport {
  created: string[];
  updated: string[];
  problems: ImportProblem[];
}

export function describeProblem(p: ImportProblem): string {
  return `${p.severity} ${p.element}${p.id ? ` '${p.id}'` : ''}${p.name ? ` (${p.name})` : ''}: ${p.message}`;
}

/**
 * Reads a DMN file and stores each decision table as a draft. With any error-level problem nothing is stored
 * unless `partial` is set: an import that silently leaves out part of a model would mislead.
 */
export async function importDmnFile(store: Store, file: string, actor: string, partial: boolean): Promise<DmnImportReport> {
  const result = await importDmn(readFileSync(file, 'utf8'));
  const problems = storableProblems(result);
  const report: DmnImportReport = { created: [], updated: [], problems };
  if (problems.some((p) => p.severity === 'error') && !partial) return report;
  for (const table of result.tables as DecisionTable[]) {
    if (store.tableExists(table.id)) {
      const revision = (await store.getDraft(table.id))?.revision ?? 0;
      await store.saveDraft(table.id, table, revision, actor, { source: `DMN import of ${file}` });
      report.updated.push(table.id);
    } else {
      await store.createTable(table, actor);
      report.created.push(table.id);
    }
  }
  return report;
}

/**
 * The DMN XML of a stored version (`version`), or of the newest version when none is given: DMN 1.5, as the editor
 * downloads it, or 1.3 for tools that read no newer one.
 */
export async function exportTableAsDmn(store: Store, tableId: string, version?: number, dmnVersion: ExportVersion = '1.5'): Promise<string> {
  const record = version === undefined ? store.newestVersion(tableId) : store.getVersion(tableId, version);
  if (!record) {
    const what = version === undefined ? 'no published version' : `no version ${version}`;
    throw Object.assign(new Error(`table '${tableId}' has ${what}`), { code: 'NOT_FOUND' });
  }
  return fromDmn13(await exportDmn(record.table), dmnVersion);
}
