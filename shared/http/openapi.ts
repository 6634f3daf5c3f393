import * as z from 'zod';
import { routeList } from '../api/routes';
import { problemCatalog, type ProblemCode } from '../core/errors';
import { maxJsonBodyBytes } from './parse';
import { passwordRules } from '../auth/passwords';
import { problemTypeBase } from './problems';
import type { RouteSpec } from '../api/route-spec';
import { ProblemDocument, TooManyAttemptsProblem, TooManyRequestsProblem, UidTakenProblem } from '../schemas/common';

type JsonSchema = Record<string, unknown>;

/** zod bounds every int by Number.MAX_SAFE_INTEGER; that says nothing to a client, so only real bounds are kept. */
const safeIntegerBound = Number.MAX_SAFE_INTEGER;

function withoutSafeIntegerBounds(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(withoutSafeIntegerBounds);
  if (schema === null || typeof schema !== 'object') return schema;
  return Object.fromEntries(
    Object.entries(schema)
      .filter(([key, value]) => !((key === 'minimum' || key === 'maximum') && Math.abs(value as number) === safeIntegerBound))
      .map(([key, value]) => [key, withoutSafeIntegerBounds(value)]),
  );
}

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): JsonSchema {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as JsonSchema;
  return withoutSafeIntegerBounds(rest) as JsonSchema;
}

const ref = (kind: 'schemas' | 'headers' | 'responses', name: string) => ({ $ref: `#/components/${kind}/${name}` });

/** Problem codes whose document carries fields beyond Problem's, and the schema that names them. */
const extendedProblems: Partial<Record<ProblemCode, string>> = {
  uid_taken: 'UidTakenProblem',
  too_many_attempts: 'TooManyAttemptsProblem',
  too_many_requests: 'TooManyRequestsProblem',
};

/** Response headers (components/headers) besides x-request-id that a problem of that code always carries. */
const problemHeaders: Partial<Record<ProblemCode, string[]>> = {
  too_many_attempts: ['Retry-After'],
  too_many_requests: ['Retry-After'],
  service_unavailable: ['Retry-After'],
  sign_up_in_progress: ['Retry-After'],
  method_not_allowed: ['Allow'],
};

const headers: Record<string, { description: string; schema: JsonSchema }> = {
  'x-request-id': { description: 'The id of this request (also `requestId` in a problem document); quote it when reporting a problem.', schema: { type: 'string', minLength: 1 } },
  'Retry-After': { description: 'Seconds to wait before trying again.', schema: { type: 'integer', minimum: 0 } },
  Allow: { description: 'The methods this path answers, comma-separated.', schema: { type: 'string', minLength: 1 } },
  'Content-Disposition': { description: 'attachment; filename="…": the file\'s name.', schema: { type: 'string', pattern: '^attachment' } },
  Location: { description: 'Where the answer redirects to.', schema: { type: 'string', format: 'uri' } },
};
const headerComponent = (name: string) => name.replace(/^x-/, '').replace(/(^|-)([a-z])/g, (_match, _dash, letter: string) => letter.toUpperCase()).replaceAll('-', '');
/** A header every answer of that status carries is required and referenced; one only some codes carry is optional. */
const headerOf = (name: string, required: boolean) => (required ? ref('headers', headerComponent(name)) : headers[name]);

function problemResponse(status: number, codes: ProblemCode[], description: string) {
  const plain = codes.filter((code) => !extendedProblems[code]);
  const schemas = [
    ...(plain.length > 0 ? [{ allOf: [ref('schemas', 'Problem'), { type: 'object', properties: { status: { const: status }, code: { enum: plain } } }] }] : []),
    ...codes.flatMap((code) => (extendedProblems[code] ? [ref('schemas', extendedProblems[code])] : [])),
  ];
  const carried = new Set(codes.flatMap((code) => problemHeaders[code] ?? []));
  return {
    description,
    headers: {
      'x-request-id': headerOf('x-request-id', true),
      ...Object.fromEntries([...carried].map((name) => [name, headerOf(name, codes.every((code) => problemHeaders[code]?.includes(name)))])),
    },
    content: { 'application/problem+json': { schema: schemas.length === 1 ? schemas[0] : { oneOf: schemas } } },
  };
}

/** Errors every route of an access level can answer with, on top of its own (an API key: forbidden on a person's route, too_many_attempts when bad keys come from the address). */
const errorsByAccess: Record<RouteSpec['access'], ProblemCode[]> = {
  public: [],
  operator: ['invalid_operator_key', 'too_many_attempts'],
  user: ['authentication_required', 'invalid_token', 'password_change_required', 'forbidden', 'too_many_attempts'],
  admin: ['authentication_required', 'invalid_token', 'password_change_required', 'forbidden', 'too_many_attempts'],
};

/** What an API key may also meet on a route its scope opens: a key without that scope, or its limit a minute. */
const errorsOfKeyRoutes: ProblemCode[] = ['insufficient_scope', 'too_many_requests'];

function errorResponses(route: RouteSpec) {
  const codes = new Set<ProblemCode>([...errorsByAccess[route.access], ...(route.scope ? errorsOfKeyRoutes : []), ...(route.errors ?? [])]);
  if (route.body) (['validation_failed', 'malformed_json', 'unsupported_media_type', 'payload_too_large'] as const).forEach((code) => codes.add(code));
  if (route.query) codes.add('validation_failed');
  // A path parameter that cannot be an id names nothing (shared/http/endpoint-core.ts).
  if (route.path.includes('{')) codes.add('not_found');
  codes.add('internal_error');
  codes.add('service_unavailable');
  const byStatus = new Map<number, ProblemCode[]>();
  for (const code of codes) byStatus.set(problemCatalog[code].status, [...(byStatus.get(problemCatalog[code].status) ?? []), code]);
  return Object.fromEntries(
    [...byStatus]
      .sort(([a], [b]) => a - b)
      .map(([status, list]) => [
        String(status),
        problemResponse(status, list, status === 500 ? 'Problem document (internal_error); carries no internal detail.' : `Problem document; code: ${list.join(', ')}`),
      ]),
  );
}

/** A download: a content type that is neither JSON nor a web page. */
const isFile = (contentType: string) => !/json|html/.test(contentType);

function successContent(response: RouteSpec['response']) {
  const contentType = response.contentType ?? 'application/json';
  if (response.schema) return { [contentType]: { schema: jsonSchema(response.schema, 'output') } };
  if (!response.contentType) return undefined;
  if (isFile(contentType)) return { [contentType]: { schema: { type: 'string', format: 'binary' } } };
  return { [contentType]: { schema: /json/.test(contentType) ? { type: 'object' } : { type: 'string' } } };
}

function successResponses(route: RouteSpec) {
  const { response } = route;
  const content = successContent(response);
  const withContent = content ? { content } : {};
  const requestId = { 'x-request-id': headerOf('x-request-id', true) };
  return {
    [String(response.status)]: {
      description: route.summary,
      headers: {
        ...requestId,
        ...(response.location ? { Location: { ...headerOf('Location', true), description: response.location } } : {}),
        ...(response.contentType && isFile(response.contentType) ? { 'Content-Disposition': headerOf('Content-Disposition', true) } : {}),
      },
      ...withContent,
    },
    ...(response.jsonStatus
      ? { [String(response.jsonStatus)]: { description: 'The same body, without the redirect, when the request sends Accept: application/json.', headers: requestId, ...withContent } }
      : {}),
  };
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
  return {
    operationId: route.name,
    summary: route.summary,
    ...(route.description ? { description: route.description } : {}),
    'x-access': route.access,
    ...(route.scope ? { 'x-api-key-scope': route.scope } : {}),
    security,
    ...(parameters.length > 0 ? { parameters } : {}),
    ...(route.body ? { requestBody: { required: true, content: { 'application/json': { schema: jsonSchema(route.body, 'input') } } } } : {}),
    responses: { ...successResponses(route), ...errorResponses(route) },
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
        'A path that is not in this document answers 404 route_not_found (components/responses/RouteNotFound); a method a path does not have answers 405 method_not_allowed with Allow (components/responses/MethodNotAllowed).',
      ].join('\n\n'),
    },
    // Relative: the document is served by the API it describes (GET /v1/openapi.json), so "/" is that API's
    // origin on every deployment (local, the execute-api address, a custom domain) without naming any.
    servers: [{ url: '/', description: 'The origin this document was fetched from.' }],
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
      schemas: {
        Problem: jsonSchema(ProblemDocument, 'output'),
        UidTakenProblem: jsonSchema(UidTakenProblem, 'output'),
        TooManyAttemptsProblem: jsonSchema(TooManyAttemptsProblem, 'output'),
        TooManyRequestsProblem: jsonSchema(TooManyRequestsProblem, 'output'),
      },
      headers: Object.fromEntries(Object.entries(headers).map(([name, header]) => [headerComponent(name), { ...header, required: true }])),
      responses: {
        RouteNotFound: problemResponse(404, ['route_not_found'], 'No route has this path (any method).'),
        MethodNotAllowed: problemResponse(405, ['method_not_allowed'], 'The path exists, not with this method; Allow names its methods.'),
      },
    },
    'x-problem-codes': Object.fromEntries(Object.entries(problemCatalog).map(([code, { status, title }]) => [code, { status, title: title.en, titles: title }])),
    paths,
  };
  return document;
}
