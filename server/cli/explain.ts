// Renders an evaluation with its trace as text a policy advisor can follow on a terminal.
import type { DecisionTable, EvaluationResult } from '../engine/index.ts';

function show(v: unknown): string {
  return v === undefined ? '—' : JSON.stringify(v);
}

export function explain(table: DecisionTable, result: EvaluationResult): string {
  const lines: string[] = [];
  lines.push(`${table.title} (${table.id}${table.version ? ` v${table.version}` : ''}, ${table.hitPolicy ?? 'UNIQUE'})`);
  for (const rule of result.trace ?? []) {
    const mark = result.matched.includes(rule.ruleId) ? '✔' : rule.matched ? '·' : '✘';
    lines.push(`${mark} ${rule.ruleId}`);
    for (const cell of rule.cells) {
      if (cell.text.trim() === '-') continue;
      lines.push(`    ${cell.held ? 'holds  ' : 'fails  '} ${cell.name} = ${show(cell.value)}  against  ${cell.text}`);
    }
    const note = table.rules[rule.index]?.note;
    if (mark === '✔' && note) lines.push(`    ${note}`);
  }
  lines.push('');
  lines.push(`matched: ${result.matched.length ? result.matched.join(', ') : '(none)'}`);
  lines.push(`output:  ${JSON.stringify(result.output)}`);
  return lines.join('\n');
}
