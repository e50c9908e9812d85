/**
 * cdk-nag's AwsSolutions and Serverless packs over every stack of the app, as `npm run synth` runs
 * them: no unacknowledged finding (error or warning), every acknowledgement carries a specific
 * reason, and none is stale (each still matches a finding the packs would raise without it). The
 * same with X-Ray switched on (shared/config: `tracing: true`), which adds its own grant.
 */
import type { App, PolicyViolation } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { CITY_DEPLOYMENT } from '../../shared/config/city.ts';
import { DISTRICTS } from '../../shared/config/districts.ts';
import { acknowledgements, buildTestApp, type Acknowledgement } from './support.ts';

const packs = () => [new AwsSolutionsChecks(), new ServerlessChecks()];

const describeViolations = (vs: PolicyViolation[]) =>
  vs.flatMap((v) =>
    v.violatingResources.map((r) => `${v.severity} ${v.ruleName} at ${r.constructPath}: ${v.description}`),
  );

const variants: Array<[string, () => App]> = [
  // Every district, no esbuild: the findings depend on the templates, not the bundles.
  ['as configured', () => buildTestApp({ bundle: false }).app],
  [
    'with tracing on',
    () =>
      buildTestApp({
        bundle: false,
        context: { district: 'jinjiang' },
        districts: DISTRICTS.map((d) => ({ ...d, tracing: true })),
        city: { ...CITY_DEPLOYMENT, tracing: true },
      }).app,
  ],
];

describe.each(variants)('cdk-nag AwsSolutions and Serverless, %s', (_name, build) => {
  let app: App;
  let acks: Acknowledgement[];
  beforeAll(() => {
    app = build();
    acks = acknowledgements(app);
  }, 60_000);

  it('reports no unacknowledged finding, error or warning, in any stack', () => {
    for (const pack of packs()) {
      const report = pack.validateScope(app);
      expect(describeViolations(report.violations)).toEqual([]);
      expect(report.success).toBe(true);
    }
  });

  it('has a specific reason for every acknowledgement', () => {
    const byId = new Map<string, Acknowledgement>();
    for (const a of acks) byId.set(`${a.id}: ${a.reason}`, a);
    if (_name === 'as configured')
      console.log(
        `[infra] cdk-nag acknowledgements (${acks.length} in all):\n${[...byId.keys()].map((k) => `  ${k}`).join('\n')}`,
      );
    expect(acks.length).toBeGreaterThan(0);
    for (const a of acks) {
      expect(a.id, a.path).toMatch(/^(AwsSolutions|Serverless)-[A-Za-z]+\d*(\[.+\])?$/);
      expect(a.reason.length, `${a.id} at ${a.path}`).toBeGreaterThanOrEqual(60);
      expect(a.reason, `${a.id} at ${a.path}`).not.toMatch(
        /^(todo|tbd|n\/a|ok|fine|suppress(ed)?|not needed|ignore)\b/i,
      );
    }
  });

  it('acknowledges only findings that exist', () => {
    // The same packs, blind to acknowledgements: what would they flag?
    const raw = packs().flatMap((pack) => {
      (pack as unknown as { isAcknowledged: () => boolean }).isAcknowledged = () => false;
      return pack.validateScope(app).violations;
    });
    for (const a of acks) {
      const hit = raw.some(
        (v) =>
          v.ruleName === a.id &&
          v.violatingResources.some((r) => r.constructPath === a.path || r.constructPath?.startsWith(`${a.path}/`)),
      );
      expect(hit, `stale acknowledgement ${a.id} at ${a.path}`).toBe(true);
    }
  });
});
