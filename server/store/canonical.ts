// Canonical JSON and content hashes (docs/contracts.md): a version's `hash` is the sha-256 of its canonical JSON,
// so formatting and key order in a file never change the hash, and the same table always hashes the same.
import { createHash } from 'node:crypto';

/** JSON with object keys sorted (by UTF-16 code units, recursively), no whitespace; `undefined` members are dropped. */
export function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') {
    if (value === undefined) return 'null';
    if (typeof value === 'number' && !Number.isFinite(value)) throw new TypeError('canonical JSON has no Infinity or NaN');
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((v) => (v === undefined ? 'null' : canonicalJson(v))).join(',')}]`;
  const obj = value as Record<string, unknown>;
  const keys = Object.keys(obj)
    .filter((k) => obj[k] !== undefined)
    .sort();
  return `{${keys.map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`).join(',')}}`;
}

export function sha256(text: string): string {
  return createHash('sha256').update(text, 'utf8').digest('hex');
}

/** The content hash of a table version or a fixture set: lowercase hex sha-256 of the canonical JSON. */
export function contentHash(value: unknown): string {
  return sha256(canonicalJson(value));
}
