// The editor's texts: every key of nl.ts is used somewhere in the editor (a text nobody shows is dead weight that
// still has to be translated), and en.ts has the same keys (the type checks that; this says which).
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { en } from '../editor/src/i18n/en.ts';
import { nl } from '../editor/src/i18n/nl.ts';

const SRC = resolve(import.meta.dirname, '../editor/src');

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? sources(join(dir, e.name)) : e.name.endsWith('.ts') && !/^(nl|en)\.ts$/.test(e.name) ? [readFileSync(join(dir, e.name), 'utf8')] : [],
  );
}

describe('the editor texts', () => {
  const code = sources(SRC).join('\n');
  // Keys built at run time, like t(`hp.${policy}`): every key under such a prefix counts as used.
  const prefixes = [...code.matchAll(/[`'"]([A-Za-z]+(?:\.[A-Za-z]+)*)\.\$\{/g)].map((m) => `${m[1]}.`);

  it('uses every Dutch text', () => {
    const unused = Object.keys(nl).filter((k) => !code.includes(`'${k}'`) && !code.includes(`"${k}"`) && !prefixes.some((p) => k.startsWith(p)));
    expect(unused).toEqual([]);
  });

  it('has every text in English too, and no more', () => {
    expect(Object.keys(en).sort()).toEqual(Object.keys(nl).sort());
  });
});
