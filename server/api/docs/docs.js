// Renders /api/v1/openapi.json as a reference page. Plain DOM, no dependencies, nothing from a CDN.
/* global document, fetch, Node, location */
const el = (tag, attrs = {}, ...children) => {
  const e = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) e.setAttribute(k, v);
  for (const c of children) e.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return e;
};
const METHODS = ['get', 'put', 'post', 'delete', 'patch'];
const pretty = (v) => el('pre', {}, JSON.stringify(v, null, 2));
const refLink = (schema) => {
  if (schema && schema.$ref) {
    const name = schema.$ref.split('/').pop();
    return el('a', { href: `#schema-${name}` }, name);
  }
  return pretty(schema);
};

async function main() {
  const res = await fetch('/api/v1/openapi.json');
  const doc = await res.json();
  document.title = `${doc.info.title} ${doc.info.version}`;
  const info = document.getElementById('info');
  info.replaceChildren(`${doc.info.version} · OpenAPI ${doc.openapi} · `, el('a', { href: '/api/v1/openapi.json' }, 'openapi.json'), el('p', {}, doc.info.description ?? ''));
  const ops = document.getElementById('ops');
  const toc = document.getElementById('toc');
  const byTag = new Map();
  const base = (servers) => (servers?.[0]?.url ?? '').replace(/\/$/, '');
  for (const [relative, item] of Object.entries(doc.paths)) {
    // Paths are relative to their server (/api/v1; GET /metrics names its own): the page shows the full address.
    const path = `${base(item.servers ?? doc.servers)}${relative}`;
    for (const [method, op] of Object.entries(item)) {
      if (!METHODS.includes(method)) continue;
      const tag = op.tags?.[0] ?? 'other';
      if (!byTag.has(tag)) byTag.set(tag, []);
      byTag.get(tag).push({ path, method, op });
    }
  }
  for (const [tag, list] of byTag) {
    toc.append(el('a', { href: `#tag-${tag}` }, tag));
    ops.append(el('h2', { id: `tag-${tag}` }, tag));
    for (const { path, method, op } of list) {
      const body = el('div', { class: 'body' });
      if (op.description) body.append(el('p', {}, op.description));
      if (op.parameters?.length) {
        const t = el('table', {}, el('tr', {}, el('th', {}, 'parameter'), el('th', {}, 'in'), el('th', {}, 'schema')));
        for (const p of op.parameters) t.append(el('tr', {}, el('td', {}, el('code', {}, p.name + (p.required ? ' *' : ''))), el('td', {}, p.in), el('td', {}, el('code', {}, JSON.stringify(p.schema)))));
        body.append(el('h4', {}, 'Parameters'), t);
      }
      const reqSchema = op.requestBody?.content?.['application/json']?.schema;
      if (reqSchema) body.append(el('h4', {}, 'Request body'), refLink(reqSchema));
      const t = el('table');
      for (const [status, r] of Object.entries(op.responses ?? {})) {
        const s = r.content?.['application/json']?.schema;
        t.append(el('tr', {}, el('td', { class: 'status' }, status), el('td', {}, r.description ?? ''), el('td', {}, s ? refLink(s) : '')));
      }
      body.append(el('h4', {}, 'Responses'), t);
      ops.append(el('details', { class: 'op', id: `${method}-${path}` }, el('summary', {}, el('span', { class: `method ${method}` }, method), el('code', {}, path), el('span', {}, op.summary ?? '')), body));
    }
  }
  // The `type` of every problem details answer points here: one entry per code.
  const problems = document.getElementById('problems');
  problems.append(el('h2', { id: 'problems-title' }, 'Problem types'));
  const pt = el('table', {}, el('tr', {}, el('th', {}, 'code'), el('th', {}, 'status'), el('th', {}, 'title')));
  for (const [code, p] of Object.entries(doc['x-problem-types'] ?? {})) {
    pt.append(el('tr', { id: p.type.split('#')[1] }, el('td', {}, el('code', {}, code)), el('td', {}, String(p.status)), el('td', {}, p.title)));
  }
  problems.append(pt);
  const schemas = document.getElementById('schemas');
  schemas.append(el('h2', { id: 'schemas-title' }, 'Schemas'));
  for (const [name, schema] of Object.entries(doc.components?.schemas ?? {})) {
    schemas.append(el('details', { class: 'op', id: `schema-${name}` }, el('summary', {}, el('code', {}, name)), el('div', { class: 'body' }, pretty(schema))));
  }
  if (location.hash) {
    const target = document.getElementById(decodeURIComponent(location.hash.slice(1)));
    target?.setAttribute('open', '');
    target?.scrollIntoView();
  }
}

main().catch((err) => {
  document.getElementById('info').textContent = `Could not load the API document: ${err}`;
});

document.addEventListener('click', (e) => {
  const a = e.target.closest?.('a[href^="#schema-"]');
  if (a) document.getElementById(a.getAttribute('href').slice(1))?.setAttribute('open', '');
});
