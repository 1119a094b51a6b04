import { Duration, Validations } from 'aws-cdk-lib';
import { API_CORS } from '../../shared/http/cors';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  HttpStage,
  type CfnStage,
  LogGroupLogDestination,
  PayloadFormatVersion,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import { routeKey, type FunctionName, type RouteSpec } from '../../functions/routes';
import { pascal } from '../names';
import type { StageConfig } from '../stage-config';

export interface ClubApiProps {
  readonly config: StageConfig;
  /** The routes to serve; each one's `fn` must be in `handlers`. */
  readonly routes: readonly RouteSpec[];
  readonly handlers: ReadonlyMap<FunctionName, IFunction>;
}

const AUTH_REASON: Record<RouteSpec['auth'], string> = {
  none: 'Deliberately open: health checks from uptime monitors and load balancers carry no credentials, and the handler reads no data.',
  token:
    "Authorised in the handler against the bearer token in Secrets Manager, so a 401 carries the contract's JSON error body and the same check runs in the local runtime; an API Gateway authorizer would answer with its own body.",
  portal:
    "Authorised in the handler by the member's signed portal link (HMAC with the portal secret), so an expired or forged link gets the contract's 401 body and the same check runs locally.",
  'app-proxy':
    "Authenticated in the handler by the signature Shopify's app proxy puts in the query (HMAC with the Shopify app's secret, under 5 minutes old), as Shopify documents; API Gateway has no such authorizer.",
  hmac: 'Authenticated in the handler by the HMAC signature over the raw body (Shopify/WooCommerce webhooks); API Gateway authorizers cannot see the raw body.',
};

// One JSON line per request. No headers, so the bearer token never reaches the logs.
const ACCESS_LOG_FORMAT = AccessLogFormat.custom(
  JSON.stringify({
    requestId: '$context.requestId',
    requestTime: '$context.requestTime',
    ip: '$context.identity.sourceIp',
    userAgent: '$context.identity.userAgent',
    routeKey: '$context.routeKey',
    status: '$context.status',
    protocol: '$context.protocol',
    responseLength: '$context.responseLength',
    latencyMs: '$context.responseLatency',
    integrationLatencyMs: '$context.integrationLatency',
    integrationError: '$context.integrationErrorMessage',
    error: '$context.error.message',
  }),
);

/** The club's HTTP API: one API Gateway route per entry of functions/routes.ts. */
export class ClubApi extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;
  readonly routes: ReadonlyMap<string, HttpRoute>;

  constructor(scope: Construct, id: string, props: ClubApiProps) {
    super(scope, id);
    const { config } = props;

    this.httpApi = new HttpApi(this, 'HttpApi', {
      apiName: `loyalty-club-${config.stage}`,
      description: `Loyalty club public API (${config.stage})`,
      // The default stage is made below, where it can have throttling and access logs.
      createDefaultStage: false,
      // The member page on the shop's domain calls /v1/me from there (shared/http/cors.ts says why any origin is safe).
      corsPreflight: {
        allowOrigins: [API_CORS.allowOrigin],
        allowMethods: API_CORS.allowMethods.map((m) => CorsHttpMethod[m]),
        allowHeaders: [...API_CORS.allowHeaders],
        exposeHeaders: [...API_CORS.exposeHeaders],
        maxAge: Duration.seconds(API_CORS.maxAgeSeconds),
      },
    });

    this.accessLogs = new LogGroup(this, 'AccessLogs', {
      retention: config.logRetention,
      removalPolicy: config.removalPolicy,
    });

    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.httpApi,
      stageName: '$default',
      autoDeploy: true,
      throttle: config.throttle,
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: ACCESS_LOG_FORMAT,
      },
    });

    // One integration per function, shared by its routes: one invoke permission each
    // instead of one per route.
    const integrations = new Map<FunctionName, HttpLambdaIntegration>();
    const routes = new Map<string, HttpRoute>();
    // The stage's throttle applies to each route; the webhooks get their own (config.webhookThrottle).
    const routeSettings: Record<string, { ThrottlingRateLimit: number; ThrottlingBurstLimit: number }> = {};
    for (const spec of props.routes) {
      const handler = props.handlers.get(spec.fn);
      if (!handler) throw new Error(`no handler for ${spec.fn} (route ${routeKey(spec)})`);
      let integration = integrations.get(spec.fn);
      if (!integration) {
        integration = new HttpLambdaIntegration(`${pascal(spec.fn)}Integration`, handler, {
          payloadFormatVersion: PayloadFormatVersion.VERSION_2_0,
        });
        integrations.set(spec.fn, integration);
      }
      if (spec.auth === 'hmac')
        routeSettings[routeKey(spec)] = {
          ThrottlingRateLimit: config.webhookThrottle.rateLimit,
          ThrottlingBurstLimit: config.webhookThrottle.burstLimit,
        };
      const route = new HttpRoute(this, routeId(spec), {
        httpApi: this.httpApi,
        routeKey: HttpRouteKey.with(spec.path, HttpMethod[spec.method]),
        integration,
      });
      Validations.of(route).acknowledge({ id: 'AwsSolutions-APIG4', reason: AUTH_REASON[spec.auth] });
      routes.set(routeKey(spec), route);
    }
    this.routes = routes;
    if (Object.keys(routeSettings).length) {
      // API Gateway refuses settings for a route that isn't deployed yet.
      const cfnStage = this.stage.node.defaultChild as CfnStage;
      cfnStage.addPropertyOverride('RouteSettings', routeSettings);
      for (const route of routes.values()) cfnStage.node.addDependency(route);
    }
    Validations.of(this.stage).acknowledge({
      id: 'Serverless-APIGWXrayEnabled',
      reason:
        'HTTP APIs have no X-Ray tracing; each request is traced from its Lambda function (Tracing.ACTIVE), whose segment carries the request id.',
    });
  }

  /** https://<id>.execute-api.<region>.amazonaws.com/ */
  get url(): string {
    return this.stage.url;
  }
}

/** Stable construct id from the route key: "GET /v1/members/{memberId}" -> "GetV1MembersMemberIdRoute". */
function routeId(spec: RouteSpec): string {
  return `${pascal(spec.method.toLowerCase())}${pascal(spec.path.replace(/[{}]/g, ''))}Route`;
}
