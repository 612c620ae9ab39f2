// Every fixture file under fixtures/ is a suite and every case a test (docs/contracts.md): the policy's regression net.
import { describe, expect, it } from 'vitest';
import { runFixtureCase } from '../../server/engine/fixture-runner.ts';
import { fileResolver, fixtureFiles, rel, tablesById } from './policy-files.ts';

const tables = tablesById();
const files = fixtureFiles();

describe('policy fixtures', () => {
  it('exist for the policy in rules/', () => {
    expect(files.length).toBeGreaterThan(0);
  });
});

for (const { file, suite } of files) {
  describe(`${rel(file)} (${suite.table})`, () => {
    const versions = tables.get(suite.table) ?? [];

    it('names a table that exists in rules/, matching the file path', () => {
      expect(versions.length, `no version files for ${suite.table}`).toBeGreaterThan(0);
      expect(rel(file)).toBe(`fixtures/${suite.table.split('.').join('/')}.json`);
    });

    if (versions.length === 0) return;
    const resolve = fileResolver(versions, tables);
    suite.cases.forEach((c, i) => {
      const title = c.date ? `${c.name} [${c.date}]` : c.name;
      it(title, () => {
        const { report } = runFixtureCase(c, resolve, i);
        const detail = [
          report.message ?? '',
          `expected: ${JSON.stringify(report.expected)}`,
          `actual:   ${JSON.stringify(report.actual)}${report.error ? ` (error ${report.error.code}: ${report.error.message})` : ''}`,
          `matched:  ${report.matched.join(', ') || '-'} (version ${report.version ?? '?'})`,
        ].join('\n');
        expect(report.pass, detail).toBe(true);
      });
    });
  });
}
