// The postgres test project's one cluster for the whole run (vite.config.ts): started before the first test file,
// stopped after the last. Each test takes a database of its own on it (test/api/helpers.ts testDatabase).
import type { TestProject } from 'vitest/node';
import { startCluster } from './cluster.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** postgres://…/postgres of the run's cluster. */
    pgClusterUrl: string;
  }
}

export default async function setup(project: TestProject): Promise<() => void> {
  const cluster = await startCluster();
  project.provide('pgClusterUrl', cluster.url);
  return () => cluster.stop();
}
