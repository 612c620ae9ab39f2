// The Algoritmeregister export (README.md beside this file): what the CLI and the API use of it.
export { exportPublic, exportTable, MAX_ENTRIES, RegisterExportError, type ExportErrorCode } from './collect.ts';
export type { RegisterDocument, RegisterEntry, RegisterSettings, ToComplete } from './export.ts';
export { STANDARD, type Field, type FieldList } from './fields.ts';
export { registerSettings, DEFAULT_ORGANISATION } from './settings.ts';
