/**
 * cdk-nag's AwsSolutions pack over every stack of the app: no unacknowledged finding
 * (error or warning), every acknowledgement carries a specific reason, and none is stale
 * (each still matches a finding the pack would raise without it).
 */
import type { App } from 'aws-cdk-lib';
import type { PolicyViolation } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { beforeAll, describe, expect, it } from 'vitest';
import { acknowledgements, buildTestApp, type Acknowledgement } from './support.ts';

let app: App;
let acks: Acknowledgement[];

const describeViolations = (vs: PolicyViolation[]) =>
  vs.flatMap((v) =>
    v.violatingResources.map((r) => `${v.severity} ${v.ruleName} at ${r.constructPath}: ${v.description}`),
  );

beforeAll(() => {
  // Every district, no esbuild: the findings depend on the templates, not the bundles.
  ({ app } = buildTestApp({ bundle: false }));
  acks = acknowledgements(app);
}, 60_000);

describe('cdk-nag AwsSolutions', () => {
  it('reports no unacknowledged finding, error or warning, in any stack', () => {
    const report = new AwsSolutionsChecks().validateScope(app);
    expect(describeViolations(report.violations)).toEqual([]);
    expect(report.success).toBe(true);
  });

  it('has a specific reason for every acknowledgement', () => {
    const byId = new Map<string, Acknowledgement>();
    for (const a of acks) byId.set(`${a.id}: ${a.reason}`, a);
    console.log(
      `[infra] cdk-nag acknowledgements (${acks.length} in all):\n${[...byId.keys()].map((k) => `  ${k}`).join('\n')}`,
    );
    expect(acks.length).toBeGreaterThan(0);
    for (const a of acks) {
      expect(a.id, a.path).toMatch(/^AwsSolutions-[A-Z]+\d+(\[.+\])?$/);
      expect(a.reason.length, `${a.id} at ${a.path}`).toBeGreaterThanOrEqual(60);
      expect(a.reason, `${a.id} at ${a.path}`).not.toMatch(
        /^(todo|tbd|n\/a|ok|fine|suppress(ed)?|not needed|ignore)\b/i,
      );
    }
  });

  it('acknowledges only findings that exist', () => {
    // The same pack, blind to acknowledgements: what would it flag?
    const blind = new AwsSolutionsChecks();
    (blind as unknown as { isAcknowledged: () => boolean }).isAcknowledged = () => false;
    const raw = blind.validateScope(app).violations;
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
