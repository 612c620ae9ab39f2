// Which endpoints this server offers, read from its own OpenAPI document (GET /api/openapi.json). The editor asks
// before calling a feature the server may not have yet (login, fixtures, approval, impact, statistics) and then
// says "not available on this server" instead of firing requests that can only fail.
let paths: Record<string, Record<string, unknown>> | null = null;
let loaded: Promise<void> | null = null;

export function loadCapabilities(): Promise<void> {
  loaded ??= fetch('/api/openapi.json', { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
    .then(async (res) => {
      if (!res.ok) return;
      const doc = (await res.json()) as { paths?: Record<string, Record<string, unknown>> };
      paths = doc.paths ?? null;
    })
    .catch(() => undefined);
  return loaded;
}

/** True when the OpenAPI document lists `method path` (or when there is no document to ask). */
export function supports(method: string, path: string): boolean {
  if (!paths) return true;
  return Boolean(paths[path]?.[method.toLowerCase()]);
}
