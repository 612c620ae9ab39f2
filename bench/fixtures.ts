// Fixture throughput (issue 5): cases per second over the whole fixtures/ tree, measured (not a test).
// Run: node bin/run-ts.js bench/fixtures.ts
// (a) the store runner as `beslis fixtures run` and POST /api/v1/fixtures/run use it: every suite, version choice per
//     case, compiled tables cached by the evaluator, reports with coverage; a fresh database loaded from rules/ and
//     fixtures/; the first (cold) run includes compiling every table version;
// (b) the engine runner alone (runFixtureSuite) with a resolver over precompiled versions, as the vitest door uses.
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { runFixtureSuite } from '../server/engine/fixture-runner.ts';
import { Evaluator } from '../server/store/evaluation.ts';
import { importFiles } from '../server/store/files.ts';
import { runAllFixtures } from '../server/store/fixtures.ts';
import { Store } from '../server/store/store.ts';
import { fileResolver, fixtureFiles, tablesById } from '../test/policy/policy-files.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ROUNDS = 7;
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

const dir = mkdtempSync(join(tmpdir(), 'beslis-bench-fixtures-'));
const store = await Store.open(join(dir, 'beslis.db'));
try {
  await importFiles(store, ROOT, 'bench');
  const before = loadavg().map((x) => x.toFixed(2)).join(' ');

  const cold = new Evaluator(store);
  let t = performance.now();
  const first = (await runAllFixtures(store, cold, 'newest'));
  const coldMs = performance.now() - t;
  if (first.totals.failed > 0) throw new Error(`${first.totals.failed} fixture cases fail; fix them before measuring`);
  const cases = first.totals.cases;

  const warm = new Evaluator(store);
  await runAllFixtures(store, warm, 'newest');
  const storeRates: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    t = performance.now();
    let n = 0;
    while (performance.now() - t < 500) n += (await runAllFixtures(store, warm, 'newest')).totals.cases;
    storeRates.push(n / ((performance.now() - t) / 1000));
  }

  const tables = tablesById();
  const suites = fixtureFiles().map(({ suite }) => ({ suite, resolve: fileResolver(tables.get(suite.table) ?? []) }));
  for (const s of suites) runFixtureSuite(s.suite, s.resolve);
  const engineRates: number[] = [];
  for (let i = 0; i < ROUNDS; i++) {
    t = performance.now();
    let n = 0;
    while (performance.now() - t < 500) for (const s of suites) n += runFixtureSuite(s.suite, s.resolve).cases.length;
    engineRates.push(n / ((performance.now() - t) / 1000));
  }
  const after = loadavg().map((x) => x.toFixed(2)).join(' ');
  const k = (x: number) => `${(x / 1000).toFixed(1)} k/s`;
  console.log(`Machine: ${cpus()[0]?.model ?? '?'}, ${cpus().length} cores, Node ${process.version}; load average ${before} before, ${after} after.`);
  console.log(`${first.totals.suites} suites, ${cases} cases, ${first.totals.rules} rules (${first.totals.unreached} unreached).`);
  console.log(`| runner | cases/s (median of ${ROUNDS} rounds of 500 ms) |\n|---|---:|`);
  console.log(`| (a) store runner, first run in the process (compiles every version) | ${k(cases / (coldMs / 1000))} (${coldMs.toFixed(0)} ms for the tree) |`);
  console.log(`| (a) store runner, warm | ${k(median(storeRates))} (${((cases / median(storeRates)) * 1000).toFixed(1)} ms for the tree) |`);
  console.log(`| (b) engine runner alone, warm | ${k(median(engineRates))} |`);
} finally {
  await store.close();
  rmSync(dir, { recursive: true, force: true });
}
