// No module of the server or the editor imports itself through others: a circle makes the load order decide which
// module sees the other half-initialised, and it hides which one is the lower layer. Type-only imports are erased
// and do not count; dynamic imports (the editor's lazily loaded panels) do not run at load time and do not count.
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = resolve(import.meta.dirname, '../..');

function files(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name);
    if (e.isDirectory()) return e.name === 'node_modules' || e.name === 'dist' ? [] : files(p);
    return /\.(ts|js)$/.test(e.name) && !/\.(test|d)\.ts$/.test(e.name) ? [p] : [];
  });
}

/** The modules a file imports at load time: `import … from`, `export … from` and bare `import '…'`, not `import type`. */
export function loadTimeImports(source: string): string[] {
  const out: string[] = [];
  const re = /^\s*(import|export)\s+(type\s+)?([^'";]*?\sfrom\s+)?['"]([^'"]+)['"]/gm;
  for (const m of source.matchAll(re)) {
    if (m[2]) continue;
    // `import { type A, type B } from` is erased too (unless a default or namespace import stands beside the braces).
    const clause = m[3] ?? '';
    const names = clause.match(/\{([^}]*)\}/)?.[1];
    const beside = clause.replace(/\{[^}]*\}/, '').replace(/\sfrom\s+$/, '').replace(/,/g, '').trim();
    if (m[1] === 'import' && names !== undefined && beside === '' && names.split(',').every((n) => n.trim() === '' || /^type\s/.test(n.trim()))) continue;
    out.push(m[4]!);
  }
  return out;
}

function graph(): Map<string, string[]> {
  const all = [...files(join(ROOT, 'server')), ...files(join(ROOT, 'editor/src'))];
  const known = new Set(all);
  const g = new Map<string, string[]>();
  for (const f of all) {
    const deps = loadTimeImports(readFileSync(f, 'utf8'))
      .filter((s) => s.startsWith('.'))
      .map((s) => resolve(dirname(f), s))
      .filter((p) => known.has(p));
    g.set(f, deps);
  }
  return g;
}

/** Every elementary circle found by a depth-first walk, each written from its smallest file name. */
function cycles(g: Map<string, string[]>): string[] {
  const found = new Set<string>();
  const state = new Map<string, 'open' | 'done'>();
  const stack: string[] = [];
  const visit = (f: string) => {
    state.set(f, 'open');
    stack.push(f);
    for (const d of g.get(f) ?? []) {
      if (state.get(d) === 'open') {
        const ring = stack.slice(stack.indexOf(d)).map((p) => relative(ROOT, p));
        const start = ring.indexOf([...ring].sort()[0]!);
        found.add([...ring.slice(start), ...ring.slice(0, start)].join(' > '));
      } else if (!state.has(d)) visit(d);
    }
    stack.pop();
    state.set(f, 'done');
  };
  for (const f of [...g.keys()].sort()) if (!state.has(f)) visit(f);
  return [...found].sort();
}

describe('import circles', () => {
  it('reads load-time imports and skips the erased ones', () => {
    expect(
      loadTimeImports(`import type { A } from './a.ts';
import { type B, type C } from './b.ts';
import { d, type E } from './d.ts';
import f from './f.ts';
import h, { type I } from './h2.ts';
import * as j from './j.ts';
export { g } from './g.ts';
export type { H } from './h.ts';
import './side-effect.ts';
const lazy = () => import('./lazy.ts');`),
    ).toEqual(['./d.ts', './f.ts', './h2.ts', './j.ts', './g.ts', './side-effect.ts']);
  });

  it('finds a circle when there is one', () => {
    const a = resolve(ROOT, 'x/a.ts');
    const b = resolve(ROOT, 'x/b.ts');
    const c = resolve(ROOT, 'x/c.ts');
    expect(cycles(new Map([[a, [b]], [b, [c]], [c, [a]]]))).toEqual(['x/a.ts > x/b.ts > x/c.ts']);
    expect(cycles(new Map([[a, [b]], [b, [c]], [c, []]]))).toEqual([]);
  });

  it('has none in server/ and editor/src/', () => {
    expect(cycles(graph())).toEqual([]);
  });
});
