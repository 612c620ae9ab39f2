// `npm run tck -- DIR --json` as checks outside the code read it: the report as JSON (folders[].outcomes[] with
// testFile, caseId, result, passed; the test cases beside the results), then the line "N passed, M failed".
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));

function tck(args: string[]) {
  const r = spawnSync(process.execPath, [join(root, 'bin/beslis.js'), 'tck', ...args], { encoding: 'utf8', timeout: 60_000 });
  return { code: r.status, out: r.stdout };
}

describe('beslis tck --json', () => {
  it('keeps its shape on a folder with a failure', () => {
    // 0052 has one case the kit writes rounded (README: what does not pass), so both kinds of outcome show.
    const r = tck([join(root, 'test/tck/full/compliance-level-3/0052-feel-exp-function'), '--json']);
    expect(r.code).toBe(1);
    const lines = r.out.trimEnd().split('\n');
    const last = lines.pop()!;
    const report = JSON.parse(lines.join('\n')) as {
      folders: { folder: string; outcomes: { testFile: string; caseId: string; result: string; passed: boolean; reason?: string }[]; cases: { passed: number; failed: number } }[];
      passed: number;
      failed: number;
      cases: { passed: number; failed: number };
    };
    expect(last).toBe(`${report.passed} passed, ${report.failed} failed`);
    expect(report.folders).toHaveLength(1);
    const [folder] = report.folders;
    expect(folder!.outcomes.length).toBe(report.passed + report.failed);
    for (const o of folder!.outcomes) {
      expect(typeof o.testFile).toBe('string');
      expect(typeof o.caseId).toBe('string');
      expect(typeof o.result).toBe('string');
      expect(typeof o.passed).toBe('boolean');
    }
    const failed = folder!.outcomes.filter((o) => !o.passed);
    expect(failed.map((o) => [o.testFile, o.caseId, o.result])).toEqual([['0052-feel-exp-function-test-01.xml', '002', 'decision002']]);
    expect(failed[0]!.reason).toContain('0.36787944');
    expect(report.cases).toEqual({ passed: 14, failed: 1 });
    expect(folder!.cases).toEqual(report.cases);
  });
});
