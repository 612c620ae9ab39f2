// Decision tables to and from spreadsheets (.xlsx, and CSV on the way in): the conversion only, no store or HTTP.
// The API (server/api/routes/excel.ts) and the CLI (beslis export/import) call these.
export { tablesToXlsx } from './write.ts';
export { readXlsx, readCsv, locateProblems, describeCellProblem, type CellProblem, type SheetTable, type WorkbookContent } from './read.ts';
export { isXlsx, readSpreadsheet } from './detect.ts';
