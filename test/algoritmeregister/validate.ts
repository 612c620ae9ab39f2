// Checks an exported entry against the vendored field list of the publication standard
// (server/algoritmeregister/fields-v1_0.json), read here as plain data so the check does not share the exporter's code:
// every field of the standard present (but the two the register assigns), none other, each of its type, within its
// length and value list, and every required field either filled or named in teVoltooien.
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

interface ItemSpec { type: string; maxLength?: number; required: boolean; format?: string }
interface FieldSpec extends ItemSpec { name: string; values?: string[]; items?: Record<string, ItemSpec>; assignedByRegister?: boolean }

export const FIELD_LIST = JSON.parse(readFileSync(fileURLToPath(new URL('../../server/algoritmeregister/fields-v1_0.json', import.meta.url)), 'utf8')) as {
  version: string;
  fields: FieldSpec[];
};

const FORMATS: Record<string, RegExp> = {
  'yyyy-mm': /^\d{4}-(0[1-9]|1[0-2])$/,
  url: /^https:\/\/\S+$/,
  'email-or-url': /^([^\s@]+@[^\s@]+\.[^\s@]+|https:\/\/\S+)$/,
};

function stringProblems(where: string, v: unknown, spec: ItemSpec): string[] {
  if (typeof v !== 'string') return [`${where}: must be a string, is ${JSON.stringify(v)}`];
  const out: string[] = [];
  if (v.trim() === '') out.push(`${where}: is an empty string (leave it null instead)`);
  if (spec.maxLength !== undefined && v.length > spec.maxLength) out.push(`${where}: ${v.length} characters, at most ${spec.maxLength}`);
  if (spec.format && !FORMATS[spec.format]!.test(v)) out.push(`${where}: '${v}' is not of the form ${spec.format}`);
  return out;
}

function isEmpty(v: unknown): boolean {
  return v === null || (Array.isArray(v) && v.length === 0);
}

/** Every way `entry` (`{registratie, teVoltooien}`) breaks the standard; empty when it keeps it. */
export function standardProblems(entry: { registratie: Record<string, unknown>; teVoltooien: { veld: string }[] }): string[] {
  const problems: string[] = [];
  const reg = entry.registratie;
  const named = new Set(entry.teVoltooien.map((t) => t.veld));
  const known = new Set(FIELD_LIST.fields.map((f) => f.name));
  for (const key of Object.keys(reg)) if (!known.has(key)) problems.push(`${key}: not a field of the standard`);
  for (const name of named) if (!known.has(name)) problems.push(`teVoltooien names '${name}', not a field of the standard`);
  for (const f of FIELD_LIST.fields) {
    if (f.assignedByRegister) {
      if (f.name in reg) problems.push(`${f.name}: assigned by the register, must not be sent`);
      continue;
    }
    if (!(f.name in reg)) {
      problems.push(`${f.name}: missing`);
      continue;
    }
    const v = reg[f.name];
    if (isEmpty(v)) {
      if (f.required && !named.has(f.name)) problems.push(`${f.name}: required, empty, and not named in teVoltooien`);
      if (v === null && (f.type === 'list' || f.type === 'groups')) problems.push(`${f.name}: a list; empty is []`);
      if (Array.isArray(v) && f.type !== 'list' && f.type !== 'groups') problems.push(`${f.name}: not a list`);
      continue;
    }
    if (f.type === 'string') problems.push(...stringProblems(f.name, v, f));
    else if (f.type === 'choice') {
      if (!f.values!.includes(v as string)) problems.push(`${f.name}: ${JSON.stringify(v)} is not one of ${f.values!.join(' | ')}`);
    } else if (f.type === 'list') {
      if (!Array.isArray(v)) problems.push(`${f.name}: must be a list`);
      else for (const x of v) if (!f.values!.includes(x as string)) problems.push(`${f.name}: ${JSON.stringify(x)} is not one of the standard's values`);
    } else if (f.type === 'groups') {
      if (!Array.isArray(v)) {
        problems.push(`${f.name}: must be a list of objects`);
        continue;
      }
      v.forEach((item, i) => {
        const where = `${f.name}[${i}]`;
        if (!item || typeof item !== 'object' || Array.isArray(item)) return problems.push(`${where}: must be an object`);
        const obj = item as Record<string, unknown>;
        for (const k of Object.keys(obj)) if (!(k in f.items!)) problems.push(`${where}.${k}: not a field of the standard`);
        for (const [k, spec] of Object.entries(f.items!)) {
          if (obj[k] === undefined || obj[k] === null) {
            if (spec.required) problems.push(`${where}.${k}: required`);
          } else problems.push(...stringProblems(`${where}.${k}`, obj[k], spec));
        }
      });
    }
  }
  return problems;
}
