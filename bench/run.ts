// `npm run bench` runs every suite; `npm run bench -- engine` one of them. Flags: --quick (short rounds),
// --write (put the figures into bench/README.md). Each suite module exports `run(opts)`.
interface Suite {
  run(opts: { quick: boolean; write: boolean }): Promise<void>;
}

const suites: Record<string, () => Promise<Suite>> = {
  engine: () => import('./engine.ts'),
  http: () => import('./http.ts'),
  log: () => import('./eval-log.ts'),
  impact: () => import('./impact.ts'),
  nodes: () => import('./nodes.ts'),
  pglog: () => import('./log-postgres.ts'),
};

const args = process.argv.slice(2);
const flags = new Set(args.filter((a) => a.startsWith('--')));
const names = args.filter((a) => !a.startsWith('--'));
const unknown = names.filter((n) => !Object.hasOwn(suites, n));
if (unknown.length > 0) {
  console.error(`unknown benchmark ${unknown.join(', ')}; known: ${Object.keys(suites).join(', ')}`);
  process.exit(2);
}
for (const name of names.length > 0 ? names : Object.keys(suites)) {
  const suite = await suites[name]!();
  await suite.run({ quick: flags.has('--quick'), write: flags.has('--write') });
}

export {};
