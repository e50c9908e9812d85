import { Duration, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { Construct } from 'constructs';
import { DEFAULT_LOG_RETENTION_DAYS, type LogRetentionDays } from '../../shared/config/deployment.ts';
import { CORS } from '../../shared/config/cors.ts';
import { ROUTE_SUMMARIES } from '../../shared/config/route-summaries.ts';
import { summaryOf, type RouteEntry } from '../../shared/config/routes.ts';
import { retainedLogGroup } from './names.ts';
import type { PioneerFunction } from './pioneer-function.ts';

/** The access log line of every request: JSON, no header, body or query string. */
export const ACCESS_LOG_FORMAT = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTimeEpoch',
  routeKey: '$context.routeKey',
  status: '$context.status',
  latency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  ip: '$context.identity.sourceIp',
  responseLength: '$context.responseLength',
  authorizerError: '$context.authorizer.error',
  integrationError: '$context.integrationErrorMessage',
} as const;

export interface RouteTableApiProps {
  /** `pioneer-<district>` or `pioneer-city`: names the API and its access log group. */
  readonly name: string;
  readonly description: string;
  /** A route table (shared/config/routes.ts, shared/config/city-routes.ts). */
  readonly routes: readonly RouteEntry[];
  readonly functions: ReadonlyMap<string, PioneerFunction>;
  /** The tokens' issuer and audience: the city's user pool and app client. */
  readonly issuerUrl: string;
  readonly audience: string;
  /** Default route throttling of the $default stage. */
  readonly throttle: apigw.ThrottleSettings;
  /** Days the access log keeps its events. @default 180 */
  readonly logRetentionDays?: LogRetentionDays;
}

/**
 * An HTTP API built from a route table, for a district stack and for the City stack alike: one
 * route per entry, each to the function it names (one integration and one invoke permission per
 * function, not per route: keeps stacks small), the JWT authorizer on the city user pool on every
 * `jwt` route, CORS from shared/config/cors.ts, a throttled $default stage with JSON access logs
 * that never hold a header, a body or a query string.
 */
export class RouteTableApi extends Construct {
  readonly api: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly authorizer: HttpJwtAuthorizer;

  constructor(scope: Construct, id: string, props: RouteTableApiProps) {
    super(scope, id);
    this.authorizer = new HttpJwtAuthorizer('CityJwt', props.issuerUrl, {
      authorizerName: 'city-jwt',
      jwtAudience: [props.audience],
      identitySource: ['$request.header.Authorization'],
    });
    this.api = new apigw.HttpApi(this, 'Api', {
      apiName: props.name,
      description: props.description,
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: [...CORS.allowOrigins],
        allowMethods: CORS.allowMethods.map((m) => apigw.CorsHttpMethod[m]),
        allowHeaders: [...CORS.allowHeaders],
        exposeHeaders: [...CORS.exposeHeaders],
        maxAge: Duration.seconds(CORS.maxAgeSeconds),
      },
    });
    // Kept when the stack goes, under a name of the stack's generation (infra/constructs/names.ts).
    const accessLogs = retainedLogGroup(
      this,
      'AccessLogs',
      `/aws/apigateway/${props.name}/access`,
      props.logRetentionDays ?? DEFAULT_LOG_RETENTION_DAYS,
    );
    this.stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle,
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FORMAT)),
      },
    });

    const integrations = new Map<string, HttpLambdaIntegration>();
    const integrationOf = (name: string): HttpLambdaIntegration => {
      let integration = integrations.get(name);
      if (!integration) {
        const fn = props.functions.get(name);
        if (!fn)
          throw new Error(`${props.name}: the route table names function "${name}", which the stack does not have`);
        integration = new HttpLambdaIntegration(`Integration-${name}`, fn.function, { scopePermissionToRoute: false });
        integrations.set(name, integration);
      }
      return integration;
    };
    const seen = new Set<string>();
    // CloudFormation's own casing: the property is plain JSON to the CDK (no conversion).
    const routeSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
    const routes: apigw.HttpRoute[] = [];
    for (const route of props.routes) {
      const key = `${route.method} ${route.path}`;
      if (seen.has(key)) throw new Error(`${props.name}: duplicate route ${key}`);
      seen.add(key);
      // A public route answers anyone: it gets its own limits, so that nobody without a token can
      // spend the stage's (and so every signed-in caller's) share.
      if (route.auth === 'public' && !route.throttle)
        throw new Error(`${props.name}: public route ${key} declares no throttle of its own (shared/config/routes.ts)`);
      if (route.throttle)
        routeSettings[key] = {
          ThrottlingRateLimit: route.throttle.rateLimit,
          ThrottlingBurstLimit: route.throttle.burstLimit,
        };
      const [created] = this.api.addRoutes({
        path: route.path,
        methods: [apigw.HttpMethod[route.method]],
        integration: integrationOf(route.function),
        ...(route.auth === 'jwt' ? { authorizer: this.authorizer } : {}),
      });
      if (created && route.throttle) routes.push(created);
      if (route.auth === 'public' && created) {
        Validations.of(created).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${key} is declared auth: 'public' in the route table ("${summaryOf(route, ROUTE_SUMMARIES)}"): callers such as probes, API tooling and certificate verifiers hold no token; the function must expose no personal data there.`,
        });
      }
    }
    if (Object.keys(routeSettings).length > 0) {
      const cfnStage = this.stage.node.defaultChild as apigw.CfnStage;
      // Route settings name routes by key; each must exist before the stage refers to it.
      cfnStage.routeSettings = routeSettings;
      for (const r of routes) this.stage.node.addDependency(r);
    }
  }
}
