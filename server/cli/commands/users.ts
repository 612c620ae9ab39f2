// `beslis users add|list|remove|passwd|roles`: user management on the database file, beside or without a running
// server (the changes apply to running sessions at once: roles are read per request, a new password or a removal
// ends sessions). Every change is in the audit trail as `cli:<os user>`.
import { createInterface } from 'node:readline';
import { randomBytes } from 'node:crypto';
import { fail, listOption, parseCommandArgs, usageError } from '../args.ts';
import { cliActor, withStore } from '../open-store.ts';
import { createUser, deleteUser, getUser, listUsers, PASSWORD_MIN, ROLES, updateUser } from '../../store/users.ts';

export const summary = 'manage users and their roles: add, list, remove, passwd, roles';

const HELP = `Usage: beslis users add NAME --role ROLE [--role ROLE …] [--password-stdin] [--db FILE]
       beslis users list [--json] [--db FILE]
       beslis users remove NAME [--db FILE]
       beslis users passwd NAME [--password-stdin] [--db FILE]
       beslis users roles NAME --role ROLE [--role ROLE …] [--db FILE]

Roles: ${ROLES.join(', ')} (--role may also list several, comma-separated: --role editor,tester).
Passwords have at least ${PASSWORD_MIN} characters. They are asked twice on a terminal (not shown), read from the
first line of standard input with --password-stdin, or else generated and printed once.
A new password also ends the user's sessions and clears a lockout after failed logins.
The last enabled admin cannot be removed or lose the role admin.

  --db FILE   database file (env BESLIS_DB, default ./data/beslis.db)

Exit codes: 0 done, 1 refused (unknown user, name taken, weak password, last admin), 2 wrong usage.`;

async function readStdinLine(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const c of process.stdin) chunks.push(c as Buffer);
  return Buffer.concat(chunks).toString('utf8').split(/\r?\n/)[0] ?? '';
}

function askHidden(question: string): Promise<string> {
  return new Promise((done) => {
    const rl = createInterface({ input: process.stdin, output: process.stdout, terminal: true });
    // Echo the question, not what is typed.
    (rl as unknown as { _writeToOutput: (s: string) => void })._writeToOutput = (s: string) => {
      if (s.startsWith(question)) process.stdout.write(question);
    };
    rl.question(question, (answer) => {
      rl.close();
      process.stdout.write('\n');
      done(answer);
    });
  });
}

/** The new password, and whether it was generated (then it is printed once). */
async function newPassword(fromStdin: boolean): Promise<{ password: string; generated: boolean } | null> {
  if (fromStdin) return { password: await readStdinLine(), generated: false };
  if (process.stdin.isTTY) {
    const first = await askHidden('Wachtwoord / password: ');
    const second = await askHidden('Nog eens / again: ');
    if (first !== second) {
      console.error('beslis users: the passwords differ');
      return null;
    }
    return { password: first, generated: false };
  }
  return { password: randomBytes(15).toString('base64url'), generated: true };
}

export async function run(args: string[]): Promise<number> {
  const parsed = parseCommandArgs(args, {
    help: HELP,
    options: { db: { type: 'string' }, role: { type: 'string', multiple: true }, 'password-stdin': { type: 'boolean' }, json: { type: 'boolean' } },
  });
  if (typeof parsed === 'number') return parsed;
  const { values, positionals } = parsed;
  const [sub, name, ...extra] = positionals;
  const needsName = sub === 'add' || sub === 'remove' || sub === 'passwd' || sub === 'roles';
  if (!sub || !['add', 'list', 'remove', 'passwd', 'roles'].includes(sub) || (needsName && !name) || (!needsName && name) || extra.length > 0) {
    return usageError(HELP);
  }
  const roles = listOption(values.role);
  if ((sub === 'add' || sub === 'roles') && roles.length === 0) return fail(`beslis users ${sub}: name at least one --role (${ROLES.join(', ')})`);
  return withStore(values.db, sub !== 'add', async (store) => {
    const actor = cliActor();
    switch (sub) {
      case 'list': {
        const users = (await listUsers(store));
        if (values.json) {
          console.log(JSON.stringify(users.map(({ id: _id, ...u }) => u), null, 2));
          return 0;
        }
        const width = Math.max(8, ...users.map((u) => u.username.length));
        console.log(`${'username'.padEnd(width)}  ${'roles'.padEnd(36)}  state`);
        for (const u of users) {
          const state = u.disabled ? 'disabled' : u.lockedUntil && Date.parse(u.lockedUntil) > Date.now() ? `locked until ${u.lockedUntil}` : 'active';
          console.log(`${u.username.padEnd(width)}  ${u.roles.join(',').padEnd(36)}  ${state}`);
        }
        return 0;
      }
      case 'add': {
        if ((await getUser(store, name!))) {
          console.error(`beslis users add: a user '${name}' already exists`);
          return 1;
        }
        const pw = await newPassword(values['password-stdin'] === true);
        if (!pw) return 1;
        const u = (await createUser(store, { username: name!, password: pw.password, roles }, actor));
        console.log(`added ${u.username} (${u.roles.join(', ')})`);
        if (pw.generated) console.log(`password: ${pw.password}   (shown once)`);
        return 0;
      }
      case 'remove':
        await deleteUser(store, name!, actor);
        console.log(`removed ${name}`);
        return 0;
      case 'passwd': {
        if (!(await getUser(store, name!))) {
          console.error(`beslis users passwd: there is no user '${name}'`);
          return 1;
        }
        const pw = await newPassword(values['password-stdin'] === true);
        if (!pw) return 1;
        await updateUser(store, name!, { password: pw.password }, actor);
        console.log(`changed the password of ${name}; their sessions have ended`);
        if (pw.generated) console.log(`password: ${pw.password}   (shown once)`);
        return 0;
      }
      case 'roles': {
        const u = (await updateUser(store, name!, { roles }, actor));
        console.log(`${u.username}: ${u.roles.join(', ')}`);
        return 0;
      }
    }
    return 2;
  });
}
