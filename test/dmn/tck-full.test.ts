// The ratchet on the whole vendored DMN TCK (test/tck/full, levels 2 and 3): every folder must pass at least the
// test cases test/tck/full-figures.json holds for it (a case passes when all its result nodes pass, as the TCK's
// own results count), so a change that breaks FEEL somewhere fails here, naming the folder and the cases lost.
// When a folder improves, raise its figure: BESLIS_TCK_FIGURES=write npx vitest run test/dmn/tck-full.test.ts
// rewrites the file from the run (and only ever upwards, unless the file is deleted first).
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runTck } from '../../server/dmn/index.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const KIT = resolve(ROOT, 'test/tck/full');
const FIGURES = resolve(ROOT, 'test/tck/full-figures.json');

interface Figure {
  cases: number;
  passed: number;
}
interface Figures {
  kit: string;
  folders: Record<string, Figure>;
}

function levelTotals(folders: Record<string, Figure>, level: string): Figure {
  const of = Object.entries(folders).filter(([name]) => name.startsWith(`${level}/`));
  return { cases: of.reduce((n, [, f]) => n + f.cases, 0), passed: of.reduce((n, [, f]) => n + f.passed, 0) };
}

/** The README's line, built from the figures: what the test holds the README to. */
function readmeLine(folders: Record<string, Figure>): string {
  const [l2, l3] = [levelTotals(folders, 'compliance-level-2'), levelTotals(folders, 'compliance-level-3')];
  const n = (x: number) => x.toLocaleString('en-US');
  return `DMN TCK, the whole vendored kit (\`test/tck/full\`): level 2 passes ${n(l2.passed)} of ${n(l2.cases)} test cases, level 3 ${n(l3.passed)} of ${n(l3.cases)}.`;
}

describe('the whole DMN TCK, held folder by folder', async () => {
  const report = await runTck(KIT);
  const run: Record<string, Figure> = Object.fromEntries(
    report.folders.map((f) => [f.folder, { cases: f.cases.passed + f.cases.failed, passed: f.cases.passed }] as const),
  );
  const held: Figures = existsSync(FIGURES) ? (JSON.parse(readFileSync(FIGURES, 'utf8')) as Figures) : { kit: 'test/tck/full', folders: {} };

  if (process.env.BESLIS_TCK_FIGURES === 'write') {
    const folders: Record<string, Figure> = {};
    for (const [name, f] of Object.entries(run)) folders[name] = { cases: f.cases, passed: Math.max(f.passed, held.folders[name]?.passed ?? 0) };
    writeFileSync(FIGURES, `${JSON.stringify({ kit: 'test/tck/full', folders }, null, 2)}\n`);
    held.folders = folders;
  }

  it('runs every folder the figures name, with the same number of test cases', () => {
    expect(Object.keys(run).sort()).toEqual(Object.keys(held.folders).sort());
    for (const [name, f] of Object.entries(held.folders)) expect(run[name]!.cases, name).toBe(f.cases);
  });

  it('passes, in every folder, at least the test cases held for it', () => {
    const dropped = Object.entries(held.folders)
      .filter(([name, f]) => (run[name]?.passed ?? 0) < f.passed)
      .map(([name, f]) => {
        const lost = report.folders
          .find((x) => x.folder === name)
          ?.outcomes.filter((o) => !o.passed)
          .map((o) => `${o.caseId} ${o.result}: ${o.reason ?? ''}`)
          .slice(0, 5);
        return `${name}: ${run[name]?.passed ?? 0} < ${f.passed} (${lost?.join('; ')})`;
      });
    expect(dropped).toEqual([]);
  });

  it('the README gives the figures, levels 2 and 3 apart', () => {
    expect(readFileSync(resolve(ROOT, 'README.md'), 'utf8')).toContain(readmeLine(held.folders));
  });

  it('the run counts a test case as passed only when all its results pass', () => {
    for (const f of report.folders) {
      const ids = new Set(f.outcomes.map((o) => `${o.testFile} ${o.caseId}`));
      expect(f.cases.passed + f.cases.failed, f.folder).toBe(ids.size);
      const failedIds = new Set(f.outcomes.filter((o) => !o.passed).map((o) => `${o.testFile} ${o.caseId}`));
      expect(f.cases.failed, f.folder).toBe(failedIds.size);
    }
    expect(report.cases.passed).toBe(report.folders.reduce((n, f) => n + f.cases.passed, 0));
  });
});
