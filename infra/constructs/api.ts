import { Duration, Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import {
  CorsHttpMethod,
  HttpApi,
  HttpMethod,
  HttpRoute,
  HttpRouteKey,
  LogGroupLogDestination,
  PayloadFormatVersion,
  type HttpStage,
} from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { Needs, RouteSpec } from '../../shared/api/route-spec';
import { ProjectFunction, type BindableResources } from './project-function';

export interface ApiProps {
  routes: readonly (RouteSpec & { name: string })[];
  /** Serves API Gateway's `$default` route: every request no entry matches. */
  fallback: { handler: string; needs: Needs };
  resources: BindableResources;
}

// What each request leaves in the access log: never headers, query strings or bodies.
const accessLogFields = {
  requestId: '$context.requestId',
  time: '$context.requestTimeEpoch',
  ip: '$context.identity.sourceIp',
  method: '$context.httpMethod',
  path: '$context.path',
  routeKey: '$context.routeKey',
  status: '$context.status',
  latency: '$context.responseLatency',
  integrationError: '$context.integrationErrorMessage',
};

/** The HTTP API: one route and one function per route-table entry, plus the `$default` fallback. */
export class Api extends Construct {
  readonly httpApi: HttpApi;
  readonly stage: HttpStage;
  readonly functions = new Map<string, ProjectFunction>();

  constructor(scope: Construct, id: string, props: ApiProps) {
    super(scope, id);

    this.httpApi = new HttpApi(this, 'HttpApi', {
      apiName: Stack.of(this).stackName,
      description: 'Emailless API',
      corsPreflight: {
        allowOrigins: ['*'],
        allowHeaders: ['authorization', 'content-type', 'x-operator-key'],
        allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PUT, CorsHttpMethod.PATCH, CorsHttpMethod.DELETE],
        maxAge: Duration.hours(1),
      },
      // The default stage HttpApi creates takes no throttle or access log settings.
      createDefaultStage: false,
    });

    const accessLogs = new LogGroup(this, 'AccessLogs', { retention: RetentionDays.ONE_MONTH });
    this.stage = this.httpApi.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: 200, burstLimit: 400 },
      accessLogSettings: {
        destination: new LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(accessLogFields)),
      },
    });

    for (const route of props.routes) {
      const id = pascalCase(route.name);
      const fn = new ProjectFunction(this, `${id}Function`, {
        handler: route.handler,
        description: `${route.method} ${route.path}`,
        memoryMb: route.memoryMb,
        timeoutSeconds: route.timeoutSeconds,
      });
      fn.bindNeeds(route.needs, props.resources);
      this.addRoute(`${id}Route`, HttpRouteKey.with(route.path, HttpMethod[route.method]), fn);
      this.functions.set(route.name, fn);
    }

    const fallback = new ProjectFunction(this, 'NoRouteFunction', { handler: props.fallback.handler, description: '$default' });
    fallback.bindNeeds(props.fallback.needs, props.resources);
    this.addRoute('DefaultRoute', HttpRouteKey.DEFAULT, fallback);
  }

  get url(): string {
    return this.stage.url;
  }

  private addRoute(id: string, routeKey: HttpRouteKey, fn: ProjectFunction): void {
    const route = new HttpRoute(this, id, {
      httpApi: this.httpApi,
      routeKey,
      integration: new HttpLambdaIntegration(`${id}Integration`, fn, { payloadFormatVersion: PayloadFormatVersion.VERSION_2_0 }),
    });
    Validations.of(route.node.defaultChild ?? route).acknowledge({
      id: 'AwsSolutions-APIG4',
      reason: 'Access is checked inside the function by the shared middleware (session token, admin role or operator key, one read), not by an API Gateway authorizer.',
    });
  }
}

function pascalCase(name: string): string {
  return name.charAt(0).toUpperCase() + name.slice(1);
}
