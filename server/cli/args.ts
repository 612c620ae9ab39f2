// Argument handling shared by the `beslis` commands (node:util parseArgs), so every command answers the same way:
// --help/-h prints the command's help on standard output (exit 0); an unknown or malformed option prints the
// parser's message and the help on standard error (exit 2); wrong usage found later prints the help (exit 2).
import { parseArgs, type ParseArgsConfig } from 'node:util';

/** The exit codes every command documents: done, refused (the message says why), wrong usage. */
export const EXIT_OK = 0;
export const EXIT_REFUSED = 1;
export const EXIT_USAGE = 2;

type Options = NonNullable<ParseArgsConfig['options']>;

const HELP_OPTION = { help: { type: 'boolean', short: 'h' } } as const;

type Config<O extends Options, P extends boolean> = { args: string[]; options: O & typeof HELP_OPTION; allowPositionals: P };

/** What parseArgs returns for a command's options (plus --help). */
export type Parsed<O extends Options, P extends boolean = true> = ReturnType<typeof parseArgs<Config<O, P>>>;

export interface CommandArgs<O extends Options, P extends boolean> {
  /** The command's help text, printed for --help and with wrong usage. */
  help: string;
  /** The command's options; --help/-h is added. */
  options: O;
  /** Whether the command takes positional arguments (default true). */
  allowPositionals?: P;
  /** Put before the parser's message, e.g. 'beslis fixtures: ' (default none). */
  errorPrefix?: string;
}

/**
 * Parses a command's arguments. Returns the parsed values and positionals, or the exit code to return at once:
 * 0 after printing the help for --help, 2 after printing the parser's message and the help.
 */
export function parseCommandArgs<const O extends Options, const P extends boolean = true>(args: string[], spec: CommandArgs<O, P>): Parsed<O, P> | number {
  let parsed;
  try {
    parsed = parseArgs({ args, options: { ...spec.options, ...HELP_OPTION }, allowPositionals: spec.allowPositionals ?? true });
  } catch (err) {
    console.error(`${spec.errorPrefix ?? ''}${(err as Error).message}\n\n${spec.help}`);
    return EXIT_USAGE;
  }
  if ((parsed.values as { help?: boolean }).help) {
    console.log(spec.help);
    return EXIT_OK;
  }
  return parsed as Parsed<O, P>;
}

/** A repeatable option that may also list several values comma-separated (--role editor,tester): the values. */
export function listOption(values: string[] | undefined): string[] {
  return (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter(Boolean);
}

/** Wrong usage: prints the help (after `message`, when given) on standard error and gives exit code 2. */
export function usageError(help: string, message?: string): number {
  console.error(message === undefined ? help : `${message}\n\n${help}`);
  return EXIT_USAGE;
}

/** A refusal or usage problem the user can act on: `message` on standard error, and the exit code to return. */
export function fail(message: string, code = EXIT_USAGE): number {
  console.error(message);
  return code;
}
