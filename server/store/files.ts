// The files form of the store (docs/architecture.md): rules/<a>/<b>/v<N>.json (one immutable file per published version)
// and fixtures/<a>/<b>.json. `importFiles` loads them (idempotent: an identical version is skipped, a changed
// published version is refused); `exportFiles` writes new versions and changed fixtures back.
//
// Publication facts that are not part of the table JSON (publishedAt, author, approvedBy, note) live beside the
// versions in rules/<a>/<b>/published.json: { "<N>": { publishedAt, author, approvedBy, note } }. The table format
// (rules/schema) allows no extra fields, and the hash covers the table JSON only. Without that file a version is
// taken to have been published at the start of its validFrom day by "import": the policy was known when it took effect.
//
// Imports cannot rewrite history: only the first load of an empty database (no version yet) keeps the files'
// recorded publication times. Into a database that already holds versions, a version is published at the moment of the
// import (never before the table's newest publication), so what `asOf` answers for any earlier moment stays as it was,
// whatever a hand-edited published.json says. Every imported version is marked with who ran the import (importedBy);
// the times the file claimed are kept in the audit entry.
//
// Archive marks (an approved "archived from DATE", server/store/archive.ts) live in rules/<a>/<b>/archives.json:
// [{ validFrom, publishedAt, requestedBy, approvedBy, note }]. Without it a database loaded from the files would
// answer cases after the archive date again. An import adds the marks the store lacks (same validFrom, requestedBy and
// approvedBy: the same mark), published at their recorded time only into an empty database, as versions are.
import { existsSync, mkdirSync, readdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { validateTable } from '../engine/index.ts';
import { instantOf } from '../engine/versions.ts';
import type { DecisionTable, Problem } from '../engine/types.ts';
import { contentHash } from './canonical.ts';
import { StoreError } from './errors.ts';
import { fixtureProblems } from './fixture-validation.ts';
import { changeSummary, diffFixtures } from './fixtures.ts';
import type { FixtureSet } from './records.ts';
import type { Store } from './store.ts';


/**
 * When a version read from files was published: its published.json time, or else the start of its validFrom day. A
 * date alone is that day in Amsterdam (the engine's rule, server/engine/versions.ts), not midnight UTC.
 */
function publishedInstant(publishedAt: unknown, validFrom: string): string {
  for (const text of [publishedAt, validFrom]) {
    if (typeof text !== 'string') continue;
    try {
      return new Date(instantOf(text, 'start')).toISOString();
    } catch {
      /* not a date or timestamp: try the next */
    }
  }
  return `${validFrom}T00:00:00.000Z`;
}
export const PUBLISHED_FILE = 'published.json';
export const ARCHIVES_FILE = 'archives.json';
const VERSION_FILE = /^v([1-9][0-9]*)\.json$/;
const SEGMENT = /^[a-z0-9-]+$/;

export interface Publication {
  publishedAt?: string;
  author?: string;
  approvedBy?: string | null;
  note?: string | null;
}

export interface FileProblem {
  file: string;
  message: string;
  details?: Problem[];
}

export interface ImportReport {
  imported: { file: string; tableId: string; version: number }[];
  skipped: { file: string; tableId: string; version: number }[];
  fixturesImported: { file: string; tableId: string }[];
  fixturesSkipped: { file: string; tableId: string }[];
  /** Archive marks added from archives.json files. */
  archivesImported: { file: string; tableId: string; validFrom: string }[];
  /** Files left out (only with `skipInvalid`; otherwise any problem refuses the whole import). */
  problems: FileProblem[];
}

export interface ImportOptions {
  /**
   * Load what is valid and report the rest, instead of refusing everything. Used for the first load of an empty
   * database, so one broken file does not leave the server without any policy. `beslis import` is all or nothing.
   */
  skipInvalid?: boolean;
}

export interface ExportReport {
  written: string[];
  unchanged: number;
}

interface FileVersion {
  file: string;
  tableId: string;
  version: number;
  table: DecisionTable;
  hash: string;
  publication: Publication;
}

/** An archive mark as archives.json holds it. */
interface FileArchiveMark {
  validFrom: string;
  publishedAt: string;
  requestedBy: string;
  approvedBy: string;
  note: string;
}

interface FileArchives {
  file: string;
  tableId: string;
  marks: FileArchiveMark[];
}

const DATE = /^\d{4}-\d{2}-\d{2}$/;

/** The marks of an archives.json, or the problem with it. */
function archiveMarks(json: unknown): FileArchiveMark[] | string {
  if (!Array.isArray(json)) return 'must be a list of archive marks [{validFrom, publishedAt, requestedBy, approvedBy, note}]';
  const marks: FileArchiveMark[] = [];
  for (const [i, m] of json.entries()) {
    const o = m as Record<string, unknown> | null;
    if (typeof o !== 'object' || o === null || Array.isArray(o)) return `[${i}] must be an object`;
    if (typeof o.validFrom !== 'string' || !DATE.test(o.validFrom)) return `[${i}].validFrom must be a date yyyy-mm-dd`;
    if (typeof o.publishedAt !== 'string' || Number.isNaN(Date.parse(o.publishedAt))) return `[${i}].publishedAt must be a timestamp`;
    for (const k of ['requestedBy', 'approvedBy', 'note'] as const) if (typeof o[k] !== 'string' || o[k] === '') return `[${i}].${k} must be a non-empty string`;
    marks.push({ validFrom: o.validFrom, publishedAt: o.publishedAt, requestedBy: o.requestedBy as string, approvedBy: o.approvedBy as string, note: o.note as string });
  }
  return marks;
}

interface FileFixtures {
  file: string;
  tableId: string;
  fixtures: FixtureSet;
  hash: string;
}

function readJson(file: string, shown: string, problems: FileProblem[]): unknown {
  try {
    return JSON.parse(readFileSync(file, 'utf8'));
  } catch (err) {
    problems.push({ file: shown, message: `is not valid JSON: ${(err as Error).message}` });
    return undefined;
  }
}

/** Reads and checks every version file under `rulesDir` and fixture file under `fixturesDir`. */
export function readPolicyFiles(root: string): { versions: FileVersion[]; fixtures: FileFixtures[]; archives: FileArchives[]; problems: FileProblem[] } {
  const rulesDir = join(root, 'rules');
  const fixturesDir = join(root, 'fixtures');
  const problems: FileProblem[] = [];
  const versions: FileVersion[] = [];
  const fixtures: FileFixtures[] = [];
  const archives: FileArchives[] = [];
  const shown = (f: string) => relative(root, f).split(sep).join('/');

  const walkRules = (dir: string, segments: string[]) => {
    const entries = readdirSync(dir, { withFileTypes: true });
    const versionFiles = entries.filter((e) => e.isFile() && VERSION_FILE.test(e.name));
    if (versionFiles.length > 0) {
      const tableId = segments.join('.');
      let published: Record<string, Publication> = {};
      const pubFile = join(dir, PUBLISHED_FILE);
      if (existsSync(pubFile)) {
        const p = readJson(pubFile, shown(pubFile), problems);
        if (p && typeof p === 'object' && !Array.isArray(p)) published = p as Record<string, Publication>;
        else if (p !== undefined) problems.push({ file: shown(pubFile), message: 'must be an object keyed by version number' });
      }
      const archFile = join(dir, ARCHIVES_FILE);
      if (existsSync(archFile)) {
        const json = readJson(archFile, shown(archFile), problems);
        const marks = json === undefined ? null : archiveMarks(json);
        if (typeof marks === 'string') problems.push({ file: shown(archFile), message: marks });
        else if (marks) archives.push({ file: shown(archFile), tableId, marks });
      }
      for (const e of versionFiles.sort((a, b) => Number(VERSION_FILE.exec(a.name)![1]) - Number(VERSION_FILE.exec(b.name)![1]))) {
        const file = join(dir, e.name);
        const version = Number(VERSION_FILE.exec(e.name)![1]);
        const json = readJson(file, shown(file), problems);
        if (json === undefined) continue;
        const table = json as DecisionTable;
        const own: Problem[] = [];
        if (!segments.every((s) => SEGMENT.test(s))) {
          own.push({ path: '', message: `the folder ${shown(dir)} is not a table id (lowercase a-z, 0-9, - per folder)` });
        }
        if (typeof table !== 'object' || table === null || Array.isArray(table)) {
          problems.push({ file: shown(file), message: 'must hold one decision table object' });
          continue;
        }
        if (table.id !== tableId) own.push({ path: '/id', message: `must be '${tableId}' (the folder holds that table), found ${JSON.stringify(table.id)}` });
        if (table.version !== version) own.push({ path: '/version', message: `must be ${version} (the file name), found ${JSON.stringify(table.version)}` });
        if (typeof table.validFrom !== 'string') own.push({ path: '/validFrom', message: 'a published version needs validFrom (yyyy-mm-dd)' });
        own.push(...validateTable(table));
        if (own.length > 0) {
          problems.push({ file: shown(file), message: `is not a valid published table (${own.length} problem${own.length === 1 ? '' : 's'})`, details: own });
          continue;
        }
        versions.push({ file: shown(file), tableId, version, table, hash: contentHash(table), publication: published[String(version)] ?? {} });
      }
    }
    for (const sub of entries.filter((e) => e.isDirectory()).map((e) => e.name).sort()) {
      if (segments.length === 0 && sub === 'schema') continue;
      walkRules(join(dir, sub), [...segments, sub]);
    }
  };
  if (existsSync(rulesDir)) walkRules(rulesDir, []);

  const walkFixtures = (dir: string, segments: string[]) => {
    for (const e of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
      if (e.isDirectory()) {
        if (segments.length === 0 && e.name === 'schema') continue;
        walkFixtures(join(dir, e.name), [...segments, e.name]);
        continue;
      }
      if (!e.isFile() || !e.name.endsWith('.json')) continue;
      const file = join(dir, e.name);
      const tableId = [...segments, e.name.slice(0, -'.json'.length)].join('.');
      const json = readJson(file, shown(file), problems);
      if (json === undefined) continue;
      const f = json as FixtureSet;
      if (typeof f !== 'object' || f === null || Array.isArray(f)) {
        problems.push({ file: shown(file), message: 'must hold one fixture object {table, cases}' });
        continue;
      }
      // The JSON Schema (fixtures/schema/fixture-suite.schema.json), the table id of the file name, unique case names.
      const own: Problem[] = fixtureProblems(f, tableId);
      if (own.length > 0) {
        problems.push({ file: shown(file), message: 'is not a valid fixture file', details: own });
        continue;
      }
      fixtures.push({ file: shown(file), tableId, fixtures: f, hash: contentHash(f) });
    }
  };
  if (existsSync(fixturesDir)) walkFixtures(fixturesDir, []);
  return { versions, fixtures, archives, problems };
}

function problemsError(code: 'IMPORT_CONFLICT' | 'INVALID_FILE' | 'EXPORT_CONFLICT', problems: FileProblem[]): StoreError {
  const first = problems[0]!;
  const message =
    problems.length === 1 ? `${first.file} ${first.message}` : `${problems.length} files refused, nothing was changed; first: ${first.file} ${first.message}`;
  return new StoreError(
    code,
    message,
    problems.flatMap((p) => (p.details?.length ? p.details.map((d) => ({ path: `${p.file}#${d.path}`, message: d.message })) : [{ path: p.file, message: p.message }])),
  );
}

/**
 * Loads the files under `root` (rules/ and fixtures/) into the store, all or nothing, in one transaction.
 * A version already stored with the same hash is skipped; with another hash the import is refused (a published
 * version never changes: publish a new version instead). Fixture sets replace the stored set when they differ.
 */
export async function importFiles(store: Store, root: string, actor = 'import', opts: ImportOptions = {}): Promise<ImportReport> {
  const read = readPolicyFiles(root);
  const problems = read.problems;
  let versions = read.versions;
  let fixtures = read.fixtures;
  const report: ImportReport = { imported: [], skipped: [], fixturesImported: [], fixturesSkipped: [], archivesImported: [], problems: [] };
  const conflicting = new Set<FileVersion>();
  for (const v of versions) {
    const stored = store.listVersions(v.tableId).find((s) => s.version === v.version);
    if (!stored) continue;
    if (stored.hash === v.hash) continue;
    conflicting.add(v);
    problems.push({
      file: v.file,
      message: `differs from the published version ${v.version} of ${v.tableId} in the store (hash ${v.hash.slice(0, 12)}… ≠ ${stored.hash.slice(0, 12)}…); a published version never changes: put the change in a new version file`,
    });
  }
  const known = new Set([...store.tableIds(), ...versions.filter((v) => !conflicting.has(v)).map((v) => v.tableId)]);
  const orphans = new Set<FileFixtures>();
  for (const f of fixtures) {
    if (known.has(f.tableId)) continue;
    orphans.add(f);
    problems.push({ file: f.file, message: `belongs to table '${f.tableId}', which has no version in the store or in rules/` });
  }
  if (opts.skipInvalid) {
    versions = versions.filter((v) => !conflicting.has(v));
    fixtures = fixtures.filter((f) => !orphans.has(f));
    report.problems = problems;
  } else if (problems.length > 0) {
    throw problemsError(problems.some((p) => p.message.startsWith('differs')) ? 'IMPORT_CONFLICT' : 'INVALID_FILE', problems);
  }
  await store.transaction(async () => {
    // Decided inside the write lock: another process may have published meanwhile.
    const keepHistory = !(await store.hasVersions());
    const now = store.now();
    for (const v of versions) {
      const stored = store.listVersions(v.tableId).find((s) => s.version === v.version);
      if (stored) {
        report.skipped.push({ file: v.file, tableId: v.tableId, version: v.version });
        continue;
      }
      const p = v.publication;
      const recorded = publishedInstant(p.publishedAt, v.table.validFrom!);
      const newest = store.listVersions(v.tableId).at(-1)?.publishedAt ?? '';
      await store.insertVersion(
        {
          tableId: v.tableId,
          table: v.table,
          version: v.version,
          validFrom: v.table.validFrom!,
          publishedAt: keepHistory ? recorded : newest > now ? newest : now,
          importedBy: actor,
          claimedPublishedAt: recorded,
          author: typeof p.author === 'string' ? p.author : actor,
          approvedBy: typeof p.approvedBy === 'string' ? p.approvedBy : null,
          note: typeof p.note === 'string' ? p.note : `imported from ${v.file}`,
        },
        actor,
        'version.imported',
      );
      report.imported.push({ file: v.file, tableId: v.tableId, version: v.version });
    }
    for (const a of read.archives) {
      if (store.listVersions(a.tableId).length === 0) continue; // its versions were left out (skipInvalid)
      for (const m of a.marks) {
        const known = store.listArchives(a.tableId).some((x) => x.validFrom === m.validFrom && x.requestedBy === m.requestedBy && x.approvedBy === m.approvedBy);
        if (known) continue;
        const recorded = new Date(Date.parse(m.publishedAt)).toISOString();
        const mark = (await store.insertArchive({ tableId: a.tableId, validFrom: m.validFrom, requestedBy: m.requestedBy, approvedBy: m.approvedBy, note: m.note, publishedAt: keepHistory ? recorded : now }));
        await store.appendAudit({ actor, action: 'archive.imported', tableId: a.tableId, version: null, detail: { validFrom: mark.validFrom, requestedBy: m.requestedBy, approvedBy: m.approvedBy, claimedPublishedAt: recorded, file: a.file } });
        report.archivesImported.push({ file: a.file, tableId: a.tableId, validFrom: m.validFrom });
      }
    }
    for (const f of fixtures) {
      const stored = await store.getFixtures(f.tableId);
      if (stored && stored.hash === f.hash) {
        report.fixturesSkipped.push({ file: f.file, tableId: f.tableId });
        continue;
      }
      const before = (await store.getFixtures(f.tableId))?.fixtures ?? null;
      await store.putFixtures(f.tableId, f.fixtures, actor, undefined, 'fixtures.imported', { route: 'beslis import', reason: `imported from ${f.file}`, ...changeSummary(diffFixtures(before, f.fixtures)) });
      report.fixturesImported.push({ file: f.file, tableId: f.tableId });
    }
  });
  return report;
}

/** The content hash of a JSON file, or null when it is missing or not JSON. */
function fileHash(file: string): string | null {
  if (!existsSync(file)) return null;
  try {
    return contentHash(JSON.parse(readFileSync(file, 'utf8')));
  } catch {
    return null;
  }
}

function writeAtomically(file: string, text: string): void {
  mkdirSync(join(file, '..'), { recursive: true });
  const tmp = `${file}.${process.pid}.tmp`;
  writeFileSync(tmp, text);
  renameSync(tmp, file);
}

export function tableDir(root: string, tableId: string): string {
  return join(root, 'rules', ...tableId.split('.'));
}

export function fixtureFile(root: string, tableId: string): string {
  const segs = tableId.split('.');
  return join(root, 'fixtures', ...segs.slice(0, -1), `${segs[segs.length - 1]}.json`);
}

/**
 * Writes the store back to files: every version file that does not exist yet, the publication facts, and every
 * fixture set that differs from its file. An existing version file with other content is never overwritten: the
 * export is refused (nothing written) and the message names the file.
 */
export async function exportFiles(store: Store, root: string): Promise<ExportReport> {
  const problems: FileProblem[] = [];
  const writes: { file: string; text: string }[] = [];
  let unchanged = 0;
  const shown = (f: string) => relative(root, f).split(sep).join('/');
  for (const tableId of store.tableIds()) {
    const dir = tableDir(root, tableId);
    const metas = store.listVersions(tableId);
    if (metas.length > 0) {
      const pubFile = join(dir, PUBLISHED_FILE);
      let published: Record<string, Publication> = {};
      if (existsSync(pubFile)) {
        try {
          published = JSON.parse(readFileSync(pubFile, 'utf8')) as Record<string, Publication>;
        } catch {
          published = {};
        }
      }
      const nextPublished: Record<string, Publication> = { ...published };
      for (const meta of metas) {
        const file = join(dir, `v${meta.version}.json`);
        nextPublished[String(meta.version)] = { publishedAt: meta.publishedAt, author: meta.author, approvedBy: meta.approvedBy, note: meta.note };
        if (existsSync(file)) {
          if (fileHash(file) === meta.hash) {
            unchanged++;
            continue;
          }
          problems.push({ file: shown(file), message: `exists with other content than version ${meta.version} of ${tableId} in the store; it is not overwritten` });
          continue;
        }
        const record = store.getVersion(tableId, meta.version)!;
        writes.push({ file, text: `${JSON.stringify(record.table, null, 2)}\n` });
      }
      if (contentHash(nextPublished) !== contentHash(published)) writes.push({ file: pubFile, text: `${JSON.stringify(nextPublished, null, 2)}\n` });
      // The archive marks beside the versions: a database loaded from these files ends the table where this one does.
      const marks = store.listArchives(tableId).map(({ validFrom, publishedAt, requestedBy, approvedBy, note }) => ({ validFrom, publishedAt, requestedBy, approvedBy, note }));
      const archFile = join(dir, ARCHIVES_FILE);
      if (marks.length > 0 && fileHash(archFile) !== contentHash(marks)) writes.push({ file: archFile, text: `${JSON.stringify(marks, null, 2)}\n` });
    }
    const fx = await store.getFixtures(tableId);
    if (fx) {
      const file = fixtureFile(root, tableId);
      if (fileHash(file) === fx.hash) unchanged++;
      else writes.push({ file, text: `${JSON.stringify(fx.fixtures, null, 2)}\n` });
    }
  }
  if (problems.length > 0) throw problemsError('EXPORT_CONFLICT', problems);
  for (const w of writes) writeAtomically(w.file, w.text);
  return { written: writes.map((w) => shown(w.file)), unchanged };
}

/** True when `root` has a rules/ or fixtures/ folder to load. */
export function hasPolicyFiles(root: string): boolean {
  return [join(root, 'rules'), join(root, 'fixtures')].some((d) => existsSync(d) && statSync(d).isDirectory());
}
