/**
 * Builds the CDK app for the infra tests, the way infra/app.ts does, with two knobs that
 * keep `npm test` fast: the synth-time validation plugins are left out (the nag test runs
 * the AwsSolutions pack explicitly, so it can list and assert every finding), and
 * `bundle: false` skips esbuild (templates are identical but for the asset hashes).
 */
import { App, Stack, Validations } from 'aws-cdk-lib';
import type { IConstruct } from 'constructs';
import { buildPioneer, type PioneerStacks } from '../../infra/pioneer-app.ts';
import type { Deployment } from '../../shared/config/deployment.ts';
import type { District } from '../../shared/config/districts.ts';

export interface TestAppOptions {
  /** `-c` context, e.g. `{ district: 'pujiang' }`. */
  readonly context?: Record<string, unknown>;
  /** Run esbuild for every function (as `cdk synth` does). @default true */
  readonly bundle?: boolean;
  /** Register cdk-nag as a synth-time validation plugin, as infra/app.ts does. @default false */
  readonly validate?: boolean;
  /** Run the CDK's built-in CloudFormation schema validation at synth (~2 s). @default false */
  readonly cfnValidation?: boolean;
  /** @default DISTRICTS (shared/config/districts.ts) */
  readonly districts?: readonly District[];
  /** @default CITY_DEPLOYMENT (shared/config/city.ts) */
  readonly city?: Deployment;
}

export function buildTestApp(options: TestAppOptions = {}): PioneerStacks & { app: App } {
  const validate = options.validate ?? false;
  const app = new App({
    context: {
      ...(options.bundle === false ? { 'aws:cdk:bundling-stacks': [] } : {}),
      ...options.context,
    },
    builtinCloudFormationValidation: options.cfnValidation ?? false,
  });
  // Account and region as shared/config/ states them (CITY_DEPLOYMENT, each district's): explicit,
  // no credentials needed, nothing taken from the machine.
  return {
    app,
    ...buildPioneer(app, {
      nag: validate,
      ...(options.districts ? { districts: options.districts } : {}),
      ...(options.city ? { city: options.city } : {}),
    }),
  };
}

export function stacksOf(app: App): Stack[] {
  return app.node.children.filter((c): c is Stack => Stack.isStack(c));
}

export interface Acknowledgement {
  readonly path: string;
  readonly id: string;
  readonly reason: string;
}

/** Every `Validations.of(x).acknowledge(...)` under `root`, with its construct path. */
export function acknowledgements(root: IConstruct): Acknowledgement[] {
  const out: Acknowledgement[] = [];
  for (const c of root.node.findAll()) {
    for (const m of c.node.metadata) {
      if (m.type !== Validations.ACKNOWLEDGED_RULES_METADATA_KEY || !m.data) continue;
      for (const [id, reason] of Object.entries(m.data as Record<string, string>)) {
        out.push({ path: c.node.path, id: id.replace(/^annotation::/i, ''), reason });
      }
    }
  }
  return out;
}

/**
 * A synthesized environment with CloudFormation values made readable, to compare with the
 * builder's (infra/function-environment.ts) given the same placeholders: a `Ref` to a table
 * named in `refs` becomes its placeholder, an import of the City stack's bus `<city bus>`.
 */
export function symbolicEnvironment(
  variables: Record<string, unknown>,
  refs: Record<string, string>,
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(variables).map(([k, v]) => {
      const ref = (v as { Ref?: string }).Ref;
      const imported = (v as { 'Fn::ImportValue'?: string })['Fn::ImportValue'];
      if (ref !== undefined && refs[ref]) return [k, refs[ref]];
      if (typeof imported === 'string' && /^Pioneer-City:ExportsOutputRefBus/.test(imported)) return [k, '<city bus>'];
      // A stage URL: https://<api id>.execute-api.<region>.<suffix>/, of this stack's API or the city's
      // (imported); the region a token (`.execute-api.`, Ref AWS::Region, `.`) or, in a stack with an
      // explicit environment, written in (`.execute-api.ap-southeast-1.`).
      const join = (v as { 'Fn::Join'?: [string, unknown[]] })['Fn::Join'];
      const host = join?.[1][2];
      if (
        join &&
        join[1][0] === 'https://' &&
        typeof host === 'string' &&
        /^\.execute-api\.([a-z0-9-]+\.)?$/.test(host)
      ) {
        const api = join[1][1] as { Ref?: string; 'Fn::ImportValue'?: string };
        if (api.Ref !== undefined && refs[api.Ref]) return [k, refs[api.Ref]];
        if (/^Pioneer-City:ExportsOutputRefHttpApi/.test(api['Fn::ImportValue'] ?? '')) return [k, '<city api url>'];
      }
      return [k, v];
    }),
  );
}
