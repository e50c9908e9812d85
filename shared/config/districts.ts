import { CITY_ID } from './city.ts';
import { type Deployment, deploymentProblems } from './deployment.ts';

/**
 * The districts (区/县) that get a stack each. Ops add a district here, then `npm run synth`
 * and `cdk deploy Pioneer-<id>`: no other stack changes (the city learns its districts at run time
 * from the parameter each district stack writes, infra/district-stack.ts), and no function bundle
 * holds this list (each district's functions get their own district's profile in their environment).
 *
 * Ids are lower-case pinyin letters and digits (2-24, starting with a letter): they name stacks,
 * tables, functions, queues and log groups (`pioneer-<id>-<function>`). `city` is reserved: it is
 * the City stack's id (its table `pioneer-city`, its functions `pioneer-city-<name>`).
 *
 * Account and region are explicit for every district (no fallback to the credentials' defaults);
 * a district must be deployed where the city is: its stack imports the city's user pool and bus
 * through CloudFormation exports, which do not cross accounts or regions.
 */
export interface District extends Deployment {
  readonly id: string;
  readonly name: string;
  readonly nameZh: string;
  /** GB/T 2260 administrative division code (6 digits). */
  readonly code: string;
  /** Days a published micro-wish may stay unclaimed before the daily job escalates it (default 7). */
  readonly wishEscalationDays?: number;
  /**
   * The secrets that configure its notification channels, `secretsmanager:<name>` or
   * `ssm:<SecureString parameter name>` (shared/events/push-adapters.ts says what each holds).
   * The notifications function gets read access to exactly these; a channel left out is not
   * configured (its pushes are counted undeliverable).
   */
  readonly pushSecrets?: { readonly sms?: string; readonly wechat?: string };
}

/** The example account of the AWS documentation: replace it with yours (a deploy to it fails, loudly). */
const ACCOUNT = '111122223333';
const REGION = 'ap-southeast-1';

export const DISTRICTS: readonly District[] = [
  {
    id: 'jinjiang',
    name: 'Jinjiang District',
    nameZh: '锦江区',
    code: '510104',
    account: ACCOUNT,
    region: REGION,
    alarmEmails: ['ops-jinjiang@pioneer.example.cn'],
  },
  {
    id: 'shuangliu',
    name: 'Shuangliu District',
    nameZh: '双流区',
    code: '510116',
    account: ACCOUNT,
    region: REGION,
    alarmEmails: ['ops-shuangliu@pioneer.example.cn'],
  },
  {
    id: 'pujiang',
    name: 'Pujiang County',
    nameZh: '蒲江县',
    code: '510131',
    account: ACCOUNT,
    region: REGION,
    alarmEmails: ['ops-pujiang@pioneer.example.cn'],
  },
];

/** The district the local runtime plays (`npm start`, tests, tokens). */
export const LOCAL_DISTRICT_ID = 'jinjiang';

export function findDistrict(id: string, districts: readonly District[] = DISTRICTS): District | undefined {
  return districts.find((d) => d.id === id);
}

export const DISTRICT_ID = /^[a-z][a-z0-9]{1,23}$/;
/** Ids no district may take: the City stack's. */
export const RESERVED_IDS: readonly string[] = [CITY_ID];

/** What is wrong with a list of districts (ids, codes, names, deployment), one line each; none: []. */
export function districtProblems(districts: readonly District[]): string[] {
  const problems: string[] = [];
  const ids = new Set<string>();
  const codes = new Set<string>();
  for (const [i, d] of districts.entries()) {
    const what = `district ${typeof d.id === 'string' && d.id ? `"${d.id}"` : `#${i + 1}`}`;
    if (typeof d.id !== 'string' || !DISTRICT_ID.test(d.id))
      problems.push(
        `${what}: id must be 2-24 lower-case letters and digits starting with a letter (it names stacks, tables and functions), got ${JSON.stringify(d.id)}`,
      );
    else if (RESERVED_IDS.includes(d.id))
      problems.push(`${what}: the id "${d.id}" is reserved (the City stack's table, functions and logs use it)`);
    if (ids.has(d.id)) problems.push(`${what}: the id is used twice`);
    ids.add(d.id);
    if (typeof d.code !== 'string' || !/^\d{6}$/.test(d.code))
      problems.push(`${what}: code must be a 6-digit GB/T 2260 code, got ${JSON.stringify(d.code)}`);
    else if (codes.has(d.code)) problems.push(`${what}: the code ${d.code} is used twice`);
    codes.add(d.code);
    if (typeof d.name !== 'string' || !d.name.trim()) problems.push(`${what}: name is empty`);
    if (typeof d.nameZh !== 'string' || !d.nameZh.trim()) problems.push(`${what}: nameZh is empty`);
    if (
      d.wishEscalationDays !== undefined &&
      !(Number.isInteger(d.wishEscalationDays) && d.wishEscalationDays >= 1 && d.wishEscalationDays <= 90)
    )
      problems.push(`${what}: wishEscalationDays must be a whole number of days from 1 to 90`);
    problems.push(...deploymentProblems(what, d));
  }
  return problems;
}
