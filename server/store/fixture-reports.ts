// Fixture reports as text for people (pretty) and as JUnit XML for CI tools (Jenkins, GitLab, GitHub actions).
// The JSON reporter is the report object itself (FixtureRunReport / AllFixturesReport).
import type { AllFixturesReport, FixtureRunReport, TargetedCaseReport } from './fixtures.ts';

// ---------------------------------------------------------------------------------------------
// JUnit XML

/** Characters XML 1.0 does not allow at all (even escaped); written as \u{…} so nothing is lost silently. */
// eslint-disable-next-line no-control-regex
const NOT_XML = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

function clean(s: string): string {
  return s.replace(NOT_XML, (c) => `\\u{${c.charCodeAt(0).toString(16).padStart(4, '0')}}`);
}

/** Text content: &, < and > escaped (> too, so "]]>" never appears). */
export function xmlText(s: string): string {
  return clean(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;');
}

/** An attribute value in double quotes; tabs and line ends escaped so parsers keep them. */
export function xmlAttr(s: string): string {
  return xmlText(s).replace(/"/g, '&quot;').replace(/'/g, '&apos;').replace(/\t/g, '&#9;').replace(/\n/g, '&#10;').replace(/\r/g, '&#13;');
}

const seconds = (ms: number) => (ms / 1000).toFixed(3);
const json = (v: unknown) => (v === undefined ? 'undefined' : JSON.stringify(v));

function against(c: TargetedCaseReport): string {
  return c.ranAgainst === 'draft' ? 'draft' : c.ranAgainst !== undefined ? `version ${c.ranAgainst}` : '-';
}

function caseDetail(c: TargetedCaseReport): string {
  return [
    c.message ?? '',
    `expected: ${json(c.expected)}`,
    `actual:   ${json(c.actual)}${c.error ? ` (error ${c.error.code}: ${c.error.message})` : ''}`,
    `matched:  ${c.matched.join(', ') || '-'}`,
    `against:  ${against(c)}${c.date ? `, case date ${c.date}` : ''}${c.asOf ? `, as of ${c.asOf}` : ''}`,
  ].join('\n');
}

function coverageText(s: FixtureRunReport): string {
  return s.coverage
    .map((c) => `${c.tableId} ${c.version === undefined ? 'draft' : `v${c.version}`}: ${c.reached.length}/${c.rules.length} rules reached${c.unreached.length ? `; not reached: ${c.unreached.join(', ')}` : ''}`)
    .join('\n');
}

function suiteXml(s: FixtureRunReport): string {
  const per = s.cases.length > 0 ? s.ms / s.cases.length : 0;
  const lines = [
    `  <testsuite name="${xmlAttr(s.tableId)}" tests="${s.totals.cases}" failures="${s.totals.failed}" errors="0" skipped="0" time="${seconds(s.ms)}">`,
    '    <properties>',
    `      <property name="target" value="${xmlAttr(String(s.target))}"/>`,
    `      <property name="fixtures" value="${xmlAttr(s.source)}"/>`,
    ...s.coverage.map(
      (c) => `      <property name="unreached ${xmlAttr(c.version === undefined ? 'draft' : `v${c.version}`)}" value="${xmlAttr(c.unreached.join(' '))}"/>`,
    ),
    '    </properties>',
  ];
  for (const c of s.cases) {
    const open = `    <testcase classname="${xmlAttr(s.tableId)}" name="${xmlAttr(c.name)}" time="${seconds(per)}"`;
    if (c.pass) {
      lines.push(`${open}/>`);
      continue;
    }
    const type = c.error?.code ?? (c.mismatches ? 'MISMATCH' : 'FAILED');
    lines.push(`${open}>`, `      <failure message="${xmlAttr(c.message ?? 'failed')}" type="${xmlAttr(type)}">${xmlText(caseDetail(c))}</failure>`, '    </testcase>');
  }
  lines.push(`    <system-out>${xmlText(coverageText(s))}</system-out>`, '  </testsuite>');
  return lines.join('\n');
}

/** A JUnit XML document: one <testsuite> per table, one <testcase> per fixture case, <failure> with expected vs actual. */
export function junitXml(report: AllFixturesReport): string {
  const t = report.totals;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="beslis fixtures" tests="${t.cases}" failures="${t.failed}" errors="0" time="${seconds(report.ms)}">`,
    ...report.suites.map(suiteXml),
    '</testsuites>',
    '',
  ].join('\n');
}

// ---------------------------------------------------------------------------------------------
// Pretty text

export function prettyReport(report: AllFixturesReport, opts: { color?: boolean; verbose?: boolean } = {}): string {
  const c = opts.color ? (code: number, s: string) => `\u001b[${code}m${s}\u001b[0m` : (_: number, s: string) => s;
  const green = (s: string) => c(32, s);
  const red = (s: string) => c(31, s);
  const dim = (s: string) => c(2, s);
  const out: string[] = [];
  for (const s of report.suites) {
    const mark = s.totals.failed === 0 ? green('✔') : red('✘');
    out.push(`${mark} ${s.tableId}  ${s.totals.passed}/${s.totals.cases} passed  ${dim(`(target ${s.target}${s.source === 'draft' ? ', fixtures of the draft' : ''})`)}`);
    for (const k of s.cases) {
      if (k.pass && !opts.verbose) continue;
      if (k.pass) {
        out.push(`    ${green('✔')} ${k.name} ${dim(`→ ${json(k.actual)} [${k.matched.join(', ')}] ${against(k)}`)}`);
        continue;
      }
      out.push(`    ${red('✘')} ${k.name}`);
      for (const line of caseDetail(k).split('\n').filter(Boolean)) out.push(`        ${line}`);
    }
    for (const cov of s.coverage) {
      if (cov.unreached.length === 0) continue;
      out.push(dim(`    coverage ${cov.version === undefined ? 'draft' : `v${cov.version}`}: ${cov.reached.length}/${cov.rules.length} rules; no case reaches ${cov.unreached.join(', ')}`));
    }
  }
  const t = report.totals;
  const rate = report.ms > 0 ? Math.round((t.cases / report.ms) * 1000) : 0;
  out.push('');
  out.push(
    `${t.failed === 0 ? green('all fixtures pass') : red(`${t.failed} of ${t.cases} cases fail`)}: ${t.suites} tables, ${t.cases} cases, ${t.passed} passed, ${t.failed} failed; ` +
      `${t.unreached} of ${t.rules} rules reached by no case; ${report.ms.toFixed(0)} ms (${rate} cases/s)`,
  );
  return out.join('\n');
}
