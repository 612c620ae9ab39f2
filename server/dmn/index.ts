// DMN interop (issue 3): import DMN 1.1–1.5 models as Beslis tables, export tables as DMN 1.3, run the DMN TCK.
import type { DecisionTable } from '../engine/types.ts';
import { exportDmn as exportOne } from './export.ts';
import { importDmn as importModel } from './import.ts';
import type { DmnImport } from './types.ts';

export type { DmnImport, DmnTableOrigin, ImportCause, ImportProblem, LiteralDecision } from './types.ts';
export { exportDmnModel } from './export.ts';
export { EXPORT_VERSIONS, fromDmn13, type ExportVersion } from './dmn-version.ts';
export { DMN_MESSAGES, DMN_MESSAGE_CODES, dmnProblem, type DmnMessageCode } from './messages.ts';
export { decisionOf, MAX_STORED_DMN_TABLES, storableProblems } from './storable.ts';
export { locate as locateTableProblem } from './import-problems.ts';
export { DmnModel, dmnValueOf, decisionNameOf } from './model.ts';
export { parseTckTestFile, tckToJson, formatTck, type TckValue, type TckTestFile, type TckTestCase } from './tck-file.ts';
export { compareTck, numbersEqual } from './compare.ts';
export { runTck, runTckFolder, findTckFolders, type TckReport, type TckFolderReport, type TckOutcome } from './tck-runner.ts';

/**
 * Reads a DMN 1.1–1.5 model: one Beslis table per decision table (with `requires` wiring and `meta.dmn`), the
 * literal-expression decisions, and every element that could not be imported (`problems`, with id and reason).
 * Never throws for a bad model.
 */
export async function importDmn(xml: string): Promise<DmnImport> {
  return importModel(xml);
}

/** Writes a table as a DMN 1.3 model that dmn-js and Camunda open, and that imports back as the same table. */
export async function exportDmn(table: DecisionTable): Promise<string> {
  return exportOne(table);
}

