// The fields of the Algoritmeregister publication standard (README.md beside this file says where they come from).
import list from './fields-v1_0.json' with { type: 'json' };

export type FieldType = 'string' | 'choice' | 'list' | 'groups';

export interface ItemField {
  title: string;
  type: 'string';
  maxLength?: number;
  format?: string;
  required: boolean;
}

export interface Field {
  name: string;
  title: string;
  type: FieldType;
  required: boolean;
  maxLength?: number;
  format?: string;
  values?: string[];
  html?: boolean;
  items?: Record<string, ItemField>;
  assignedByRegister?: boolean;
}

export interface FieldList {
  standard: string;
  version: string;
  source: string;
  fields: Field[];
}

export const STANDARD = list as FieldList;

const BY_NAME = new Map(STANDARD.fields.map((f) => [f.name, f]));

export function field(name: string): Field {
  const f = BY_NAME.get(name);
  if (!f) throw new Error(`the publication standard has no field '${name}'`);
  return f;
}
