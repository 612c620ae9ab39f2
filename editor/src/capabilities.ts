// Which endpoints this server offers, read from its own OpenAPI document (GET /api/v1/openapi.json). The editor asks
// before calling a feature the server may not have yet (login, fixtures, approval, impact, statistics) and then
// says "not available on this server" instead of firing requests that can only fail.
let paths: Record<string, Record<string, unknown>> | null = null;
let loaded: Promise<void> | null = null;

export function loadCapabilities(): Promise<void> {
  loaded ??= fetch('/api/v1/openapi.json', { headers: { Accept: 'application/json' }, credentials: 'same-origin' })
    .then(async (res) => {
      if (!res.ok) return;
      type Item = Record<string, unknown> & { servers?: { url: string }[] };
      const doc = (await res.json()) as { servers?: { url: string }[]; paths?: Record<string, Item> };
      if (!doc.paths) return;
      // Paths are relative to their server (/api/v1 for the API, / for GET /metrics): the editor asks by full path.
      const base = (servers: { url: string }[] | undefined) => (servers?.[0]?.url ?? '').replace(/\/$/, '');
      paths = Object.fromEntries(Object.entries(doc.paths).map(([path, item]) => [`${base(item.servers ?? doc.servers)}${path}`, item]));
    })
    .catch(() => undefined);
  return loaded;
}

/** True when the OpenAPI document lists `method path` (or when there is no document to ask). */
export function supports(method: string, path: string): boolean {
  if (!paths) return true;
  return Boolean(paths[path]?.[method.toLowerCase()]);
}
