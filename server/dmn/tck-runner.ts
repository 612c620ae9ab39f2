// The DMN TCK runner: every folder holding a `.dmn` model and `*-test-*.xml` files is imported, each test case's
// inputs are evaluated through the imported decisions, and each expected result is compared by the TCK's rules.
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { basename, join, relative } from 'node:path';
import { compareTck } from './compare.ts';
import { importDmn } from './import.ts';
import { DmnModel, type Evaluated } from './model.ts';
import { formatTck, parseTckTestFile, tckToJson, tckTypes, type TckTestFile } from './tck-file.ts';
import type { FeelContext, TextTypeName } from '../engine/index.ts';
import type { DmnImport, ImportProblem } from './types.ts';

export interface TckOutcome {
  testFile: string;
  caseId: string;
  /** The resultNode's decision name. */
  result: string;
  passed: boolean;
  expected: string;
  actual: string;
  /** Why it failed: the difference, the engine's error, or why the decision was not imported. */
  reason?: string;
}

/** Test cases as the TCK's own results count them: a case passes when every one of its result nodes passes. */
export interface TckCaseCount {
  passed: number;
  failed: number;
}

export interface TckFolderReport {
  /** The folder's path relative to the root the run started from. */
  folder: string;
  dir: string;
  /** Result nodes passed and failed (`outcomes` has one per result node). */
  passed: number;
  failed: number;
  cases: TckCaseCount;
  outcomes: TckOutcome[];
  /** Import problems of the folder's models. */
  problems: ImportProblem[];
}

export interface TckReport {
  root: string;
  folders: TckFolderReport[];
  passed: number;
  failed: number;
  cases: TckCaseCount;
}

/** The test cases of a folder's outcomes, each passed when all its result nodes passed. */
export function caseCount(outcomes: readonly TckOutcome[]): TckCaseCount {
  const cases = new Map<string, boolean>();
  for (const o of outcomes) {
    const key = `${o.testFile}\u0000${o.caseId}`;
    cases.set(key, (cases.get(key) ?? true) && o.passed);
  }
  const passed = [...cases.values()].filter(Boolean).length;
  return { passed, failed: cases.size - passed };
}

const TEST_FILE = /-test-\d+\.xml$/i;

function isTckFolder(dir: string, entries: string[]): boolean {
  return entries.some((e) => e.toLowerCase().endsWith('.dmn')) && entries.some((e) => TEST_FILE.test(e)) && statSync(dir).isDirectory();
}

/** Every folder under `root` (itself included) that holds a `.dmn` model and `*-test-*.xml` files, sorted. */
export function findTckFolders(root: string): string[] {
  const found: string[] = [];
  const walk = (dir: string, depth: number) => {
    let entries: string[];
    try {
      entries = readdirSync(dir).sort();
    } catch {
      return;
    }
    if (isTckFolder(dir, entries)) found.push(dir);
    if (depth > 8) return;
    for (const e of entries) {
      if (e.startsWith('.') || e === 'node_modules') continue;
      const p = join(dir, e);
      try {
        if (statSync(p).isDirectory()) walk(p, depth + 1);
      } catch {
        // unreadable entries are not TCK folders
      }
    }
  };
  walk(root, 0);
  return found;
}

function showActual(v: unknown): string {
  return v === undefined ? 'nothing' : JSON.stringify(v);
}

function pickModel(dmnFiles: string[], file: TckTestFile): string | undefined {
  if (file.modelName) {
    const exact = dmnFiles.find((f) => f === file.modelName);
    if (exact) return exact;
  }
  return dmnFiles.length === 1 ? dmnFiles[0] : undefined;
}

/**
 * The models a model imports (its `<import namespace=… name=…>`), found by namespace among the folder's other `.dmn`
 * files: each one's BKMs and decision services under the import's name. One level deep: an imported model's own
 * imports are not followed.
 */
async function importsOf(xml: string, dir: string, dmnFiles: string[]): Promise<Record<string, FeelContext>> {
  const wanted = [...xml.matchAll(/<(?:[\w-]+:)?import\b([^>]*)>/g)].flatMap((m) => {
    const attr = (n: string) => new RegExp(`\\b${n}=["']([^"']*)["']`).exec(m[1]!)?.[1];
    const namespace = attr('namespace');
    const name = attr('name');
    return namespace !== undefined && name !== undefined ? [{ namespace, name }] : [];
  });
  if (wanted.length === 0) return {};
  const out: Record<string, FeelContext> = {};
  for (const file of dmnFiles) {
    const other = await importDmn(readFileSync(join(dir, file), 'utf8'));
    for (const w of wanted) {
      if (other.model.namespace !== w.namespace) continue;
      try {
        out[w.name] = new DmnModel(other).knowledgeContext();
      } catch {
        // An imported model that does not build leaves its names unknown: the decisions using them fail, naming why.
      }
    }
  }
  return out;
}

/** Runs one TCK folder. Never throws for a bad model or test file: those become failures with a reason. */
export async function runTckFolder(dir: string, root: string = dir): Promise<TckFolderReport> {
  const entries = readdirSync(dir).sort();
  const dmnFiles = entries.filter((e) => e.toLowerCase().endsWith('.dmn'));
  const testFiles = entries.filter((e) => TEST_FILE.test(e));
  const report: TckFolderReport = { folder: relative(root, dir) || basename(dir), dir, passed: 0, failed: 0, cases: { passed: 0, failed: 0 }, outcomes: [], problems: [] };
  const add = (o: TckOutcome) => {
    report.outcomes.push(o);
    if (o.passed) report.passed++;
    else report.failed++;
  };
  const models = new Map<string, { imported: DmnImport; model: DmnModel | null; error?: string }>();

  for (const testFile of testFiles) {
    let file: TckTestFile;
    try {
      file = parseTckTestFile(readFileSync(join(dir, testFile), 'utf8'));
    } catch (err) {
      add({ testFile, caseId: '-', result: '-', passed: false, expected: '-', actual: '-', reason: `the test file cannot be read: ${(err as Error).message}` });
      continue;
    }
    const modelFile = pickModel(dmnFiles, file);
    if (!modelFile) {
      add({ testFile, caseId: '-', result: '-', passed: false, expected: '-', actual: '-', reason: `no model '${file.modelName ?? '?'}' in the folder` });
      continue;
    }
    let loaded = models.get(modelFile);
    if (!loaded) {
      const xml = readFileSync(join(dir, modelFile), 'utf8');
      const imported = await importDmn(xml);
      report.problems.push(...imported.problems);
      try {
        loaded = { imported, model: new DmnModel(imported, await importsOf(xml, dir, dmnFiles)) };
      } catch (err) {
        loaded = { imported, model: null, error: (err as Error).message };
      }
      models.set(modelFile, loaded);
    }
    const { imported, model } = loaded;
    for (const tc of file.cases) {
      const input: Record<string, unknown> = {};
      const inputTypes: Record<string, TextTypeName> = {};
      for (const n of tc.inputs) {
        input[n.name] = tckToJson(n.value);
        tckTypes(n.value, `/${n.name.replace(/~/g, '~0').replace(/\//g, '~1')}`, inputTypes);
      }
      const memo = new Map<string, Evaluated>();
      // A decisionService test evaluates the service once; its result nodes are its output decisions.
      let service: Map<string, Evaluated> | Error | null = null;
      if (model && tc.type === 'decisionService' && tc.invocableName) {
        try {
          service = model.evaluateService(tc.invocableName, input, inputTypes);
        } catch (err) {
          service = err as Error;
        }
      }
      for (const rn of tc.results) {
        const expected = formatTck(rn.expected);
        const base = { testFile, caseId: tc.id, result: rn.name, expected };
        if (tc.type !== 'decision' && !(tc.type === 'decisionService' && tc.invocableName)) {
          add({ ...base, passed: false, actual: '-', reason: `test type '${tc.type}'${tc.invocableName ? ` (${tc.invocableName})` : ''} is not supported: Beslis evaluates decisions and decision services` });
          continue;
        }
        if (!model) {
          add({ ...base, passed: false, actual: '-', reason: `the model does not compile: ${loaded.error}` });
          continue;
        }
        if (service !== null) {
          const got = service instanceof Error ? service : service.get(rn.name);
          if (!got || got instanceof Error) {
            const message = got ? got.message : `'${rn.name}' is not an output decision of service '${tc.invocableName}'`;
            const ok = rn.errorResult || rn.expected.kind === 'nil';
            add({ ...base, passed: ok, actual: `error: ${message}`, ...(ok ? {} : { reason: `the evaluation failed: ${message}` }) });
            continue;
          }
          const diff = compareTck(rn.expected, got.value, got.types);
          add({ ...base, passed: diff === null, actual: showActual(got.value), ...(diff ? { reason: diff } : {}) });
          continue;
        }
        if (!model.find(rn.name)) {
          const why = imported.problems.filter((p) => p.severity === 'error' && p.name === rn.name).map((p) => p.message);
          add({ ...base, passed: false, actual: '-', reason: why.length > 0 ? `not imported: ${why.join('; ')}` : `there is no decision '${rn.name}' in the model` });
          continue;
        }
        let actual: unknown;
        let types: Record<string, string>;
        try {
          ({ value: actual, types } = model.evaluateTyped(rn.name, input, memo, inputTypes));
        } catch (err) {
          // An error is the expected outcome of an errorResult node; a nil expectation also accepts it (FEEL
          // turns errors into null).
          const message = (err as Error).message;
          const ok = rn.errorResult || rn.expected.kind === 'nil';
          add({ ...base, passed: ok, actual: `error: ${message}`, ...(ok ? {} : { reason: `the evaluation failed: ${message}` }) });
          continue;
        }
        // Types are compared, not only text: a date that prints as the expected string is not that string.
        const diff = compareTck(rn.expected, actual, types);
        add({ ...base, passed: diff === null, actual: showActual(actual), ...(diff ? { reason: diff } : {}) });
      }
    }
  }
  report.cases = caseCount(report.outcomes);
  return report;
}

/** Runs every TCK folder under `root`. */
export async function runTck(root: string, opts: { only?: (folder: string) => boolean } = {}): Promise<TckReport> {
  const folders: TckFolderReport[] = [];
  for (const dir of findTckFolders(root)) {
    if (opts.only && !opts.only(relative(root, dir) || basename(dir))) continue;
    folders.push(await runTckFolder(dir, root));
  }
  return {
    root,
    folders,
    passed: folders.reduce((n, f) => n + f.passed, 0),
    failed: folders.reduce((n, f) => n + f.failed, 0),
    cases: { passed: folders.reduce((n, f) => n + f.cases.passed, 0), failed: folders.reduce((n, f) => n + f.cases.failed, 0) },
  };
}
