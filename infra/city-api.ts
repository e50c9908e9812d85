import { Duration, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { CORS } from '../shared/config/cors.ts';
import type { RouteEntry } from '../shared/config/routes.ts';
import type { PioneerFunction } from './constructs/pioneer-function.ts';

export interface CityHttpApiProps {
  /** The city route table (shared/config/city-routes.ts). */
  readonly routes: readonly RouteEntry[];
  readonly functions: ReadonlyMap<string, PioneerFunction>;
  /** The tokens' issuer and audience: the city's own user pool and app client. */
  readonly issuerUrl: string;
  readonly audience: string;
  /** @default 50 rps, burst 100 (a handful of city admins) */
  readonly throttle?: apigw.ThrottleSettings;
}

/**
 * The City stack's HTTP API: one route per entry of the city route table, each to the function it
 * names (one integration and one invoke permission per function), the JWT authorizer on the city
 * user pool (the same tokens as the districts'), CORS as the districts', a throttled $default stage
 * with JSON access logs that never hold a header. Built like the district's API (district-stack.ts).
 */
export class CityHttpApi extends Construct {
  readonly api: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly authorizer: HttpJwtAuthorizer;

  constructor(scope: Construct, id: string, props: CityHttpApiProps) {
    super(scope, id);
    this.authorizer = new HttpJwtAuthorizer('CityJwt', props.issuerUrl, {
      authorizerName: 'city-jwt',
      jwtAudience: [props.audience],
      identitySource: ['$request.header.Authorization'],
    });
    this.api = new apigw.HttpApi(this, 'Api', {
      apiName: 'pioneer-city',
      description: 'Pioneer HTTP API of the city (city admins): every district\'s statistics, the city theme plan',
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: [...CORS.allowOrigins],
        allowMethods: CORS.allowMethods.map((m) => apigw.CorsHttpMethod[m]),
        allowHeaders: [...CORS.allowHeaders],
        exposeHeaders: [...CORS.exposeHeaders],
        maxAge: Duration.seconds(CORS.maxAgeSeconds),
      },
    });
    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      logGroupName: '/aws/apigateway/pioneer-city/access',
      retention: logs.RetentionDays.ONE_MONTH,
    });
    this.stage = new apigw.HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: props.throttle ?? { rateLimit: 50, burstLimit: 100 },
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
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
          }),
        ),
      },
    });

    const integrations = new Map<string, HttpLambdaIntegration>();
    const integrationOf = (name: string): HttpLambdaIntegration => {
      let integration = integrations.get(name);
      if (!integration) {
        const fn = props.functions.get(name);
        if (!fn) throw new Error(`city route table names function "${name}", which the city stack does not have`);
        integration = new HttpLambdaIntegration(`Integration-${name}`, fn.function, { scopePermissionToRoute: false });
        integrations.set(name, integration);
      }
      return integration;
    };
    const seen = new Set<string>();
    for (const route of props.routes) {
      const key = `${route.method} ${route.path}`;
      if (seen.has(key)) throw new Error(`city route table: duplicate route ${key}`);
      seen.add(key);
      const [created] = this.api.addRoutes({
        path: route.path,
        methods: [apigw.HttpMethod[route.method]],
        integration: integrationOf(route.function),
        ...(route.auth === 'jwt' ? { authorizer: this.authorizer } : {}),
      });
      if (route.auth === 'public' && created) {
        Validations.of(created).acknowledge({
          id: 'AwsSolutions-APIG4',
          reason: `${key} is declared auth: 'public' in the city route table ("${route.summary}"): the function must expose no personal data there.`,
        });
      }
    }
  }
}
