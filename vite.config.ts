import { existsSync, readFileSync } from 'node:fs';
import Ajv from 'ajv';
import addFormats from 'ajv-formats';
import standaloneCode from 'ajv/dist/standalone/index.js';
import type { Plugin } from 'vite';
import { defineConfig } from 'vitest/config';

/**
 * The engine checks tables with ajv, which compiles schemas with `new Function` — refused in the browser by the
 * server's Content-Security-Policy (no 'unsafe-eval'). For the editor bundle, the engine's `ajv` import is replaced by
 * the same validator compiled at build time (ajv standalone code): same checks and errors, no eval at run time.
 */
function ajvStandalone(): Plugin {
  const PREFIX = '\0beslis-ajv:';
  return {
    name: 'beslis-ajv-standalone',
    enforce: 'pre',
    resolveId(source, importer) {
      if ((source === 'ajv' || source === 'ajv-formats') && importer && /[\\/]server[\\/]engine[\\/]/.test(importer)) return PREFIX + source;
      return null;
    },
    load(id) {
      if (id === `${PREFIX}ajv-formats`) return 'export default function addFormats(ajv) { return ajv; }';
      if (id !== `${PREFIX}ajv`) return null;
      const schema = JSON.parse(readFileSync(new URL('./rules/schema/decision-table.schema.json', import.meta.url), 'utf8')) as { $id: string };
      // The same options as server/engine/schema.ts.
      const ajv = new Ajv({ allErrors: true, strict: false, code: { source: true, esm: true } });
      addFormats(ajv, ['date']);
      const validate = ajv.compile(schema);
      const code = standaloneCode(ajv, validate)
        .replace('require("ajv/dist/runtime/ucs2length").default', `(${ucs2length.toString()})`)
        .replace('require("ajv-formats/dist/formats").fullFormats.date', `{ validate: ${isoDate.toString()} }`)
        .replace(/export const validate = (\w+);export default \1;/, 'const __validate = $1;');
      if (/require\(|export default/.test(code)) throw new Error('ajv standalone code has a dependency the editor build does not inline');
      return `${code}
const __validators = { ${JSON.stringify(schema.$id)}: __validate };
export default class Ajv {
  compile(schema) {
    const v = __validators[schema.$id];
    if (!v) throw new Error('schema ' + schema.$id + ' was not compiled for the browser (vite.config.ts)');
    return v;
  }
}`;
    },
  };
}

/** Counts code points like ajv's runtime ucs2length (minLength counts characters, not UTF-16 units). */
function ucs2length(str: string): number {
  let n = 0;
  for (const _ of str) n++;
  return n;
}

/** ajv-formats' "date" (full mode): yyyy-mm-dd with a real day of that month. */
function isoDate(str: string): boolean {
  const m = /^(\d\d\d\d)-(\d\d)-(\d\d)$/.exec(str);
  if (!m) return false;
  const y = Number(m[1]);
  const mo = Number(m[2]);
  const d = Number(m[3]);
  const leap = y % 4 === 0 && (y % 100 !== 0 || y % 400 === 0);
  const days = [0, 31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][mo] ?? 0;
  return mo >= 1 && mo <= 12 && d >= 1 && d <= days;
}

// vitest runs from the repository root; vite builds and previews the editor from editor/.
const editorRoot = process.env.VITEST ? undefined : 'editor';

// One config for the editor build (vite) and the test runner (vitest).
export default defineConfig({
  // The editor: built from editor/ into editor/dist/, which the server serves at `/`.
  root: editorRoot,
  base: './',
  publicDir: false,
  // Only for the editor build: vitest runs the engine as the server does, with ajv itself.
  plugins: editorRoot ? [ajvStandalone()] : [],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // monaco is one big chunk loaded only when the JSON tab opens; keep the size warning for everything else.
    chunkSizeWarningLimit: 4000,
  },
  worker: { format: 'es', plugins: () => [ajvStandalone()] },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
  test: {
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
    projects: [
      // Everything, on SQLite (the embedded default).
      { extends: true, test: { name: 'sqlite', include: ['server/**/*.test.ts', 'test/**/*.test.ts', 'e2e/**/*.test.ts'] } },
      // The store, API, workflow and access-control suites again on PostgreSQL (issue 21: CI runs both): one cluster
      // for the run (test/pg/global-setup.ts), a fresh database per test (test/api/helpers.ts testDatabase). Left
      // out where PostgreSQL has nothing to show: tests that are about SQLite itself (its file, busy waits, WAL,
      // the crash and kill tests of its log writer thread, beslis serve --db FILE). Only where PostgreSQL is
      // installed (CI installs it; BESLIS_TEST_POSTGRES=0 leaves it out).
      ...(existsSync('/usr/lib/postgresql') && process.env.BESLIS_TEST_POSTGRES !== '0'
        ? [
            {
              extends: true as const,
              test: {
                name: 'postgres',
                include: ['test/store/store.test.ts', 'test/store/files.test.ts', 'test/api/**/*.test.ts', 'test/workflow/**/*.test.ts', 'test/auth/**/*.test.ts'],
                exclude: ['test/api/busy.test.ts', 'test/api/crash.test.ts', 'test/api/log-durability.test.ts', 'test/api/serve.test.ts'],
                env: { BESLIS_TEST_DATABASE: 'postgres', BESLIS_AUDIT_KEY: 'beslis-test-audit-key-0123456789abcdef' },
                globalSetup: ['test/pg/global-setup.ts'],
              },
            },
          ]
        : []),
    ],
  },
});
