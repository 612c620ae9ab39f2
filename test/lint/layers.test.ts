// The layer rules of eslint.config.js, tried on snippets placed as if in each folder: a forbidden import is a lint
// error naming the rule, an allowed one is not.
import { fileURLToPath } from 'node:url';
import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('../../', import.meta.url));
const eslint = new ESLint({ cwd: ROOT });

/** The no-restricted-imports messages for `code` linted as the file at `path`. */
async function restricted(path: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath: `${ROOT}${path}` });
  return (result?.messages ?? []).filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layer rules', () => {
  it('server/engine may not import Node, HTTP or SQLite', async () => {
    const fs = await restricted('server/engine/leak.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n");
    expect(fs).toHaveLength(1);
    expect(fs[0]).toMatch(/'node:fs' import is restricted.*server\/engine is pure/);
    for (const mod of ['fs', 'path', 'worker_threads', 'express', 'better-sqlite3']) {
      expect(await restricted('server/engine/jre/leak.ts', `import x from '${mod}';\nexport default x;\n`), mod).toHaveLength(1);
    }
  });

  it('server/engine may not import the store, the API, the CLI or the DMN layer, from any depth', async () => {
    for (const [file, mod] of [
      ['server/engine/leak.ts', '../store/store.ts'],
      ['server/engine/analysis/leak.ts', '../../api/errors.ts'],
      ['server/engine/leak.ts', '../cli/main.ts'],
      ['server/engine/leak.ts', '../dmn/index.ts'],
    ] as const) {
      expect(await restricted(file, `import x from '${mod}';\nexport default x;\n`), `${file} → ${mod}`).toHaveLength(1);
    }
  });

  it('lets the engine import itself and its libraries, and its tests read files', async () => {
    expect(await restricted('server/engine/ok.ts', "import { Dec } from './values.ts';\nimport Decimal from 'decimal.js';\nexport { Dec, Decimal };\n")).toEqual([]);
    expect(await restricted('server/engine/ok.test.ts', "import { readFileSync } from 'node:fs';\nexport const x = readFileSync;\n")).toEqual([]);
  });

  it('server/store may not import server/api or server/cli', async () => {
    expect(await restricted('server/store/leak.ts', "import { ApiError } from '../api/errors.ts';\nexport { ApiError };\n")).toHaveLength(1);
    expect(await restricted('server/store/leak.ts', "import x from '../cli/main.ts';\nexport default x;\n")).toHaveLength(1);
    expect(await restricted('server/store/ok.ts', "import { compileTable } from '../engine/index.ts';\nimport { register } from 'tsx/esm/api';\nexport { compileTable, register };\n")).toEqual([]);
  });

  it('the editor may import server/engine and nothing else of the server', async () => {
    expect(await restricted('editor/src/table/leak.ts', "import { Store } from '../../../server/store/store.ts';\nexport { Store };\n")).toHaveLength(1);
    expect(await restricted('editor/src/leak.ts', "import { createApp } from '../../server/api/app.ts';\nexport { createApp };\n")).toHaveLength(1);
    expect(await restricted('editor/src/table/ok.ts', "import { compileTable } from '../../../server/engine/index.ts';\nexport { compileTable };\n")).toEqual([]);
  });
});
