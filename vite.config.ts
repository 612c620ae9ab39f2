import { defineConfig } from 'vitest/config';

// vitest runs from the repository root; vite builds and previews the editor from editor/.
const editorRoot = process.env.VITEST ? undefined : 'editor';

// One config for the editor build (vite) and the test runner (vitest).
export default defineConfig({
  // The editor: built from editor/ into editor/dist/, which the server serves at `/`.
  root: editorRoot,
  base: './',
  publicDir: false,
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    target: 'es2022',
    sourcemap: false,
    // monaco is one big chunk loaded only when the JSON tab opens; keep the size warning for everything else.
    chunkSizeWarningLimit: 4000,
  },
  worker: { format: 'es' },
  server: { host: '127.0.0.1' },
  preview: { host: '127.0.0.1' },
  test: {
    include: ['server/**/*.test.ts', 'test/**/*.test.ts', 'e2e/**/*.test.ts'],
    environment: 'node',
    testTimeout: 30_000,
    hookTimeout: 60_000,
    reporters: ['default'],
  },
});
