// The soak (issue 9): `beslis serve` as a child process under minutes of mixed load — single evaluations at a
// steady rate, a batch every few seconds, a draft saved every second by a logged-in editor — with the server's
// memory (resident set of its process tree) and the latencies sampled every few seconds. It ends with whether
// memory grows. Not part of `npm test`: it runs for minutes.
// Run: npm run soak [-- --minutes 5] [--rate 500] [--write]
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { CASES, TABLE } from './cases.ts';
import { ADMIN_PASSWORD, beslisServe, prepareDatabase, rssBytes, stop, type Child } from './children.ts';
import { loadLine, machineLine, median, percentile } from './measure.ts';
import { writeFigures } from './readme.ts';
import { steadyLoad } from './steady.ts';

const { values } = parseArgs({
  options: {
    minutes: { type: 'string', default: '5' },
    rate: { type: 'string', default: '500' },
    sample: { type: 'string', default: '5' },
    write: { type: 'boolean', default: false },
  },
});
const MINUTES = Number(values.minutes);
const RATE = Number(values.rate);
const SAMPLE_S = Number(values.sample);
if (!(MINUTES > 0 && RATE > 0 && SAMPLE_S > 0)) throw new Error('usage: soak.ts [--minutes 5] [--rate 500] [--sample 5] [--write]');
const BATCH_CASES = 1000;
const BATCH_EVERY_MS = 3000;
const DRAFT_EVERY_MS = 1000;

const mb = (bytes: number) => bytes / 1024 / 1024;
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

interface Sample {
  at: number;
  rssMb: number;
  dbMb: number;
  evaluations: number;
  evalP50: number;
  evalP99: number;
  batchMax: number;
  draftMax: number;
  errors: number;
}

/** Logs in as the admin (an editor among other roles) and returns what a cookie-authenticated write needs. */
async function login(url: string): Promise<{ cookie: string; csrf: string }> {
  const res = await fetch(`${url}/api/v1/auth/login`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ username: 'admin', password: ADMIN_PASSWORD }) });
  if (res.status !== 200) throw new Error(`login answered ${res.status}`);
  const cookie = res.headers
    .getSetCookie()
    .map((c) => c.split(';')[0]!)
    .join('; ');
  return { cookie, csrf: ((await res.json()) as { csrfToken: string }).csrfToken };
}

/** Repeats `step` every `everyMs` until `until`, recording each step's milliseconds; counts failures. */
async function every(everyMs: number, until: number, step: () => Promise<void>, times: number[], failures: { n: number; last: string }): Promise<void> {
  while (Date.now() < until) {
    const t0 = performance.now();
    try {
      await step();
      times.push(performance.now() - t0);
    } catch (err) {
      failures.n++;
      failures.last = (err as Error).message;
    }
    await sleep(Math.max(0, everyMs - (performance.now() - t0)));
  }
}

async function main(): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'beslis-soak-'));
  const db = join(dir, 'soak.db');
  const token = await prepareDatabase(db);
  const machine = machineLine();
  const loadBefore = loadLine();
  let server: Child | undefined;
  try {
    server = await beslisServe(db, 1);
    const url = server.url;
    const pid = server.child.pid!;
    const session = await login(url);
    const evaluateHeaders = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
    const until = Date.now() + MINUTES * 60_000;
    console.log(`soak — ${machine}; ${MINUTES} min: evaluate at ${RATE}/s, a batch of ${BATCH_CASES} every ${BATCH_EVERY_MS / 1000} s, a draft save every ${DRAFT_EVERY_MS / 1000} s; sampled every ${SAMPLE_S} s`);

    // Single evaluations at a steady rate (not flat out: the soak is about holding, the benchmark about peaks).
    let windowLatencies: number[] = [];
    let evaluations = 0;
    let evalErrors = 0;
    const singles = steadyLoad({
      url,
      path: `/api/v1/evaluate/${TABLE}`,
      headers: evaluateHeaders,
      bodies: CASES.map((input) => JSON.stringify({ input })),
      rate: RATE,
      seconds: MINUTES * 60,
      connections: 16,
      onResponse: (status, ms) => {
        evaluations++;
        if (status !== 200) evalErrors++;
        windowLatencies.push(ms);
      },
    });

    // A batch every few seconds, checked for as many decisions as cases.
    const batchTimes: number[] = [];
    const batchFailures = { n: 0, last: '' };
    const batchBody = JSON.stringify({ cases: Array.from({ length: BATCH_CASES }, (_, i) => ({ input: CASES[i % CASES.length] })) });
    const batches = every(BATCH_EVERY_MS, until, async () => {
      const res = await fetch(`${url}/api/v1/evaluate/${TABLE}/batch`, { method: 'POST', headers: evaluateHeaders, body: batchBody });
      const json = (await res.json()) as { results?: unknown[] };
      if (res.status !== 200 || json.results?.length !== BATCH_CASES) throw new Error(`batch answered ${res.status}`);
    }, batchTimes, batchFailures);

    // An editor saving the draft: read it, change one rule's note, save with the revision read.
    const draftTimes: number[] = [];
    const draftFailures = { n: 0, last: '' };
    let saves = 0;
    const writeHeaders = { 'content-type': 'application/json', cookie: session.cookie, 'x-csrf-token': session.csrf };
    const drafts = every(DRAFT_EVERY_MS, until, async () => {
      const got = await fetch(`${url}/api/v1/tables/${TABLE}/draft`, { headers: { cookie: session.cookie } });
      const draft = (await got.json()) as { revision: number; table: { rules: { note?: string }[] } };
      draft.table.rules[0]!.note = `soak ${++saves}`;
      const put = await fetch(`${url}/api/v1/tables/${TABLE}/draft`, { method: 'PUT', headers: { ...writeHeaders, 'if-match': String(draft.revision) }, body: JSON.stringify({ table: draft.table }) });
      if (put.status !== 200) throw new Error(`draft save answered ${put.status}: ${await put.text()}`);
      await put.arrayBuffer();
    }, draftTimes, draftFailures);

    // Samples.
    const samples: Sample[] = [];
    const t0 = Date.now();
    let seenBatch = 0;
    let seenDraft = 0;
    let seenEvaluations = 0;
    while (Date.now() < until) {
      await sleep(Math.min(SAMPLE_S * 1000, Math.max(0, until - Date.now())));
      const lat = windowLatencies;
      windowLatencies = [];
      const dbBytes = ['', '-wal'].reduce((sum, ext) => sum + (statSync(db + ext, { throwIfNoEntry: false })?.size ?? 0), 0);
      const s: Sample = {
        at: (Date.now() - t0) / 1000,
        rssMb: mb(rssBytes(pid)),
        dbMb: mb(dbBytes),
        evaluations: evaluations - seenEvaluations,
        evalP50: percentile(lat, 50),
        evalP99: percentile(lat, 99),
        batchMax: Math.max(0, ...batchTimes.slice(seenBatch)),
        draftMax: Math.max(0, ...draftTimes.slice(seenDraft)),
        errors: evalErrors + batchFailures.n + draftFailures.n,
      };
      seenEvaluations = evaluations;
      seenBatch = batchTimes.length;
      seenDraft = draftTimes.length;
      samples.push(s);
      console.log(
        `  ${s.at.toFixed(0).padStart(4)} s  RSS ${s.rssMb.toFixed(1)} MB  db ${s.dbMb.toFixed(1)} MB  ${s.evaluations} evaluations  p50 ${s.evalP50.toFixed(1)} ms  p99 ${s.evalP99.toFixed(1)} ms  batch ≤ ${s.batchMax.toFixed(0)} ms  draft ≤ ${s.draftMax.toFixed(0)} ms  errors ${s.errors}`,
      );
    }
    const result = await singles;
    await Promise.all([batches, drafts]);
    const health = await fetch(`${url}/api/v1/health`);

    // Memory: the first minute is warm-up (code compiled, caches filled, heap sized); after it, the resident set
    // should stay level. Least-squares slope over the samples after warm-up, and the last minute against the second.
    const warm = samples.filter((s) => s.at > 60);
    const n = warm.length;
    const mx = warm.reduce((a, s) => a + s.at, 0) / n;
    const my = warm.reduce((a, s) => a + s.rssMb, 0) / n;
    const slopePerMin = (60 * warm.reduce((a, s) => a + (s.at - mx) * (s.rssMb - my), 0)) / warm.reduce((a, s) => a + (s.at - mx) ** 2, 0);
    const secondMinute = samples.filter((s) => s.at > 60 && s.at <= 120).map((s) => s.rssMb);
    const lastMinute = samples.filter((s) => s.at > samples.at(-1)!.at - 60).map((s) => s.rssMb);
    const early = median(secondMinute);
    const late = median(lastMinute);
    const grows = n >= 3 && late > early * 1.1 && slopePerMin > 1;
    const errors = evalErrors + batchFailures.n + draftFailures.n + result.errors;

    const shown = samples.filter((_, i) => i % Math.max(1, Math.round(30 / SAMPLE_S)) === Math.max(1, Math.round(30 / SAMPLE_S)) - 1 || i === samples.length - 1);
    const text = [
      `Machine: ${machine}; load average ${loadBefore} before, ${loadLine()} after. Run: ${new Date().toISOString().slice(0, 10)}, ${MINUTES} min.`,
      '',
      `Load: single evaluations at a steady ${RATE}/s (open loop, bench/steady.ts) over 16 keep-alive connections (API token), a batch of ${BATCH_CASES} cases every ${BATCH_EVERY_MS / 1000} s, and a logged-in editor reading and saving the interventiematrix's draft every ${DRAFT_EVERY_MS / 1000} s; the evaluation log on (all), one \`beslis serve\` process. Sampled every ${SAMPLE_S} s; one sample in ${Math.round(30 / SAMPLE_S)} shown.`,
      '',
      '| time | server RSS | database + WAL | evaluations in the sample | evaluate p50 | evaluate p99 | slowest batch | slowest draft save | errors so far |',
      '|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
      ...shown.map((s) => `| ${s.at.toFixed(0)} s | ${s.rssMb.toFixed(1)} MB | ${s.dbMb.toFixed(1)} MB | ${s.evaluations} | ${s.evalP50.toFixed(1)} ms | ${s.evalP99.toFixed(1)} ms | ${s.batchMax.toFixed(0)} ms | ${s.draftMax.toFixed(0)} ms | ${s.errors} |`),
      '',
      `Totals: ${evaluations.toLocaleString('en-US')} single evaluations (${result.non2xx} not 2xx, ${result.errors} connection errors), ${batchTimes.length} batches (median ${median(batchTimes).toFixed(0)} ms, ${batchFailures.n} failed), ${draftTimes.length} draft saves (median ${median(draftTimes).toFixed(0)} ms, ${draftFailures.n} failed); health afterwards ${health.status}.`,
      '',
      `Memory after the first minute: ${early.toFixed(1)} MB in the second minute, ${late.toFixed(1)} MB in the last; slope ${slopePerMin.toFixed(2)} MB/min. **${grows ? 'Memory grows' : 'Memory does not grow'}** (growth = the last minute more than 10% above the second and a slope above 1 MB/min). The database grows by design: every evaluation is logged (retention 400 days).`,
    ].join('\n');
    console.log(`\n${text}\n`);
    if (draftFailures.n > 0) console.log(`last draft failure: ${draftFailures.last}`);
    if (batchFailures.n > 0) console.log(`last batch failure: ${batchFailures.last}`);
    if (result.lastError) console.log(`last connection error: ${result.lastError}`);
    if (values.write) writeFigures('soak', text);
    if (errors > 0 || health.status !== 200) process.exitCode = 1;
  } finally {
    if (server) await stop(server);
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
