// The shape of one entry of the FEEL built-in registry (builtins.ts), in a file of its own so the registry's parts
// (builtins-ranges.ts) can name it without importing the registry.
import type { FeelValue } from './values.ts';

export type Builtin = (args: FeelValue[]) => FeelValue;

/**
 * A built-in: the parameter lists of its forms, written as in the DMN specification (`'string, start position,
 * length?'`: `?` marks a parameter that may be left out, `...` one that takes the rest, zero or more), and its body,
 * which gets the arguments in the order of the form that was called.
 */
export interface BuiltinEntry {
  readonly forms: readonly string[];
  readonly fn: Builtin;
}
