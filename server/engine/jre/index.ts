// A Beslis table as a json-rules-engine rule set (issue 2, item 7): toJsonRulesEngine exports, runJsonRulesEngine runs.
export { toJsonRulesEngine, FEEL_TEST_OPERATOR } from './export.ts';
export { runJsonRulesEngine, engineFor, type JreResult, type OutputRecord } from './runner.ts';
export { customOperators, canonicalDate, dayNumber } from './operators.ts';
export * from './operators.ts';
export { InputError, HitPolicyError } from './errors.ts';
export * from './format.ts';
