import Ajv2020, { type ErrorObject, type ValidateFunction } from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { openApiDocument } from '../../shared/http/openapi';

/**
 * Checks an answer of the API against the OpenAPI document it serves: the status is declared
 * for the operation (found by method and path template, as API Gateway finds the route), the
 * content type is a declared one (no body where none is declared), a JSON body validates
 * against the schema, and every required declared header is there and well-formed; every
 * answer carries x-request-id. Requests that match no operation are held to the documented
 * route_not_found and method_not_allowed answers.
 */

type Json = Record<string, unknown>;

export interface ObservedAnswer {
  method: string;
  /** The URL or path as requested; only its path counts. */
  url: string;
  status: number;
  headers: Headers;
  body: Uint8Array;
}

interface HeaderObject {
  required?: boolean;
  schema?: Json;
}
interface ResponseObject {
  headers?: Record<string, HeaderObject | { $ref: string }>;
  content?: Record<string, { schema?: Json }>;
}
interface Document {
  paths: Record<string, Record<string, { responses: Record<string, ResponseObject | { $ref: string }> }>>;
  components: { schemas: Record<string, Json>; headers: Record<string, HeaderObject>; responses: Record<string, ResponseObject> };
}

const document = openApiDocument() as unknown as Document;

const ajv = new Ajv2020({ allErrors: true, strict: true });
addFormats(ajv);
// OpenAPI's own formats and keywords, which carry no constraint a body can break.
ajv.addFormat('binary', true);
ajv.addFormat('password', true);
ajv.addKeyword('example');

/** Component references as ajv finds them: under the one schema registered below. */
const intoComponents = (value: unknown): unknown => {
  if (Array.isArray(value)) return value.map(intoComponents);
  if (value === null || typeof value !== 'object') return value;
  return Object.fromEntries(
    Object.entries(value).map(([key, inner]) => [key, key === '$ref' && typeof inner === 'string' ? inner.replace('#/components/schemas/', 'components#/$defs/') : intoComponents(inner)]),
  );
};
// The components' schemas under one id, so that "#/components/schemas/X" resolves from any schema compiled alone.
ajv.addSchema({ $id: 'components', $defs: intoComponents(document.components.schemas) });

/** Each schema is compiled once, the first time an answer needs it. */
const compiled = new Map<Json, ValidateFunction>();
function validatorOf(schema: Json): ValidateFunction {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(intoComponents(schema) as Json);
    compiled.set(schema, validate);
  }
  return validate;
}

const resolve = <T>(object: T | { $ref: string }): T => {
  if (object && typeof object === 'object' && '$ref' in object) {
    const [, , kind, name] = object.$ref.split('/');
    const components = document.components as unknown as Record<string, Record<string, T>>;
    return { ...components[kind!]![name!]!, ...object, $ref: undefined } as T;
  }
  return object;
};

const templates = Object.keys(document.paths).map((template) => ({
  template,
  parameters: (template.match(/\{[^}]+\}/g) ?? []).length,
  pattern: new RegExp(`^${template.split('/').map((segment) => (/^\{[^}]+\}$/.test(segment) ? '[^/]+' : segment.replace(/[.*+?^$()|[\]\\]/g, '\\$&'))).join('/')}$`),
}));

/** The documented response for a method and path: the operation's, or the document's answer to an unknown route or method. */
function expectedResponses(method: string, path: string): { route: string; responses: Record<string, ResponseObject | { $ref: string }> } {
  const matching = templates.filter(({ pattern }) => pattern.test(path)).sort((a, b) => a.parameters - b.parameters);
  const withMethod = matching.find(({ template }) => document.paths[template]![method.toLowerCase()]);
  if (withMethod) return { route: `${method} ${withMethod.template}`, responses: document.paths[withMethod.template]![method.toLowerCase()]!.responses };
  if (matching.length > 0) return { route: `${method} ${path} (no such method)`, responses: { '405': document.components.responses.MethodNotAllowed! } };
  return { route: `${method} ${path} (no such route)`, responses: { '404': document.components.responses.RouteNotFound! } };
}

const mediaType = (contentType: string) => contentType.split(';')[0]!.trim().toLowerCase();
const isJson = (type: string) => type === 'application/json' || type.endsWith('+json');
const explain = (errors: ErrorObject[] | null | undefined) =>
  (errors ?? []).map((error) => `${error.instancePath || '(body)'} ${error.message}${error.params && Object.keys(error.params).length > 0 ? ` ${JSON.stringify(error.params)}` : ''}`);

function headerValue(value: string, schema: Json | undefined): unknown {
  if (schema?.type === 'integer' && /^-?\d+$/.test(value)) return Number(value);
  return value;
}

/** Every way the answer departs from the document; empty when it conforms. */
export function contractViolations(answer: ObservedAnswer): string[] {
  const path = new URL(answer.url, 'http://api.invalid').pathname;
  const { responses } = expectedResponses(answer.method, path);
  const declared = responses[String(answer.status)] ?? responses[`${String(answer.status)[0]}XX`] ?? responses.default;
  if (!declared) return [`status ${answer.status} is not declared (declared: ${Object.keys(responses).join(', ')})`];
  const response = resolve(declared);
  const violations: string[] = [];

  // Every answer carries x-request-id, declared or not.
  if (!answer.headers.get('x-request-id') && !response.headers?.['x-request-id']) violations.push('header x-request-id is missing');
  for (const [name, header] of Object.entries(response.headers ?? {})) {
    const { required, schema } = resolve(header);
    const value = answer.headers.get(name);
    if (value === null) {
      if (required) violations.push(`required header ${name} is missing`);
      continue;
    }
    if (schema) {
      const validate = validatorOf(schema);
      if (!validate(headerValue(value, schema))) violations.push(...explain(validate.errors).map((message) => `header ${name}: ${message.replace('(body) ', '')}`));
    }
  }

  const contentType = answer.headers.get('content-type');
  const content = response.content;
  if (!content) {
    if (answer.body.length > 0 || contentType) violations.push(`no body is declared, got ${answer.body.length} bytes of ${contentType ?? 'no content type'}`);
    return violations;
  }
  if (!contentType) return [...violations, `no content type (declared: ${Object.keys(content).join(', ')})`];
  const media = Object.entries(content).find(([declaredType]) => mediaType(declaredType) === mediaType(contentType));
  if (!media) return [...violations, `content type ${contentType} is not declared (declared: ${Object.keys(content).join(', ')})`];
  const schema = media[1].schema;
  if (isJson(mediaType(contentType)) && schema) {
    let body: unknown;
    try {
      body = JSON.parse(Buffer.from(answer.body).toString('utf8'));
    } catch {
      return [...violations, 'the body is not JSON'];
    }
    const validate = validatorOf(schema);
    if (!validate(body)) violations.push(...explain(validate.errors));
  } else if (answer.body.length === 0) {
    violations.push(`an empty ${contentType} body`);
  }
  return violations;
}

/** Throws, naming the route, the status and what differs, when the answer departs from the document. */
export function assertContract(answer: ObservedAnswer): void {
  const violations = contractViolations(answer);
  if (violations.length === 0) return;
  const path = new URL(answer.url, 'http://api.invalid').pathname;
  const { route } = expectedResponses(answer.method, path);
  const body = Buffer.from(answer.body).toString('utf8');
  throw new Error(
    `The answer departs from the OpenAPI document: ${route} (${path}) answered ${answer.status} ${answer.headers.get('content-type') ?? ''}\n` +
      violations.map((violation) => `  - ${violation}`).join('\n') +
      (body && /json|text/.test(answer.headers.get('content-type') ?? '') ? `\n  body: ${body.slice(0, 2000)}` : ''),
  );
}

/**
 * Whether an answer is this API's: not S3's (a presigned URL is the bucket's) and not the test
 * stack's own controls (/__local/..., which no deployment has).
 */
export const isApiUrl = (url: URL) =>
  !url.searchParams.has('X-Amz-Signature') && !url.searchParams.has('X-Amz-Credential') && !url.pathname.startsWith('/__local/');
