// `beslis evaluate <table.json> --input '<json>'`: decides one case with a table file, no server or database needed.
import { readFileSync } from 'node:fs';
import { evaluateChain } from '../../engine/chain.ts';
import { explainDecision } from '../../engine/explain.ts';
import { compileTable, type DecisionTable, type EvaluationResult } from '../../engine/index.ts';
import { fail, parseCommandArgs, usageError } from '../args.ts';
import { explain } from '../explain.ts';
import { MissingTableError, requiredFromDir, rulesDirOf } from '../rules-dir.ts';

export const summary = 'decide one case with a table file (--input JSON or stdin; --trace shows each cell, --explain the reasoning)';

const HELP = `Usage: beslis evaluate <table.json> [--input '<json>'] [--trace | --explain [--lang nl|en]] [--json] [--rules <dir>] [--date <yyyy-mm-dd>]

Decides one case with the decision table in <table.json>. The case is the JSON object given with
--input, or read from standard input when --input is absent. A table that requires other tables
decides them first (their outputs fill the inputs the case does not give); they are read from the
rules folder, each the version valid on the case date.

  --input <json>  the case, e.g. '{"gedrag":"C","gevolgen":4}'
  --trace         explain the result: every rule, every cell, the value read and whether it held
  --explain       the reasoned decision in plain words, for a decision letter (each step of a chain)
  --lang <nl|en>  the language of --explain (default nl)
  --json          print the whole result (output, matched, trace, steps) as JSON
  --rules <dir>   where required tables are (default: the rules folder <table.json> is in)
  --date <date>   the case date that chooses the required tables' versions (default: today)

Exit codes: 0 decided, 1 the table or the case was refused (the message says why), 2 wrong usage.`;

class UsageError extends Error {
  readonly code = 'USAGE';
}

function readJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch (err) {
    throw new UsageError(`${what} is not valid JSON: ${(err as Error).message}`);
  }
}

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, {
    help: HELP,
    options: { input: { type: 'string' }, trace: { type: 'boolean' }, explain: { type: 'boolean' }, lang: { type: 'string' }, json: { type: 'boolean' }, rules: { type: 'string' }, date: { type: 'string' } },
  });
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  if (positionals.length !== 1) return usageError(HELP);
  const file = positionals[0]!;
  let tableText: string;
  try {
    tableText = readFileSync(file, 'utf8');
  } catch {
    return fail(`beslis evaluate: cannot read ${file}`);
  }
  try {
    const table = readJson(tableText, file) as DecisionTable;
    const caseText = values.input ?? readFileSync(0, 'utf8');
    const input = readJson(caseText, 'the case') as Record<string, unknown>;
    if (values.date !== undefined && !/^\d{4}-\d{2}-\d{2}$/.test(values.date)) throw new UsageError(`--date must be yyyy-mm-dd, not '${values.date}'`);
    if (values.lang !== undefined && values.lang !== 'nl' && values.lang !== 'en') throw new UsageError(`--lang must be nl or en, not '${values.lang}'`);
    const compiled = compileTable(table);
    const explained = values.explain === true && !values.json;
    const trace = values.trace === true || explained;
    const reasoning = (steps: { table: DecisionTable; result: EvaluationResult }[]): string => explainDecision(steps)[values.lang === 'en' ? 'en' : 'nl'];
    if (!table.requires || table.requires.length === 0) {
      const result = compiled.evaluate(input, { trace });
      if (explained) console.log(reasoning([{ table, result }]));
      else if (values.json) console.log(JSON.stringify(result, null, 2));
      else if (trace) console.log(explain(table, result));
      else console.log(JSON.stringify({ output: result.output, matched: result.matched }, null, 2));
      return 0;
    }
    const rulesDir = values.rules ?? rulesDirOf(file);
    if (rulesDir === null) throw new UsageError(`${table.id} requires ${table.requires.join(', ')}: say where the rules folder is (--rules <dir>)`);
    const chain = evaluateChain(compiled, input, requiredFromDir(rulesDir, values.date), { trace });
    const steps = chain.steps.slice(0, -1).map((s) => ({ tableId: s.table.table.id, version: s.table.table.version, output: s.result.output, matched: s.result.matched }));
    const { output, matched } = chain;
    if (explained) console.log(reasoning(chain.steps.map((st) => ({ table: st.table.table, result: st.result }))));
    else if (values.json) console.log(JSON.stringify({ output, matched, ...(chain.trace ? { trace: chain.trace } : {}), steps }, null, 2));
    else if (trace) console.log([...chain.steps.slice(0, -1).map((s) => explain(s.table.table, s.result)), explain(table, chain)].join('\n\n'));
    else console.log(JSON.stringify({ output, matched, steps }, null, 2));
    return 0;
  } catch (err) {
    if (err instanceof UsageError) return fail(`beslis evaluate: ${err.message}`);
    if (err instanceof MissingTableError) return fail(`beslis evaluate: ${err.message}`);
    throw err;
  }
}
