import { type App, type Environment, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { DISTRICTS, type District } from '../shared/config/districts.ts';
import { CityStack } from './city-stack.ts';
import { DistrictStack } from './district-stack.ts';

export const PROJECT_TAG = 'pioneer';

export interface PioneerStacks {
  readonly city: CityStack;
  readonly districts: ReadonlyMap<string, DistrictStack>;
}

export interface BuildOptions {
  /** Register cdk-nag's AwsSolutions pack as a synth-time validation plugin. @default true */
  readonly nag?: boolean;
  /** @default account/region from CDK_DEFAULT_*, else environment-agnostic */
  readonly env?: Environment;
  /** @default DISTRICTS */
  readonly districts?: readonly District[];
}

/** The districts to build: all, or the one named by `-c district=<id>`. */
export function selectDistricts(app: App, all: readonly District[] = DISTRICTS): District[] {
  const wanted: unknown = app.node.tryGetContext('district');
  if (wanted === undefined || wanted === '') return [...all];
  const found = all.find((d) => d.id === wanted);
  if (!found) {
    throw new Error(
      `unknown district "${String(wanted)}" (-c district=<id>); known ids: ${all.map((d) => d.id).join(', ')}`,
    );
  }
  return [found];
}

export function defaultEnv(): Environment {
  // Unset (not empty) when there are no credentials: the stacks synthesize env-agnostic.
  const account = process.env.CDK_DEFAULT_ACCOUNT || undefined;
  const region = process.env.CDK_DEFAULT_REGION || undefined;
  return { ...(account ? { account } : {}), ...(region ? { region } : {}) };
}

/** Adds `Pioneer-City` and one `Pioneer-<districtId>` stack per selected district to `app`. */
export function buildPioneer(app: App, options: BuildOptions = {}): PioneerStacks {
  const env = options.env ?? defaultEnv();
  // `-c sesFromEmail=noreply@... [-c sesFromName=...] [-c sesRegion=...]`: the pool mails through SES from
  // that verified sender (sesRegion: where it is verified; required when the stack's region is not known).
  const fromEmail: unknown = app.node.tryGetContext('sesFromEmail');
  const fromName: unknown = app.node.tryGetContext('sesFromName');
  const sesRegion: unknown = app.node.tryGetContext('sesRegion');
  const city = new CityStack(app, 'Pioneer-City', {
    env,
    ...(typeof fromEmail === 'string' && fromEmail
      ? {
          email: {
            fromEmail,
            ...(typeof fromName === 'string' && fromName ? { fromName } : {}),
            ...(typeof sesRegion === 'string' && sesRegion ? { sesRegion } : {}),
          },
        }
      : {}),
    description: 'Pioneer: the city (Cognito user pool shared by every district, city table, city event bus, city API)',
  });
  Tags.of(city).add('project', PROJECT_TAG);
  Tags.of(city).add('district', 'city');

  const districts = new Map<string, DistrictStack>();
  for (const district of selectDistricts(app, options.districts)) {
    const stack = new DistrictStack(app, `Pioneer-${district.id}`, {
      env,
      district,
      auth: city.auth,
      cityBus: city.bus,
      cityApiUrl: city.httpApi.stage.url,
      description: `Pioneer: ${district.name} (${district.code}): table, HTTP API, functions, schedules`,
    });
    Tags.of(stack).add('project', PROJECT_TAG);
    Tags.of(stack).add('district', district.id);
    districts.set(district.id, stack);
  }

  if (options.nag ?? true) {
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));
  }
  return { city, districts };
}
