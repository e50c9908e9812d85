import { type App, type Environment, Tags, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks, ServerlessChecks } from 'cdk-nag';
import { CITY_DEPLOYMENT, CITY_ID } from '../shared/config/city.ts';
import { type Deployment, deploymentProblems } from '../shared/config/deployment.ts';
import { DISTRICTS, type District, districtProblems } from '../shared/config/districts.ts';
import { CityStack } from './city-stack.ts';
import { DistrictStack } from './district-stack.ts';

export const PROJECT_TAG = 'pioneer';

export interface PioneerStacks {
  readonly city: CityStack;
  readonly districts: ReadonlyMap<string, DistrictStack>;
}

export interface BuildOptions {
  /** Register cdk-nag's AwsSolutions and Serverless packs as synth-time validation plugins. @default true */
  readonly nag?: boolean;
  /** Where the city goes and how ops run it. @default CITY_DEPLOYMENT (shared/config/city.ts) */
  readonly city?: Deployment;
  /** @default DISTRICTS (shared/config/districts.ts) */
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

/** The stack's environment: account and region from the configuration, never the credentials' defaults. */
export function environmentOf(d: Deployment): Environment {
  return { account: d.account, region: d.region };
}

/**
 * Everything wrong with the configuration, one line each (none: []): the city's deployment, every
 * district's (ids, codes, account, region, alarm e-mails, retention), and each district in the
 * city's account and region (its stack imports the city's user pool and bus through CloudFormation
 * exports, which cross neither).
 */
export function configurationProblems(city: Deployment, districts: readonly District[]): string[] {
  const problems = [...deploymentProblems(`the city (${CITY_ID})`, city), ...districtProblems(districts)];
  for (const d of districts)
    if (d.account !== city.account || d.region !== city.region)
      problems.push(
        `district "${d.id}": deployed to ${d.account}/${d.region}, the city to ${city.account}/${city.region}; a district must be where the city is (it imports the city's user pool and bus)`,
      );
  return problems;
}

/** Adds `Pioneer-City` and one `Pioneer-<districtId>` stack per selected district to `app`. */
export function buildPioneer(app: App, options: BuildOptions = {}): PioneerStacks {
  const cityDeployment = options.city ?? CITY_DEPLOYMENT;
  const all = options.districts ?? DISTRICTS;
  const problems = configurationProblems(cityDeployment, all);
  if (problems.length > 0)
    throw new Error(`the configuration (shared/config/) is not valid:\n  ${problems.join('\n  ')}`);

  // `-c sesFromEmail=noreply@... [-c sesFromName=...] [-c sesRegion=...]`: the pool mails through SES from
  // that verified sender (sesRegion: where it is verified; default: the city's region).
  const fromEmail: unknown = app.node.tryGetContext('sesFromEmail');
  const fromName: unknown = app.node.tryGetContext('sesFromName');
  const sesRegion: unknown = app.node.tryGetContext('sesRegion');
  const city = new CityStack(app, 'Pioneer-City', {
    env: environmentOf(cityDeployment),
    operations: cityDeployment,
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
  Tags.of(city).add('district', CITY_ID);

  const districts = new Map<string, DistrictStack>();
  for (const district of selectDistricts(app, all)) {
    const stack = new DistrictStack(app, `Pioneer-${district.id}`, {
      env: environmentOf(district),
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
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app), new ServerlessChecks(app));
  }
  return { city, districts };
}
