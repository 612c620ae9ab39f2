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
  /**
   * Every parameter takes one value of a type that is not a list (a string, a number, a date…), so a singleton list
   * given is its one item (DMN 1.5 10.3.2.9.4 from singleton list; 10.3.2.13.1): `upper case(["a"])` = "A".
   */
  readonly scalar?: true;
  /** A body for a named call of the form at that index, where the parameter's name decides the meaning. */
  readonly named?: Readonly<Record<number, Builtin>>;
}
