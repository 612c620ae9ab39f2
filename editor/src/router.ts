// Hash routes, so that the server only has to serve index.html at `/`:
//   #/login   #/   #/t/<id>/<tab>   #/t/<id>/v/<n>   #/admin/<users|tokens|audit>
export type Route =
  | { name: 'login'; next?: string }
  | { name: 'catalogue' }
  | { name: 'table'; id: string; tab: string; version?: number }
  | { name: 'admin'; tab: AdminTab };

export type AdminTab = 'users' | 'tokens' | 'audit';

export function parseRoute(hash: string): Route {
  const path = hash.replace(/^#/, '') || '/';
  const parts = path.split('/').filter(Boolean).map(decodeURIComponent);
  if (parts[0] === 'login') return { name: 'login', next: parts[1] };
  if (parts[0] === 'admin') return { name: 'admin', tab: parts[1] === 'tokens' || parts[1] === 'audit' ? parts[1] : 'users' };
  if (parts[0] === 't' && parts[1]) {
    if (parts[2] === 'v' && parts[3] && /^\d+$/.test(parts[3])) return { name: 'table', id: parts[1], tab: parts[4] ?? 'grid', version: Number(parts[3]) };
    return { name: 'table', id: parts[1], tab: parts[2] ?? 'grid' };
  }
  return { name: 'catalogue' };
}

export function href(route: Route): string {
  switch (route.name) {
    case 'login':
      return route.next ? `#/login/${encodeURIComponent(route.next)}` : '#/login';
    case 'catalogue':
      return '#/';
    case 'admin':
      return `#/admin/${route.tab}`;
    case 'table':
      return route.version !== undefined
        ? `#/t/${encodeURIComponent(route.id)}/v/${route.version}/${route.tab}`
        : `#/t/${encodeURIComponent(route.id)}/${route.tab}`;
  }
}

export function navigate(route: Route, replace = false): void {
  const target = href(route);
  if (!replace && location.hash !== target) {
    location.hash = target; // fires hashchange
    return;
  }
  if (replace) history.replaceState(null, '', target);
  window.dispatchEvent(new HashChangeEvent('hashchange'));
}
