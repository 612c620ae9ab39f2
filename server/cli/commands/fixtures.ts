// `beslis fixtures run`: runs the fixture suites of the store (docs/contracts.md) with the same runner as vitest and the API.
import { writeFileSync } from 'node:fs';
import { Evaluator } from '../../store/evaluation.ts';
import { hasPolicyFiles, importFiles } from '../../store/files.ts';
import { junitXml, prettyReport } from '../../store/fixture-reports.ts';
import { parseTarget, runAllFixtures, runTableFixtures, type AllFixturesReport, type FixtureRunReport } from '../../store/fixtures.ts';
import { parseCommandArgs, usageError } from '../args.ts';
import { redactUrl } from '../database-url.ts';
import { seedDir, withStore } from '../open-store.ts';

export const summary = 'run the fixture suites (regression cases) against the newest versions, a version or the draft';

const HELP = `Usage: beslis fixtures run [--table ID] [--target newest|draft|N] [--reporter pretty|json|junit]
                           [--output FILE] [--db FILE] [--seed DIR | --no-seed] [--verbose]

Runs the fixture cases in the database (--db, env BESLIS_DB, default ./data/beslis.db). An empty database is
first loaded from DIR/rules and DIR/fixtures (default: the package's own), as 'beslis serve' does.

  --table ID       only this table's suite (default: every table with fixtures)
  --target T       what undated cases run against: newest (default), draft, or version N (N needs --table).
                   Dated cases run against the version valid on their date (with draft: cases dated on or
                   after the draft's validFrom, or today when it has none, run against the draft).
                   With draft and no --table, tables without a draft run against their newest version.
  --reporter R     pretty (default), json or junit (JUnit XML for CI)
  --output FILE    write the report to FILE instead of standard output (a summary line still goes to stderr)
  --verbose        pretty: list passing cases too

A progress bar is drawn on standard error when it is a terminal.
Exit codes: 0 every case passes, 1 a case fails, 2 wrong usage (unknown table, no draft, bad option).`;

function usage(message: string): number {
  return usageError(HELP, `beslis fixtures: ${message}`);
}

function progressBar(done: number, total: number, cases: number, failed: number): string {
  const width = 30;
  const filled = total === 0 ? width : Math.round((done / total) * width);
  return `\r[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${done}/${total} tables, ${cases} cases${failed ? `, ${failed} failing` : ''}`;
}

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, {
    help: HELP,
    errorPrefix: 'beslis fixtures: ',
    options: {
      table: { type: 'string' },
      target: { type: 'string' },
      reporter: { type: 'string' },
      output: { type: 'string' },
      db: { type: 'string' },
      seed: { type: 'string' },
      'no-seed': { type: 'boolean' },
      verbose: { type: 'boolean', short: 'v' },
    },
  });
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  if (positionals.length !== 1 || positionals[0] !== 'run') return usage(positionals.length === 0 ? 'say what to do: fixtures run' : `unknown subcommand '${positionals.join(' ')}'`);
  const reporter = values.reporter ?? 'pretty';
  if (!['pretty', 'json', 'junit'].includes(reporter)) return usage(`--reporter must be pretty, json or junit, not '${reporter}'`);
  const target = parseTarget(values.target);
  if (target === null) return usage(`--target must be newest, draft or a version number, not '${values.target}'`);
  if (typeof target === 'number' && !values.table) return usage('--target N needs --table: version numbers belong to one table');

  return withStore(values.db, false, async (store) => {
    const seed = seedDir(values);
    if (seed && store.isEmpty() && hasPolicyFiles(seed)) {
      const r = (await importFiles(store, seed, 'import', { skipInvalid: true }));
      console.error(`beslis fixtures: loaded ${r.imported.length} versions and ${r.fixturesImported.length} fixture sets from ${seed}`);
      for (const p of r.problems) console.error(`beslis fixtures: skipped ${p.file}: ${p.message}`);
    }
    const evaluator = new Evaluator(store);
    const tty = process.stderr.isTTY === true;
    let report: AllFixturesReport;
    if (values.table) {
      const id = values.table;
      if (!store.tableExists(id)) return usage(`there is no table '${id}' in ${store.dialect === 'postgres' ? redactUrl(store.file) : store.file}`);
      if (target === 'draft' && !(await store.getDraft(id))) return usage(`table '${id}' has no draft`);
      if (typeof target === 'number' && !store.listVersions(id).some((v) => v.version === target)) return usage(`table '${id}' has no version ${target}`);
      const started = performance.now();
      const one: FixtureRunReport = (await runTableFixtures(store, evaluator, id, target));
      report = {
        target: target === 'draft' ? 'draft' : 'newest',
        suites: [one],
        totals: { suites: 1, cases: one.totals.cases, passed: one.totals.passed, failed: one.totals.failed, rules: one.totals.rules, unreached: one.totals.unreached },
        ms: performance.now() - started,
      };
    } else {
      let cases = 0;
      let failed = 0;
      report = (await runAllFixtures(store, evaluator, target as 'newest' | 'draft', {
        onSuite: (done, total, s) => {
          cases += s.totals.cases;
          failed += s.totals.failed;
          if (tty) process.stderr.write(progressBar(done, total, cases, failed));
        },
      }));
      if (tty) process.stderr.write('\r\u001b[2K');
    }
    const text =
      reporter === 'json'
        ? `${JSON.stringify(report, null, 2)}\n`
        : reporter === 'junit'
          ? junitXml(report)
          : `${prettyReport(report, { color: !values.output && process.stdout.isTTY === true, verbose: values.verbose === true })}\n`;
    if (values.output) {
      writeFileSync(values.output, text);
      const t = report.totals;
      console.error(`beslis fixtures: ${t.cases} cases in ${t.suites} tables, ${t.passed} passed, ${t.failed} failed; report in ${values.output}`);
    } else process.stdout.write(text);
    if (report.totals.suites === 0) console.error('beslis fixtures: no fixtures to run');
    return report.totals.failed === 0 ? 0 : 1;
  });
}
