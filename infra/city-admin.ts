// npm run city-admin -- --pool-id <user pool id> --user <email or sub> --reason <why> [--region r] [--dry-run]
// The first city admin of a deployed pool (and any later one): with the AWS CLI and the operator's
// credentials, checks that the user exists and has an authenticator app (TOTP) set up (the
// pre-token-generation trigger would withhold the group otherwise), adds them to the `city_admin`
// group, and appends the grant to the role audit in the city table (pioneer-city), never replacing
// an entry. --dry-run prints the commands instead of running them.
import { spawnSync } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { parseArgs } from 'node:util';
import { CITY_TABLE_NAME } from '../shared/config/city.ts';
import { cityAuditKey } from '../shared/db/keys.ts';
import { LocalError, runMain } from './local/errors.ts';

const USAGE =
  'usage: npm run city-admin -- --pool-id <user pool id> --user <email or sub> --reason <why> [--region r] [--dry-run]';

interface CityAdminPlan {
  /** The AWS CLI calls, in order (argv after `aws`). */
  readonly getUser: string[];
  readonly addToGroup: string[];
  readonly putAudit: (sub: string, actor: string) => string[];
}

/** The AWS CLI calls that make `user` a city admin of pool `poolId`. */
function cityAdminPlan(o: {
  poolId: string;
  user: string;
  reason: string;
  region?: string;
  at?: string;
}): CityAdminPlan {
  const region = o.region ? ['--region', o.region] : [];
  const at = o.at ?? new Date().toISOString();
  return {
    getUser: [
      'cognito-idp',
      'admin-get-user',
      '--user-pool-id',
      o.poolId,
      '--username',
      o.user,
      '--output',
      'json',
      ...region,
    ],
    addToGroup: [
      'cognito-idp',
      'admin-add-user-to-group',
      '--user-pool-id',
      o.poolId,
      '--username',
      o.user,
      '--group-name',
      'city_admin',
      ...region,
    ],
    putAudit: (sub, actor) => {
      const entry = {
        auditId: `ra_${randomUUID()}`,
        at,
        actor,
        target: sub,
        action: 'grant',
        role: 'city_admin',
        scope: { district: 'city' },
        reason: o.reason,
        source: 'admin',
      };
      const item: Record<string, unknown> = { ...cityAuditKey(entry), type: 'role-audit', ...entry };
      const ddb = Object.fromEntries(
        Object.entries(item).map(([k, v]) => [
          k,
          typeof v === 'string' ? { S: v } : { M: { district: { S: 'city' } } },
        ]),
      );
      return [
        'dynamodb',
        'put-item',
        '--table-name',
        CITY_TABLE_NAME,
        '--item',
        JSON.stringify(ddb),
        '--condition-expression',
        'attribute_not_exists(pk)',
        ...region,
      ];
    },
  };
}

function aws(args: string[]): string {
  const r = spawnSync('aws', args, { encoding: 'utf8' });
  if (r.error) throw new LocalError(`the AWS CLI (aws) is needed: ${r.error.message}`);
  if (r.status !== 0) throw new LocalError(`aws ${args.slice(0, 2).join(' ')} failed: ${r.stderr.trim()}`);
  return r.stdout;
}

runMain(async () => {
  let values: Record<string, string | boolean | undefined>;
  try {
    ({ values } = parseArgs({
      args: process.argv.slice(2),
      options: {
        'pool-id': { type: 'string' },
        user: { type: 'string' },
        reason: { type: 'string' },
        region: { type: 'string' },
        'dry-run': { type: 'boolean' },
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
  const str = (k: string) => (typeof values[k] === 'string' && values[k] ? (values[k] as string) : undefined);
  const poolId = str('pool-id');
  const user = str('user');
  const reason = str('reason');
  if (!poolId || !user || !reason) throw new LocalError(`--pool-id, --user and --reason are required; ${USAGE}`, 2);
  if (!/^[\w-]+_[0-9a-zA-Z]+$/.test(poolId))
    throw new LocalError(`--pool-id is a user pool id (region_xxxx), got "${poolId}"`, 2);
  const region = str('region');
  const plan = cityAdminPlan({ poolId, user, reason, ...(region ? { region } : {}) });
  const actor = `operator:${process.env.USER ?? 'unknown'}`;
  if (values['dry-run']) {
    for (const argv of [plan.getUser, plan.addToGroup, plan.putAudit('<sub>', actor)])
      process.stdout.write(`aws ${argv.map((a) => (/^[\w:./@-]+$/.test(a) ? a : `'${a}'`)).join(' ')}\n`);
    return;
  }
  const got = JSON.parse(aws(plan.getUser)) as {
    UserAttributes?: { Name: string; Value: string }[];
    UserMFASettingList?: string[];
  };
  if (!(got.UserMFASettingList ?? []).includes('SOFTWARE_TOKEN_MFA'))
    throw new LocalError(
      `${user} has no authenticator app (TOTP) set up: admin roles need MFA (their tokens would not carry the group). Ask them to set it up in the app, then run this again.`,
    );
  const sub = got.UserAttributes?.find((a) => a.Name === 'sub')?.Value ?? user;
  aws(plan.addToGroup);
  aws(plan.putAudit(sub, actor));
  process.stdout.write(`${user} (${sub}) is a city admin from their next sign-in or token refresh\n`);
});
