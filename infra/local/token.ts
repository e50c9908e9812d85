// npm run token -- --user <sub> [--ttl seconds]
//   the token the local user pool issues that user now: their groups and attributes, through the
//   pre-token-generation trigger (needs `npm start` running).
// npm run token -- --role <role> [--sub id] [--member id] [--community id] [--street id]
//                  [--team id] [--district id] [--ttl seconds]
//   any role and scope at once, for quick tries: bypasses sign-up, grants and the MFA rule.
// Prints a local JWT (and nothing else) on stdout.
import { parseArgs } from 'node:util';
import { DISTRICTS, findDistrict } from '../../shared/config/districts.ts';
import { ROLES, isRole } from '../../shared/domain/roles.ts';
import { LocalError, runMain } from './errors.ts';
import { mintToken } from './keys.ts';
import { poolEndpoint, userToken } from './pool-client.ts';

const USAGE = `usage: npm run token -- --user <sub> [--ttl seconds] [--pool url] | --role <${ROLES.join('|')}> [--sub id] [--member id] [--community id] [--street id] [--team id] [--district id] [--ttl seconds]`;

const MAX_TTL = 7 * 24 * 3600;

runMain(async () => {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      // `--ttl -5` would read as an unknown option `-5`: keep a negative number as --ttl's value.
      args: process.argv.slice(2).map((a, i, all) => (all[i - 1] === '--ttl' && /^-\d/.test(a) ? ` ${a}` : a)),
      options: {
        role: { type: 'string' },
        user: { type: 'string' },
        pool: { type: 'string' },
        sub: { type: 'string' },
        member: { type: 'string' },
        community: { type: 'string' },
        street: { type: 'string' },
        team: { type: 'string' },
        district: { type: 'string' },
        ttl: { type: 'string' },
        help: { type: 'boolean', short: 'h' },
      },
      strict: true,
      allowPositionals: false,
    }));
  } catch (err) {
    throw new LocalError(`${(err as Error).message.split('\n')[0]}; ${USAGE}`, 2);
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  let ttlSeconds: number | undefined;
  if (values.ttl !== undefined) {
    const raw = String(values.ttl).trim();
    ttlSeconds = Number(raw);
    if (!/^-?\d+$/.test(raw) || !Number.isSafeInteger(ttlSeconds) || ttlSeconds < 1 || ttlSeconds > MAX_TTL)
      throw new LocalError(
        `--ttl must be a positive whole number of seconds, at most ${MAX_TTL} (7 days), got "${raw}"`,
        2,
      );
  }
  if (typeof values.district === 'string' && !findDistrict(values.district))
    throw new LocalError(
      `unknown district "${values.district}": districts are ${DISTRICTS.map((d) => d.id).join(', ')}`,
      2,
    );
  if (typeof values.user === 'string') {
    if (values.role !== undefined) throw new LocalError(`--user and --role do not go together; ${USAGE}`, 2);
    const endpoint = poolEndpoint(values.pool);
    try {
      process.stdout.write(`${await userToken(endpoint, values.user, ttlSeconds)}\n`);
    } catch (err) {
      throw new LocalError(`no token for ${values.user}: ${(err as Error).message}`);
    }
    return;
  }
  const role = values.role;
  if (typeof role !== 'string' || !isRole(role)) {
    const what = typeof role === 'string' ? `unknown role "${role}"` : '--role is required';
    throw new LocalError(`${what}: valid roles are ${ROLES.join(', ')}`, 2);
  }
  const str = (k: string): string | undefined =>
    typeof values[k] === 'string' && values[k] ? (values[k] as string) : undefined;
  const token = await mintToken({
    role,
    sub: str('sub'),
    memberId: str('member'),
    communityId: str('community'),
    streetId: str('street'),
    teamId: str('team'),
    district: str('district'),
    ttlSeconds,
  });
  process.stdout.write(`${token}\n`);
});
