// `beslis tck [dir]`: runs the DMN TCK folders under a directory (default the vendored decision-table cases in test/tck/decision-tables) and
// ends with `N passed, M failed`.
import { existsSync, statSync } from 'node:fs';
import { resolve } from 'node:path';
import { runTck, type TckFolderReport } from '../../dmn/tck-runner.ts';
import { fail, parseCommandArgs, usageError } from '../args.ts';
import { PACKAGE_ROOT } from '../open-store.ts';

export const summary = 'run the DMN TCK test folders (default test/tck/decision-tables) and report N passed, M failed';

/** The DMN TCK's decision-table cases, vendored in the repository (test/tck/README.md); `BESLIS_TCK` points elsewhere. */
export const DEFAULT_TCK_DIR = resolve(process.env.BESLIS_TCK || resolve(PACKAGE_ROOT, 'test/tck/decision-tables'));

const HELP = `Usage: beslis tck [dir] [--only <text>] [--verbose] [--json]
       npm run tck -- [dir]

Runs every folder under [dir] that holds a DMN model (*.dmn) and DMN TCK test files (*-test-*.xml):
imports the model, evaluates each test case's inputs through its decisions (required decisions first)
and compares every expected result by the TCK's typed rules. Prints each failure with the expected and
the actual value, a figure per folder (results, and test cases: a case passes when all its results
pass), the test cases of the whole run, and ends with the line "N passed, M failed" (one per expected
result).

  [dir]           the TCK root (default: the vendored decision-table cases, ${DEFAULT_TCK_DIR};
                  test/tck/full holds the whole of levels 2 and 3)
  --only <text>   run only the folders whose path contains <text>
  --verbose       also print passing results and the import warnings
  --json          print the whole report as JSON (the last line is still "N passed, M failed")

Exit codes: 0 every result passed, 1 some failed, 2 wrong usage or no TCK folder found.`;

function printFolder(f: TckFolderReport, verbose: boolean): void {
  const total = f.passed + f.failed;
  const cases = f.cases.passed + f.cases.failed;
  console.log(`${f.folder}: ${f.passed}/${total} passed${f.failed ? `, ${f.failed} failed` : ''} (test cases ${f.cases.passed}/${cases})`);
  for (const p of f.problems) {
    if (p.severity === 'error' || verbose) {
      console.log(`  import ${p.severity}: ${p.element}${p.id ? ` ${p.id}` : ''}${p.name ? ` ('${p.name}')` : ''}: ${p.message}`);
    }
  }
  for (const o of f.outcomes) {
    if (o.passed && !verbose) continue;
    const head = `  ${o.passed ? 'ok  ' : 'FAIL'} ${o.testFile} case ${o.caseId}, ${o.result}`;
    if (o.passed) {
      console.log(`${head}: ${o.actual}`);
      continue;
    }
    console.log(head);
    console.log(`       expected: ${o.expected}`);
    console.log(`       actual:   ${o.actual}`);
    if (o.reason) console.log(`       why:      ${o.reason}`);
  }
}

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, { help: HELP, options: { only: { type: 'string' }, verbose: { type: 'boolean', short: 'v' }, json: { type: 'boolean' } } });
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  if (positionals.length > 1) return usageError(HELP);
  // `npm run` starts scripts in the project root; INIT_CWD is where the user typed the command.
  const dir = positionals[0] ? resolve(process.env.INIT_CWD ?? process.cwd(), positionals[0]) : DEFAULT_TCK_DIR;
  if (!existsSync(dir) || !statSync(dir).isDirectory()) return fail(`beslis tck: ${dir} is not a directory`);
  const only = values.only;
  const report = await runTck(dir, only ? { only: (folder) => folder.includes(only) } : {});
  if (report.folders.length === 0) {
    console.error(`beslis tck: no folder under ${dir} holds a .dmn model and *-test-*.xml files`);
    console.log('0 passed, 0 failed');
    return 2;
  }
  if (values.json) console.log(JSON.stringify(report, null, 2));
  else for (const f of report.folders) printFolder(f, values.verbose === true);
  if (!values.json) console.log(`test cases: ${report.cases.passed} passed, ${report.cases.failed} failed (a case passes when all its results pass)`);
  console.log(`${report.passed} passed, ${report.failed} failed`);
  return report.failed > 0 ? 1 : 0;
}
