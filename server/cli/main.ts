// The `beslis` command line: dispatches to one module per command in ./commands.
// Each command module exports `summary` (one line for the overview) and `run(args)` returning an exit code.

export interface Command {
  summary: string;
  run(args: string[]): Promise<number>;
}

const COMMANDS = ['serve', 'migrate', 'copy', 'evaluate', 'fixtures', 'import', 'export', 'tck', 'users', 'tokens', 'audit', 'backup', 'restore'] as const;
type CommandName = (typeof COMMANDS)[number];

async function load(name: CommandName): Promise<Command | null> {
  try {
    return (await import(`./commands/${name}.ts`)) as Command;
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ERR_MODULE_NOT_FOUND' && String(err).includes(`commands/${name}`)) return null;
    throw err;
  }
}

async function overview(): Promise<string> {
  const lines = ['Gebruik / usage: beslis <command> [options]   (beslis <command> --help for details)', ''];
  for (const name of COMMANDS) {
    const cmd = await load(name);
    if (cmd) lines.push(`  ${name.padEnd(10)} ${cmd.summary}`);
  }
  return lines.join('\n');
}

export async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(await overview());
    return name ? 0 : 2;
  }
  if (!(COMMANDS as readonly string[]).includes(name)) {
    console.error(`beslis: unknown command '${name}'\n\n${await overview()}`);
    return 2;
  }
  const cmd = await load(name as CommandName);
  if (!cmd) {
    console.error(`beslis: command '${name}' is not part of this build`);
    return 2;
  }
  try {
    return await cmd.run(rest);
  } catch (err) {
    // Expected failures carry a message for the user; anything else is a bug and keeps its stack.
    const e = err as { code?: string; message?: string; details?: { path: string; message: string }[] };
    if (e && typeof e.code === 'string' && e.message) {
      console.error(`beslis ${name}: ${e.message}`);
      for (const d of e.details ?? []) console.error(`  ${d.path}: ${d.message}`);
      return 1;
    }
    throw err;
  }
}
