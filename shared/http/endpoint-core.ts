import middy, { type MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import type { z } from 'zod';
import { DomainError } from '../core/errors';
import type { PersonPrincipal, Principal } from '../domain/principal';
import type { ApiKeyScope } from '../schemas/api-keys';
import { appendLogKeys, log, withLogKeys } from '../core/logger';
import { publishApiLatency, withMetrics } from '../core/metrics';
import { routeGroupOf } from '../api/route-groups';
import { pickLanguage } from '../core/languages';
import { parseBody, parseQuery } from './parse';
import { classifyError } from './problems';
import type { RouteSpec } from '../api/route-spec';
import type { HttpEvent, HttpResult, Reply } from './types';
import { traceInvocation } from '../db/trace';

type Parsed<S> = S extends z.ZodType ? z.output<S> : undefined;

export interface ApiRequest<R extends RouteSpec> {
  body: Parsed<R['body']>;
  query: Parsed<R['query']>;
  params: Record<string, string>;
  /** A person on user routes and on admin routes for people only; a person or an API key on an admin route with a scope. */
  principal: R['access'] extends 'admin' ? (R extends { scope: ApiKeyScope } ? Principal : PersonPrincipal) : R['access'] extends 'user' ? PersonPrincipal : undefined;
  requestId: string;
  clientIp: string;
  /** Header names are lower-case, as API Gateway sends them (pages read accept-language). */
  headers: Readonly<Record<string, string | undefined>>;
}

interface Internal extends Record<string, unknown> {
  startedAt: number;
  requestId: string;
}

/** Who the log lines name: the person, or the API key by its id (never the key). */
const callerIdsOf = (caller: Principal) => (caller.kind === 'apiKey' ? { apiKeyId: caller.apiKey.id } : { userId: caller.user.id });

export const clientIpOf = (event: HttpEvent) => event.requestContext?.http?.sourceIp ?? 'unknown';

const baseHeaders = { 'cache-control': 'no-store', 'x-content-type-options': 'nosniff' };

/** Who is calling, decided before the action runs; refuses by throwing a DomainError. */
export type Admit = (route: RouteSpec, event: HttpEvent) => Promise<Principal | undefined>;

/** Request id, access log line, latency metric and problem documents for every error: the outermost layer. */
function answers(route: RouteSpec): MiddlewareObj<HttpEvent, HttpResult, Error, Context, Internal> {
  const routeGroup = routeGroupOf(route.path);
  const finish = (request: { internal: Internal; response: HttpResult | null | undefined }) => {
    const response = request.response!;
    response.headers = { ...baseHeaders, ...response.headers, 'x-request-id': request.internal.requestId };
    const durationMs = Date.now() - request.internal.startedAt;
    log('info', 'request', { route: `${route.method} ${route.path}`, status: response.statusCode, durationMs });
    publishApiLatency(routeGroup, durationMs);
  };
  return {
    before: (request) => {
      request.internal.startedAt = Date.now();
      request.internal.requestId = requestIdOf(request.event);
    },
    after: finish,
    onError: (request) => {
      const { result, unexpected } = classifyError(request.error, pickLanguage(request.event.headers?.['accept-language']));
      const body = JSON.parse(result.body as string) as Record<string, unknown>;
      result.body = JSON.stringify({ ...body, requestId: request.internal.requestId });
      if (unexpected) {
        const error = request.error;
        log('error', 'request failed', { errorName: error?.name, errorMessage: error?.message, stack: error?.stack });
      }
      request.response = result;
      finish(request);
    },
  };
}

const requestIdOf = (event: HttpEvent) => event.requestContext?.requestId ?? 'unknown';

/** Ids are short letters, digits and hyphens; anything else cannot name a resource. */
const pathParameter = /^[A-Za-z0-9-]{1,128}$/;

function parseParams(event: HttpEvent): Record<string, string> {
  const params = (event.pathParameters ?? {}) as Record<string, string>;
  if (Object.values(params).some((value) => !pathParameter.test(value))) throw new DomainError('not_found', { en: 'Nothing has that id.', fr: 'Rien ne porte cet identifiant.' });
  return params;
}

function toResult(reply: Reply): HttpResult {
  const headers: Record<string, string> = { ...reply.headers };
  if (reply.body === undefined) return { statusCode: reply.status, headers };
  if (Buffer.isBuffer(reply.body)) {
    headers['content-type'] = reply.contentType ?? 'application/octet-stream';
    return { statusCode: reply.status, headers, body: reply.body.toString('base64'), isBase64Encoded: true };
  }
  if (typeof reply.body === 'string') {
    headers['content-type'] = reply.contentType ?? 'text/plain; charset=utf-8';
    return { statusCode: reply.status, headers, body: reply.body };
  }
  headers['content-type'] = reply.contentType ?? 'application/json';
  return { statusCode: reply.status, headers, body: JSON.stringify(reply.body) };
}

/**
 * Builds the one way to write an HTTP handler around a way to admit callers: the route's
 * table entry says who may call it and what its body and query look like; the action only
 * does the work. (Two builds, so that public functions do not bundle the session and key
 * code, and with it the AWS SDK; see endpoint.ts and public-endpoint.ts.)
 */
/** The body a route's table entry describes: a handler can answer nothing else. */
type ResponseBody<R extends RouteSpec> = R['response'] extends { schema: infer S extends z.ZodType } ? z.input<S> : unknown;

export const endpointWith = (admit: Admit) => function endpoint<R extends RouteSpec>(route: R, action: (request: ApiRequest<R>) => Promise<Reply<ResponseBody<R>>> | Reply<ResponseBody<R>>) {
  const chain = middy<HttpEvent, HttpResult, Error, Context, Internal>()
    .use(answers(route))
    .handler((event, context) => traceInvocation(context, async () => {
      const principal = await admit(route, event);
      if (principal) appendLogKeys({ tenantId: principal.tenant.id, ...callerIdsOf(principal) });
      const request = {
        params: parseParams(event),
        body: parseBody(route, event),
        query: parseQuery(route, event),
        principal,
        requestId: requestIdOf(event),
        clientIp: clientIpOf(event),
        headers: event.headers ?? {},
      } as ApiRequest<R>;
      return toResult(await action(request));
    }));
  // Every line and metric of the request carries its id, and its caller once admitted; nothing outlives it.
  return (event: HttpEvent, context: Context): Promise<HttpResult> => withLogKeys({ requestId: requestIdOf(event) }, () => withMetrics(() => chain(event, context)));
};
