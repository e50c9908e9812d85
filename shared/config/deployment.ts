/**
 * Where and how a stack is deployed, declared for the city (shared/config/city.ts) and for each
 * district (shared/config/districts.ts): its AWS account and region, explicit, with no fallback to
 * the credentials' defaults, and how ops run it (alarm e-mails, log retention, tracing, stack
 * traces). Data only, checked by `deploymentProblems` before any stack is built (infra/pioneer-app.ts).
 */
export interface DeploymentTarget {
  /** The AWS account id (12 digits). */
  readonly account: string;
  /** The AWS region, e.g. `ap-southeast-1`; its partition gives the endpoints and ARNs (`aws`, `aws-cn`, ...). */
  readonly region: string;
}

/** CloudWatch Logs' retention periods, in days (the values the service accepts). */
export const LOG_RETENTION_DAYS = [
  1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653,
] as const;
export type LogRetentionDays = (typeof LOG_RETENTION_DAYS)[number];

/**
 * Six months: article 21 of the PRC Cybersecurity Law asks network operators to keep network logs
 * for at least six months. Every log group of a stack (each function's, the API's access log).
 */
export const DEFAULT_LOG_RETENTION_DAYS: LogRetentionDays = 180;

export interface Operations {
  /** Who gets the stack's alarms: each address is subscribed to its SNS topic (it must confirm once). */
  readonly alarmEmails: readonly string[];
  /** Days every log group of the stack keeps its events. @default 180 */
  readonly logRetentionDays?: LogRetentionDays;
  /** Active X-Ray tracing of every function of the stack (billed per trace). @default false */
  readonly tracing?: boolean;
  /** Stack traces point at the TypeScript sources (external source maps, node --enable-source-maps). @default true */
  readonly sourceMaps?: boolean;
}

export type Deployment = DeploymentTarget & Operations;

const ACCOUNT = /^\d{12}$/;
/** `ap-southeast-1`, `cn-north-1`, `us-gov-west-1`, `eu-central-2`, ... */
const REGION = /^[a-z]{2}(-[a-z]+)+-\d{1,2}$/;
const EMAIL = /^[^\s@]{1,64}@[^\s@]+\.[^\s@]{2,}$/;

/** What is wrong with a deployment's settings, each problem one line naming `what`; none: []. */
export function deploymentProblems(what: string, d: Partial<Deployment>): string[] {
  const problems: string[] = [];
  if (typeof d.account !== 'string' || !ACCOUNT.test(d.account))
    problems.push(`${what}: account must be a 12-digit AWS account id, got ${JSON.stringify(d.account)}`);
  if (typeof d.region !== 'string' || !REGION.test(d.region))
    problems.push(`${what}: region must be an AWS region such as ap-southeast-1, got ${JSON.stringify(d.region)}`);
  if (!Array.isArray(d.alarmEmails) || d.alarmEmails.length === 0)
    problems.push(`${what}: alarmEmails must list at least one address (the alarms' SNS topic subscribers)`);
  else
    for (const e of d.alarmEmails)
      if (typeof e !== 'string' || !EMAIL.test(e))
        problems.push(`${what}: ${JSON.stringify(e)} is not an e-mail address`);
  if (d.logRetentionDays !== undefined && !(LOG_RETENTION_DAYS as readonly number[]).includes(d.logRetentionDays))
    problems.push(
      `${what}: logRetentionDays must be one of ${LOG_RETENTION_DAYS.join(', ')} (CloudWatch Logs' periods), got ${d.logRetentionDays}`,
    );
  return problems;
}
