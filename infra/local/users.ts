// npm run users -- sign-up --email <email> --district <id> [--password P] [--pool url]
//                  mfa --user <sub> [--pool url]
//                  show --user <sub> [--pool url]
// The local user pool, as a person and an operator use the real one: sign up (the pre-sign-up
// trigger checks the district; the mailed code confirms it; the post-confirmation trigger makes a
// resident) and print the new user's sub; set up the authenticator app (MFA), which admin roles
// need; show a user's groups and attributes. Needs `npm start` running (or --pool).
import { parseArgs } from 'node:util';
import { LOCAL_DISTRICT_ID } from '../../shared/config/districts.ts';
import { LocalError, runMain } from './errors.ts';
import { enableMfa, operatorCall, poolEndpoint, signUpAndConfirm } from './pool-client.ts';

const USAGE =
  'usage: npm run users -- sign-up --email <email> [--district id] [--password P] | mfa --user <sub> | show --user <sub> (each: [--pool url])';

runMain(async () => {
  let parsed: { values: Record<string, string | boolean | undefined>; positionals: string[] };
  try {
    parsed = parseArgs({
      args: process.argv.slice(2),
      options: {
        email: { type: 'string' },
        district: { type: 'string' },
        password: { type: 'string' },
        user: { type: 'string' },
        pool: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: true,
    });
  } catch (err) {
    throw new LocalError(`${(err as Error).message.split('\n')[0]}; ${USAGE}`, 2);
  }
  const { values, positionals } = parsed;
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  const [command, ...rest] = positionals;
  if (rest.length > 0 || !command) throw new LocalError(USAGE, 2);
  const str = (k: string) => (typeof values[k] === 'string' && values[k] ? (values[k] as string) : undefined);
  const need = (k: string) => str(k) ?? fail(`${command} needs --${k}; ${USAGE}`);
  const fail = (m: string): never => {
    throw new LocalError(m, 2);
  };
  switch (command) {
    case 'sign-up': {
      const email = need('email');
      const endpoint = poolEndpoint(values.pool);
      const sub = await signUpAndConfirm(endpoint, {
        email,
        district: str('district') ?? LOCAL_DISTRICT_ID,
        ...(str('password') ? { password: str('password')! } : {}),
      }).catch((err: Error) => fail(`sign-up refused: ${err.message}`));
      process.stdout.write(`${sub}\n`);
      return;
    }
    case 'mfa': {
      const user = need('user');
      await enableMfa(poolEndpoint(values.pool), user).catch((err: Error) => fail(err.message));
      process.stdout.write(`${user}: authenticator app (TOTP) set up\n`);
      return;
    }
    case 'show': {
      const user = need('user');
      const endpoint = poolEndpoint(values.pool);
      const got = await operatorCall<Record<string, unknown>>(endpoint, 'AdminGetUser', { Username: user }).catch(
        (err: Error) => fail(err.message),
      );
      const groups = await operatorCall<{ Groups: { GroupName: string }[] }>(endpoint, 'AdminListGroupsForUser', {
        Username: user,
      });
      process.stdout.write(`${JSON.stringify({ ...got, Groups: groups.Groups.map((g) => g.GroupName) }, null, 2)}\n`);
      return;
    }
    default:
      fail(`unknown command "${command}"; ${USAGE}`);
  }
});
