// Writes rules/README.md, the policy register (beleidsregister): one Markdown table per domain listing every decision
// table with what it decides, owner, source, confidence, review date and versions. Run: npm run catalogue.
// A test (test/policy/catalogue.test.ts) fails when the committed file differs from what this script generates.
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { DecisionTable, HitPolicy } from '../server/engine/types.ts';

/** Domains in the order of the BVTH-beleidsplan (issue 6); others follow alphabetically. */
const DOMAINS: [string, string][] = [
  ['handhaving', 'Handhaving (Landelijke Handhavingsstrategie)'],
  ['drank-horeca', 'Drank en horeca (Alcoholwet)'],
  ['evenementen', 'Evenementen'],
  ['campings', 'Wonen op campings'],
  ['gedogen', 'Gedogen'],
  ['vergunningen', 'Vergunningen'],
  ['ruimtelijke-plannen', 'Ruimtelijke plannen'],
  ['toezicht', 'Toezicht'],
  ['toetsprotocol', 'Toetsprotocol (LTB)'],
  ['toezichtsprotocol', 'Toezichtsprotocol (iTP)'],
  ['brandveiligheid', 'Brandveiligheid'],
  ['onderzoek', 'Onderzoeksprotocol'],
  ['preventie', 'Preventie'],
];

const HIT_POLICY_NL: Record<HitPolicy, string> = {
  UNIQUE: 'uniek',
  FIRST: 'eerste',
  PRIORITY: 'prioriteit',
  ANY: 'willekeurig',
  COLLECT: 'verzamelen',
  'RULE ORDER': 'regelvolgorde',
  'OUTPUT ORDER': 'uitkomstvolgorde',
};
const AGGREGATION_NL: Record<string, string> = { SUM: 'som', MIN: 'minimum', MAX: 'maximum', COUNT: 'aantal' };
const CONFIDENCE_NL: Record<string, string> = { H: 'H (vastgesteld)', M: 'M (aannemelijk)', L: 'L (illustratief)' };

function walk(dir: string): string[] {
  return readdirSync(dir)
    .sort()
    .flatMap((name) => {
      const p = join(dir, name);
      return statSync(p).isDirectory() ? walk(p) : [p];
    });
}

/** `2024-01-01` → `01-01-2024` (dates on screen as dd-mm-jjjj, as the editor shows them). */
function nlDate(iso: string | undefined): string {
  const m = /^(\d{4})-(\d{2})-(\d{2})$/.exec(iso ?? '');
  return m ? `${m[3]}-${m[2]}-${m[1]}` : '—';
}

function cell(text: string): string {
  return text.replace(/\s+/g, ' ').replace(/\|/g, '\\|').trim() || '—';
}

/** Every version file under rules/<a>/<b>/v<N>.json, grouped by table id and ordered by version. */
export function readTables(root: string): Map<string, DecisionTable[]> {
  const byId = new Map<string, DecisionTable[]>();
  for (const file of walk(join(root, 'rules'))) {
    if (!/\/v\d+\.json$/.test(file.split('\\').join('/'))) continue;
    const table = JSON.parse(readFileSync(file, 'utf8')) as DecisionTable;
    const list = byId.get(table.id) ?? [];
    list.push(table);
    byId.set(table.id, list);
  }
  for (const list of byId.values()) list.sort((a, b) => (a.version ?? 0) - (b.version ?? 0));
  return byId;
}

function decides(t: DecisionTable): string {
  const outs = t.outputs.map((o) => `${o.label ?? o.name} (\`${o.name}\`)`).join(', ');
  const ins = t.inputs.map((i) => `\`${i.name}\``).join(', ');
  const chain = t.requires?.length ? `; gebruikt ${t.requires.map((r) => `\`${r}\``).join(', ')}` : '';
  return `${outs} uit ${ins}${chain}`;
}

function hitPolicy(t: DecisionTable): string {
  const p = t.hitPolicy ?? 'UNIQUE';
  const agg = t.aggregation ? `, ${AGGREGATION_NL[t.aggregation] ?? t.aggregation}` : '';
  return `${HIT_POLICY_NL[p]}${agg}`;
}

/** The full text of rules/README.md for the tables under `root`. Deterministic: no clock, sorted input. */
export function renderCatalogue(root: string): string {
  const byId = readTables(root);
  const domains = new Map<string, string[]>();
  for (const id of [...byId.keys()].sort()) {
    const domain = id.split('.')[0]!;
    domains.set(domain, [...(domains.get(domain) ?? []), id]);
  }
  const known = DOMAINS.map(([d]) => d);
  const order = [...known.filter((d) => domains.has(d)), ...[...domains.keys()].filter((d) => !known.includes(d)).sort()];
  const newest = [...byId.values()].map((vs) => vs[vs.length - 1]!);
  const low = newest.filter((t) => t.meta?.confidence === 'L').length;

  const out: string[] = [
    '# Beleidsregister: overzicht beslistabellen',
    '',
    '<!-- Gegenereerd door `npm run catalogue` (scripts/catalogue.ts) uit de tabellen in rules/. Niet met de hand bewerken. -->',
    '',
    'Elke beslistabel van het BVTH-beleid van Enschede, per domein: wat de tabel beslist, wie de eigenaar is, waar de regels vandaan komen,',
    'hoe zeker de waarden zijn en wanneer de tabel uiterlijk wordt herzien. Eigenaar, bron, zekerheid en herziendatum komen uit de nieuwste versie.',
    '',
    'Zekerheid: **H** vastgesteld (primaire of officiële bron), **M** aannemelijk (deels bevestigd of gangbare praktijk),',
    '**L** illustratief (een typische waarde, nog geen vastgesteld beleid van Enschede: vervangen vóór gebruik in besluiten).',
    '',
    `${byId.size} beslistabellen in ${order.length} domeinen; ${low} met zekerheid L.`,
    '',
  ];
  for (const domain of order) {
    const title = DOMAINS.find(([d]) => d === domain)?.[1] ?? domain;
    out.push(`## ${title}`, '');
    out.push('| Beslistabel | Titel | Beslist | Beslisregel | Regels | Eigenaar | Bron | Zekerheid | Herzien vóór | Versies |');
    out.push('|---|---|---|---|---|---|---|---|---|---|');
    for (const id of domains.get(domain)!) {
      const versions = byId.get(id)!;
      const t = versions[versions.length - 1]!;
      const meta = t.meta ?? {};
      const versionText = versions.map((v) => `v${v.version ?? '?'} vanaf ${nlDate(v.validFrom)}`).join('; ');
      out.push(
        `| \`${id}\` | ${cell(t.title)} | ${cell(decides(t))} | ${cell(hitPolicy(t))} | ${t.rules.length} | ${cell(meta.owner ?? '')} | ` +
          `${cell(meta.source ?? '')} | ${cell(CONFIDENCE_NL[meta.confidence ?? ''] ?? '')} | ${nlDate(meta.reviewBy)} | ${cell(versionText)} |`,
      );
    }
    out.push('');
  }
  return out.join('\n');
}

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  const text = renderCatalogue(ROOT);
  writeFileSync(join(ROOT, 'rules', 'README.md'), text);
  console.log(`rules/README.md: ${readTables(ROOT).size} beslistabellen`);
}
