// The editor's texts: every key of nl.ts is used somewhere in the editor (a text nobody shows is dead weight that
// still has to be translated), and en.ts has the same keys (the type checks that; this says which). The engine's
// problems and the audit trail's actions, by code: every code the engine or the server can write has its words.
import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';
import { en } from '../editor/src/i18n/en.ts';
import { nl } from '../editor/src/i18n/nl.ts';
import { engineEn } from '../editor/src/i18n/engine-en.ts';
import { engineNl } from '../editor/src/i18n/engine-nl.ts';
import { ENGINE_MESSAGE_CODES, ENGINE_MESSAGES } from '../server/engine/messages.ts';

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

describe("the engine's problems in the editor's words", () => {
  const placeholders = (text: string): string[] => [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();

  it('has a Dutch and an English text for every code the engine can report', () => {
    expect(ENGINE_MESSAGE_CODES.length).toBeGreaterThan(50);
    const missing = ENGINE_MESSAGE_CODES.filter((code) => !engineNl.messages[code]?.trim() || !engineEn.messages[code]?.trim());
    expect(missing).toEqual([]);
    // No text beyond the engine's codes: a renamed code leaves no stale translation behind.
    expect(Object.keys(engineNl.messages).sort()).toEqual([...ENGINE_MESSAGE_CODES].sort());
    expect(Object.keys(engineEn.messages).sort()).toEqual([...ENGINE_MESSAGE_CODES].sort());
  });

  it('fills in only parameters the engine gives, and is really Dutch', () => {
    for (const code of ENGINE_MESSAGE_CODES) {
      const given = new Set(placeholders(ENGINE_MESSAGES[code]));
      expect(placeholders(engineNl.messages[code]).filter((p) => !given.has(p)), code).toEqual([]);
      expect(placeholders(engineEn.messages[code]).filter((p) => !given.has(p)), code).toEqual([]);
    }
    const untranslated = ENGINE_MESSAGE_CODES.filter((code) => engineNl.messages[code] === ENGINE_MESSAGES[code]);
    expect(untranslated).toEqual([]);
  });

  it('names every action the server writes to the audit trail', () => {
    // The actions as the server's code writes them (`action: 'draft.saved'`), not a list kept by hand.
    const server = serverSources(resolve(import.meta.dirname, '../server')).join('\n');
    const actions = new Set([...server.matchAll(/\baction: '([a-z_]+(?:\.[a-z_]+)+)'/g)].map((m) => m[1]!));
    for (const m of server.matchAll(/_ACTION = '([a-z_]+(?:\.[a-z_]+)+)'/g)) actions.add(m[1]!);
    expect(actions.size).toBeGreaterThan(15);
    expect([...actions].filter((a) => !(`admin.action.${a}` in nl)).sort()).toEqual([]);
  });
});

function serverSources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? serverSources(join(dir, e.name)) : e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [readFileSync(join(dir, e.name), 'utf8')] : [],
  );
}
