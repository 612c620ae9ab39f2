import { builtinModules } from 'node:module';
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

// The layers of docs/architecture.md, enforced: dependencies point one way (api/cli → store → engine; editor → engine).
const NODE = { group: ['node:*', ...builtinModules.filter((m) => !m.startsWith('_'))], message: 'server/engine is pure: it runs in the browser too, so it may not use Node.' };
const layers = {
  engine: [
    NODE,
    { group: ['express', 'express/*', 'better-sqlite3', 'pg'], message: 'server/engine is pure: no HTTP, no database (those belong to server/api and server/store).' },
    { regex: String.raw`^\.\.?/(.*/)?(store|api|cli|dmn)/`, message: 'server/engine imports nothing of the layers above it (store, api, cli, dmn).' },
  ],
  register: [
    { group: ['express', 'express/*'], message: 'server/register renders the register and decides what is public; the HTTP side is server/api/routes/public-*.ts.' },
    { regex: String.raw`^\.\.?/(.*/)?(api|cli)/`, message: 'server/register imports nothing of server/api or server/cli: the API calls it.' },
  ],
  store: [{ regex: String.raw`^\.\.?/(.*/)?(api|cli)/`, message: 'server/store imports nothing of server/api or server/cli: they call the store, not the other way round.' }],
  editor: [
    { regex: String.raw`^(\.\./)+server/(?!engine/)`, message: 'the editor reuses server/engine only; the rest of the server it reaches over HTTP.' },
    { group: ['express', 'better-sqlite3'], message: 'the editor runs in the browser.' },
  ],
};

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'data/', 'coverage/', 'editor/dist/', 'test/tck/', 'bench/peers/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  // Tests beside the code may read files and start servers; the rules are for the code itself.
  { files: ['server/engine/**/*.{ts,js}'], ignores: ['**/*.test.ts'], rules: { 'no-restricted-imports': ['error', { patterns: layers.engine }] } },
  { files: ['server/register/**/*.{ts,js}'], ignores: ['**/*.test.ts'], rules: { 'no-restricted-imports': ['error', { patterns: layers.register }] } },
  { files: ['server/store/**/*.{ts,js}'], ignores: ['**/*.test.ts'], rules: { 'no-restricted-imports': ['error', { patterns: layers.store }] } },
  { files: ['editor/**/*.{ts,js}'], ignores: ['**/*.test.ts', 'editor/*.js'], rules: { 'no-restricted-imports': ['error', { patterns: layers.editor }] } },
);
