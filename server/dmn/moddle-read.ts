// Typed reads of dmn-moddle elements, whose properties are all `unknown` to TypeScript.
import type { ModdleElement } from 'dmn-moddle';

export function str(v: unknown): string | undefined {
  return typeof v === 'string' ? v : undefined;
}

export function many(v: unknown): ModdleElement[] {
  return Array.isArray(v) ? (v as ModdleElement[]) : [];
}

export function textOf(v: unknown): string | undefined {
  const t = (v as ModdleElement | undefined)?.text;
  return typeof t === 'string' ? t : undefined;
}

/** `#id` → id; a reference into another model's namespace (`ns#id`) stays whole and is reported. */
export function hrefId(ref: unknown): { id: string; external: boolean } | null {
  const href = str((ref as ModdleElement | undefined)?.href);
  if (!href) return null;
  const at = href.indexOf('#');
  if (at < 0) return { id: href, external: false };
  return { id: href.slice(at + 1), external: at > 0 };
}
