import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const root = fileURLToPath(new URL('../..', import.meta.url));
let tableFile = '';

function beslis(args: string[], stdin?: string) {
  const r = spawnSync(process.execPath, [join(root, 'bin/beslis.js'), ...args], { input: stdin, encoding: 'utf8', timeout: 20_000 });
  return { code: r.status, out: r.stdout, err: r.stderr };
}

beforeAll(() => {
  const dir = mkdtempSync(join(tmpdir(), 'beslis-cli-'));
  tableFile = join(dir, 'matrix.json');
  writeFileSync(
    tableFile,
    JSON.stringify({
      id: 'test.matrix',
      title: 'Interventiematrix (test)',
      inputs: [
        { name: 'gedrag', type: 'string', values: ['A', 'B'] },
        { name: 'gevolgen', type: 'number' },
      ],
      outputs: [{ name: 'kwadrant', type: 'number' }],
      rules: [
        { id: 'A-laag', when: { gedrag: '"A"', gevolgen: '<= 2' }, then: { kwadrant: '1' }, note: 'Welwillend, weinig gevolgen.' },
        { id: 'A-hoog', when: { gedrag: '"A"', gevolgen: '> 2' }, then: { kwadrant: '2' } },
        { id: 'B', when: { gedrag: '"B"' }, then: { kwadrant: '3' } },
      ],
    }),
  );
});

describe('beslis evaluate', () => {
  it('prints the output and the matched rule for --input', () => {
    const r = beslis(['evaluate', tableFile, '--input', '{"gedrag":"A","gevolgen":3}']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out)).toEqual({ output: { kwadrant: 2 }, matched: ['A-hoog'] });
  });

  it('reads the case from standard input', () => {
    const r = beslis(['evaluate', tableFile], '{"gedrag":"B","gevolgen":1}');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.out).matched).toEqual(['B']);
  });

  it('explains with --trace which cells held', () => {
    const r = beslis(['evaluate', tableFile, '--input', '{"gedrag":"A","gevolgen":1}', '--trace']);
    expect(r.code).toBe(0);
    expect(r.out).toContain('✔ A-laag');
    expect(r.out).toContain('holds   gevolgen = 1  against  <= 2');
    expect(r.out).toContain('fails   gevolgen = 1  against  > 2');
    expect(r.out).toContain('Welwillend, weinig gevolgen.');
  });

  it('prints the reasoning with --explain, in Dutch or with --lang en in English', () => {
    const nl = beslis(['evaluate', tableFile, '--input', '{"gedrag":"A","gevolgen":1}', '--explain']);
    expect(nl.code).toBe(0);
    expect(nl.out).toContain('regel A-laag, omdat gedrag A is en gevolgen 2 of minder is (namelijk 1).');
    expect(nl.out).toContain('Toelichting: Welwillend, weinig gevolgen.');
    const en = beslis(['evaluate', tableFile, '--input', '{"gedrag":"A","gevolgen":1}', '--explain', '--lang', 'en']);
    expect(en.out).toContain('rule A-laag, because gedrag is A and gevolgen is 2 or less (namely 1).');
    expect(beslis(['evaluate', tableFile, '--input', '{"gedrag":"A","gevolgen":1}', '--explain', '--lang', 'de']).err).toContain("--lang must be nl or en, not 'de'");
  });

  it('refuses a bad case with exit 1 and names each field', () => {
    const r = beslis(['evaluate', tableFile, '--input', '{"gedrag":"Z"}']);
    expect(r.code).toBe(1);
    expect(r.err).toContain('/gedrag: "Z" is not one of the allowed values');
    expect(r.err).toContain('/gevolgen: gevolgen is required');
  });

  it('runs a requires chain from the rules folder: the matrix decides the kwadrant the ladder needs', () => {
    const ladder = join(root, 'rules/handhaving/interventieladder/v1.json');
    const input = { stap: 'constatering', overtreding_opgeheven: false, spoed: false, recidive: false, gedrag: 'A', gevolgen: 1 };
    const r = beslis(['evaluate', ladder, '--input', JSON.stringify(input), '--date', '2025-06-01']);
    expect(r.err).toBe('');
    expect(r.code).toBe(0);
    const body = JSON.parse(r.out);
    expect(body.steps).toEqual([expect.objectContaining({ tableId: 'handhaving.interventiematrix', output: expect.objectContaining({ kwadrant: 1 }) })]);
    expect(body.output).toEqual({ volgende_stap: 'waarschuwing', termijn: 'hersteltermijn 4 weken' });
    // --explain tells each step, the matrix first.
    const why = beslis(['evaluate', ladder, '--input', JSON.stringify(input), '--date', '2025-06-01', '--explain']);
    expect(why.out).toMatch(/^Dit besluit is in 2 stappen genomen/);
    expect(why.out.indexOf('Stap 1 van 2\nBesluit: Interventiematrix')).toBeGreaterThan(0);
    // Without the inputs the matrix needs, the matrix's refusal is the answer, naming its fields.
    const bad = beslis(['evaluate', ladder, '--input', JSON.stringify({ stap: 'constatering', overtreding_opgeheven: false, spoed: false, recidive: false })]);
    expect(bad.code).toBe(1);
    expect(bad.err).toContain('handhaving.interventiematrix');
    expect(bad.err).toContain('/gedrag');
    // A table outside a rules folder names what it needs.
    const lone = join(mkdtempSync(join(tmpdir(), 'beslis-cli-')), 'ladder.json');
    writeFileSync(lone, readFileSync(ladder));
    const r2 = beslis(['evaluate', lone, '--input', JSON.stringify(input)]);
    expect(r2.code).toBe(2);
    expect(r2.err).toContain('--rules');
    expect(beslis(['evaluate', lone, '--rules', join(root, 'rules'), '--input', JSON.stringify(input)]).code).toBe(0);
  });

  it('exits 2 on wrong usage or unreadable JSON', () => {
    expect(beslis(['evaluate']).code).toBe(2);
    expect(beslis(['evaluate', tableFile, '--input', '{']).code).toBe(2);
    expect(beslis(['evaluate', join(root, 'no-such-file.json'), '--input', '{}']).code).toBe(2);
  });
});
