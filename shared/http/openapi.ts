import * as z from 'zod';
import { routeList } from '../api/routes';
import { problemCatalog, type ProblemCode } from '../core/errors';
import { maxJsonBodyBytes } from './parse';
import { passwordRules } from '../auth/passwords';
import { problemTypeBase } from './problems';
import type { RouteSpec } from '../api/route-spec';
import { ProblemDocument } from '../schemas/common';

type JsonSchema = Record<string, unknown>;

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return rest;
}

/** Errors every route of an access level can answer with, on top of its own (an API key: forbidden on a person's route, too_many_attempts when bad keys come from the address). */
const errorsByAccess: Record<RouteSpec['access'], ProblemCode[]> = {
  public: [],
  operator: ['invalid_operator_key'],
  user: ['authentication_required', 'invalid_token', 'password_change_required', 'forbidden', 'too_many_attempts'],
  admin: ['authentication_required', 'invalid_token', 'password_change_required', 'forbidden', 'too_many_attempts'],
};

/** What an API key may also meet on a route its scope opens: a key without that scope, or its limit a minute. */
const errorsOfKeyRoutes: ProblemCode[] = ['insufficient_scope', 'too_many_requests'];

function errorResponses(route: RouteSpec) {
  const codes = new Set<ProblemCode>([...errorsByAccess[route.access], ...(route.scope ? errorsOfKeyRoutes : []), ...(route.errors ?? [])]);
  if (route.body) ['validation_failed', 'malformed_json', 'unsupported_media_type', 'payload_too_large'].forEach((code) => codes.add(code as ProblemCode));
  if (route.query) codes.add('validation_failed');
  const byStatus = new Map<number, ProblemCode[]>();
  for (const code of codes) byStatus.set(problemCatalog[code].status, [...(byStatus.get(problemCatalog[code].status) ?? []), code]);
  return Object.fromEntries(
    [...byStatus].map(([status, list]) => [
      String(status),
      { description: `Problem document; code: ${list.join(', ')}`, content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
    ]),
  );
}

function operation(route: RouteSpec & { name: string }) {
  // OpenAPI 3.1 lets a non-OAuth scheme list roles: an API key needs the route's scope.
  const security = { public: [], operator: [{ operatorKey: [] }], user: [{ bearer: [] }], admin: [{ bearer: [] }, ...(route.scope ? [{ apiKey: [route.scope] }] : [])] }[route.access];
  const parameters = [...route.path.matchAll(/\{([A-Za-z0-9_]+)\}/g)].map((match) => ({ name: match[1], in: 'path', required: true, schema: { type: 'string' } }));
  if (route.query) {
    const query = jsonSchema(route.query, 'input') as { properties?: Record<string, JsonSchema>; required?: string[] };
    for (const [name, schema] of Object.entries(query.properties ?? {})) {
      parameters.push({ name, in: 'query', required: query.required?.includes(name) ?? false, schema: schema as { type: string } });
    }
  }
  const success = route.response.schema
    ? { content: { [route.response.contentType ?? 'application/json']: { schema: jsonSchema(route.response.schema, 'output') } } }
    : route.response.contentType
      ? { content: { [route.response.contentType]: {} } }
      : {};
  return {
    operationId: route.name,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    'x-access': route.access,
    ...(route.scope ? { 'x-api-key-scope': route.scope } : {}),
    security,
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.body, 'input') } } } } : {}),
    responses: {
      [String(route.response.status)]: {
        description: route.summary,
        ...(route.response.location ? { headers: { Location: { description: route.response.location, schema: { type: 'string', format: 'uri' } } } } : {}),
        ...success,
      },
      ...(route.response.jsonStatus ? { [String(route.response.jsonStatus)]: { description: 'The same body, without the redirect, when the request sends Accept: application/json.', ...success } } : {}),
      ...errorResponses(route),
      '500': { description: 'Problem document (internal_error); carries no internal detail.', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
      '503': { description: 'Problem document (service_unavailable), with Retry-After.', content: { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } } },
    },
  };
}

let document: JsonSchema | undefined;

/** The OpenAPI 3.1 document, generated from the route table and its zod schemas. */
export function openApiDocument(): JsonSchema {
  if (document) return document;
  const paths: Record<string, Record<string, unknown>> = {};
  for (const route of routeList) {
    paths[route.path] = { ...paths[route.path], [route.method.toLowerCase()]: operation(route) };
  }
  document = {
    openapi: '3.1.0',
    info: {
      title: 'emailless',
      version: '1.0.0',
      description: [
        'Bring in people who have no email address: invitations by access code, sign-in with uid:domain.',
        `Errors are RFC 9457 problem documents whose type is ${problemTypeBase}<code>; the stable machine code is in \`code\`.`,
        'A problem\'s `title` and `detail` are in the first language of Accept-Language that the API has (English `en`, French `fr`; English otherwise), named by Content-Language; `code`, `type` and the field paths of `errors` are the same in every language.',
        `Passwords: at least ${passwordRules.minCharacters} characters after NFKC normalisation, at most ${passwordRules.maxBytes} bytes of UTF-8; longer ones are refused with password_too_long (bcrypt would silently ignore the rest), never pre-hashed or truncated.`,
        `JSON bodies: at most ${maxJsonBodyBytes} bytes, content-type application/json, unknown fields refused (validation_failed).`,
        'Every answer carries x-request-id.',
      ].join('\n\n'),
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'A session token from sign-in or sign-up.' },
        apiKey: {
          type: 'http',
          scheme: 'bearer',
          description: 'A tenant API key (emk_…) from POST /v1/admin/api-keys, sent as Authorization: Bearer <key>. It opens the admin routes whose security requirement lists one of its scopes as the role, and no other route.',
        },
        operatorKey: { type: 'apiKey', in: 'header', name: 'x-operator-key', description: 'The platform operator key.' },
      },
      schemas: { Problem: jsonSchema(ProblemDocument, 'output') },
    },
    'x-problem-codes': Object.fromEntries(Object.entries(problemCatalog).map(([code, { status, title }]) => [code, { status, title: title.en, titles: title }])),
    paths,
  };
  return document;
}
