// The benchmark's reference engines that are not in the project's lock (bench/peers/package.json says why). They are
// installed into bench/peers/node_modules on first use, so `npm ci` of the project stays exact and fast.
import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';

const PEERS_DIR = fileURLToPath(new URL('./peers/', import.meta.url));

/** The part of @gorules/zen-engine the benchmark uses. */
export interface ZenDecision {
  evaluate(input: Record<string, unknown>): Promise<{ result: unknown }>;
}
export interface ZenEngineInstance {
  createDecision(content: unknown): ZenDecision;
  dispose(): void;
}

function installPeers(): void {
  if (existsSync(`${PEERS_DIR}node_modules/@gorules/zen-engine/package.json`)) return;
  console.error('bench: installing the reference engines into bench/peers (first use)…');
  execFileSync('npm', ['install', '--no-audit', '--no-fund', '--no-package-lock'], { cwd: PEERS_DIR, stdio: 'inherit' });
}

/** A new zen-engine, installed on first use. */
export function loadZenEngine(): ZenEngineInstance {
  installPeers();
  const require = createRequire(`${PEERS_DIR}package.json`);
  const { ZenEngine } = require('@gorules/zen-engine') as { ZenEngine: new () => ZenEngineInstance };
  return new ZenEngine();
}
