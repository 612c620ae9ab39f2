// `beslis evaluate <table.json> --input '<json>'`: decides one case with a table file, no server or database needed.
import { readFileSync } from 'node:fs';
import { compileTable, type DecisionTable } from '../../engine/index.ts';
import { fail, parseCommandArgs, usageError } from '../args.ts';
import { explain } from '../explain.ts';

export const summary = 'decide one case with a table file (--input JSON or stdin; --trace explains)';

const HELP = `Usage: beslis evaluate <table.json> [--input '<json>'] [--trace] [--json]

Decides one case with the decision table in <table.json>. The case is the JSON object given with
--input, or read from standard input when --input is absent.

  --input <json>  the case, e.g. '{"gedrag":"C","gevolgen":4}'
  --trace         explain the result: every rule, every cell, the value read and whether it held
  --json          print the whole result (output, matched, trace) as JSON

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
  const parsed = parseCommandArgs(args, { help: HELP, options: { input: { type: 'string' }, trace: { type: 'boolean' }, json: { type: 'boolean' } } });
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
    const compiled = compileTable(table);
    const result = compiled.evaluate(input, { trace: values.trace === true });
    if (values.json) console.log(JSON.stringify(result, null, 2));
    else if (values.trace) console.log(explain(table, result));
    else console.log(JSON.stringify({ output: result.output, matched: result.matched }, null, 2));
    return 0;
  } catch (err) {
    if (err instanceof UsageError) return fail(`beslis evaluate: ${err.message}`);
    throw err;
  }
}
