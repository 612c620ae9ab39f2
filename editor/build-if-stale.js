// `npm start` runs this first (prestart): builds the editor into editor/dist when it is missing or older than
// its sources (the editor, the engine it bundles, the table schema, the vite config). Plain JS: no build needed.
import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const built = join(root, 'editor', 'dist', 'index.html');

function newest(path) {
  if (!existsSync(path)) return 0;
  const st = statSync(path);
  if (!st.isDirectory()) return st.mtimeMs;
  let n = 0;
  for (const entry of readdirSync(path)) n = Math.max(n, newest(join(path, entry)));
  return n;
}

const sources = Math.max(
  ...['editor/src', 'editor/index.html', 'server/engine', 'rules/schema', 'vite.config.ts', 'package-lock.json'].map((p) => newest(join(root, p))),
);
if (existsSync(built) && statSync(built).mtimeMs >= sources) process.exit(0);

const vite = join(root, 'node_modules', 'vite', 'bin', 'vite.js');
if (!existsSync(vite)) {
  console.error('beslis: the editor is not built and vite is not installed (npm install installs it); the API still starts.');
  process.exit(0);
}
console.log('beslis: building the editor (editor/dist)…');
execFileSync(process.execPath, [vite, 'build', '--logLevel', 'warn'], { cwd: root, stdio: 'inherit', env: { ...process.env, VITEST: '' } });
