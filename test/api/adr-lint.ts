// Lints an OpenAPI document with the NL API Design Rules' own Spectral ruleset (Logius, API-Design-Rules,
// media/linter.yaml, vendored in ./adr-ruleset with its licence notice: it is not published on npm). Loaded through
// spectral-ruleset-bundler, which resolves the ruleset's `extends: spectral:oas` to @stoplight/spectral-rulesets.
import * as fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import spectralCore from '@stoplight/spectral-core';
import spectralParsers from '@stoplight/spectral-parsers';
import { bundleAndLoadRuleset } from '@stoplight/spectral-ruleset-bundler/with-loader';

// CommonJS packages: their default export is the module object.
const { Document, Spectral } = spectralCore;

export const ADR_RULESET = fileURLToPath(new URL('./adr-ruleset/linter.yaml', import.meta.url));

export interface LintFinding {
  severity: 'error' | 'warning' | 'info' | 'hint';
  rule: string;
  path: string;
  message: string;
}

const SEVERITY = ['error', 'warning', 'info', 'hint'] as const;

/** Every finding of the ruleset on the document (given as its JSON text, as a client downloads it). */
export async function lintWithAdr(json: string): Promise<LintFinding[]> {
  const spectral = new Spectral();
  // No network: the ruleset is a local file and extends only Spectral's built-in oas ruleset.
  const noFetch = (() => Promise.reject(new Error('the ADR ruleset is linted offline'))) as unknown as typeof fetch;
  spectral.setRuleset(await bundleAndLoadRuleset(ADR_RULESET, { fs, fetch: noFetch }));
  const results = await spectral.run(new Document(json, spectralParsers.Json, 'openapi.json'));
  return results.map((r) => ({ severity: SEVERITY[r.severity]!, rule: String(r.code), path: r.path.join('.'), message: r.message }));
}
