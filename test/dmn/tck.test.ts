// The DMN TCK's decision-table cases (vendored in test/tck/decision-tables): every level-2 case passes; the level-3
// folders are held at the figure reached, so a regression fails and the report says where the engine stands.
import { spawnSync } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { DEFAULT_TCK_DIR } from '../../server/cli/commands/tck.ts';
import { runTck, type TckFolderReport } from '../../server/dmn/index.ts';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..', '..');
const TCK = DEFAULT_TCK_DIR;

const LEVEL_2 = [
  '0004-simpletable-U',
  '0005-simpletable-A',
  '0006-simpletable-P1',
  '0010-multi-output-U',
  '0108-first-hitpolicy',
  '0109-ruleOrder-hitpolicy',
  '0111-first-hitpolicy-singleoutputcol',
  '0112-ruleOrder-hitpolicy-singleinoutcol',
  '0113-outputOrder-hitpolicy-singleinoutcol',
  '0114-min-collect-hitpolicy',
  '0115-sum-collect-hitpolicy',
  '0118-multi-priority-hitpolicy',
  '0119-multi-collect-hitpolicy',
];

/** Level 3: results in each folder; all of them pass. */
const LEVEL_3: Record<string, number> = {
  '0036-dt-variable-input': 24,
  '0039-dt-list-semantics': 2,
  '0072-feel-in': 327,
};

describe('DMN TCK', async () => {
  const report = await runTck(TCK);
  const folder = (name: string): TckFolderReport => {
    const f = report.folders.find((x) => x.folder === name);
    expect(f, `TCK folder ${name} under ${TCK}`).toBeDefined();
    return f!;
  };

  it('finds every folder of the vendored decision-table cases', () => {
    expect(report.folders.map((f) => f.folder).sort()).toEqual([...LEVEL_2, ...Object.keys(LEVEL_3)].sort());
  });

  it.each(LEVEL_2)('level 2: every result of %s passes', (name) => {
    const f = folder(name);
    const failures = f.outcomes.filter((o) => !o.passed).map((o) => `${o.caseId} ${o.result}: ${o.reason}`);
    expect(failures).toEqual([]);
    expect(f.passed).toBeGreaterThanOrEqual(3);
    expect(f.problems).toEqual([]);
  });

  it.each(Object.keys(LEVEL_3))('level 3: every result of %s passes', (name) => {
    const f = folder(name);
    const failures = f.outcomes.filter((o) => !o.passed).map((o) => `${o.caseId} ${o.result}: ${o.reason}`);
    expect(failures).toEqual([]);
    expect(f.passed).toBe(LEVEL_3[name]);
  });

  it('the whole run adds up', () => {
    expect(report.passed + report.failed).toBe(LEVEL_2.reduce((n, name) => n + folder(name).outcomes.length, 0) + 24 + 2 + 327);
  });
});

describe('beslis tck (the command)', () => {
  const work = mkdtempSync(join(tmpdir(), 'beslis-tck-'));
  afterAll(() => rmSync(work, { recursive: true, force: true }));
  const cli = (args: string[], cwd = ROOT) => spawnSync(process.execPath, [join(ROOT, 'bin', 'beslis.js'), 'tck', ...args], { cwd, encoding: 'utf8', env: { ...process.env, INIT_CWD: cwd } });

  it('runs any folder of that shape, nested anywhere, and exits 0 when all pass', () => {
    cpSync(join(TCK, '0004-simpletable-U'), join(work, 'ok', 'nested', 'simple'), { recursive: true });
    const r = cli(['ok'], work);
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('nested/simple: 3/3 passed');
    expect(r.stdout.trim().split('\n').at(-1)).toBe('3 passed, 0 failed');
    expect(r.status).toBe(0);
  });

  it('prints each failure with the expected and the actual value, and exits 1', () => {
    const dir = join(work, 'bad', '0010');
    cpSync(join(TCK, '0010-multi-output-U'), dir, { recursive: true });
    const file = join(dir, '0010-multi-output-U-test-01.xml');
    // Case 001 expects Status "Approved"; claim "Maybe" instead.
    const text = readFileSync(file, 'utf8');
    const changed = text.replace('<value xsi:type="xsd:string">Approved</value>', '<value xsi:type="xsd:string">Maybe</value>');
    expect(changed).not.toBe(text);
    writeFileSync(file, changed);
    const r = cli([join(work, 'bad')]);
    expect(r.stdout).toContain('0010: 2/3 passed, 1 failed');
    expect(r.stdout).toMatch(/FAIL 0010-multi-output-U-test-01\.xml case 001, Approval\n\s+expected: \{"Status": "Maybe", "Rate": "Standard"\}\n\s+actual: {3}\{"Status":"Approved","Rate":"Standard"\}\n\s+why: {6}Status: expected "Maybe", got "Approved"/);
    expect(r.stdout.trim().split('\n').at(-1)).toBe('2 passed, 1 failed');
    expect(r.status).toBe(1);
  });

  it('says so when a folder holds no TCK tests, and exits 2', () => {
    const r = cli([join(work, 'nothing-here')]);
    expect(r.status).toBe(2);
    expect(r.stderr).toMatch(/is not a directory/);
    const empty = mkdtempSync(join(work, 'empty-'));
    const e = cli([empty]);
    expect(e.status).toBe(2);
    expect(e.stderr).toMatch(/no folder under .* holds a \.dmn model/);
  });

  it('runs the vendored cases by default and ends with the figure of the whole run', async () => {
    const r = cli([]);
    const report = await runTck(TCK);
    expect(r.stdout.trim().split('\n').at(-1)).toBe(`${report.passed} passed, ${report.failed} failed`);
    expect(r.status).toBe(report.failed > 0 ? 1 : 0);
  });
});
