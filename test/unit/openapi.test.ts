import { routeList } from '../../shared/api/routes';
import { openApiDocument } from '../../shared/http/openapi';

describe('the OpenAPI document', () => {
  const document = openApiDocument() as { paths: Record<string, Record<string, Record<string, unknown>>> };

  it('has one operation per route, named after it', () => {
    const operations = Object.values(document.paths).flatMap((methods) => Object.values(methods));
    expect(operations).toHaveLength(routeList.length);
    for (const route of routeList) expect(document.paths[route.path]?.[route.method.toLowerCase()]?.operationId).toBe(route.name);
  });

  it('describes request bodies from the zod schemas', () => {
    const signIn = document.paths['/v1/auth/sign-in']!.post as { requestBody: { content: Record<string, { schema: { required: string[]; additionalProperties: boolean } }> } };
    const schema = signIn.requestBody.content['application/json']!.schema;
    expect(schema.required.sort()).toEqual(['identifier', 'password']);
    expect(schema.additionalProperties).toBe(false);
  });

  it('has a server relative to where it is served, and integers with their real bounds only', () => {
    expect((document as unknown as { servers: unknown }).servers).toEqual([{ url: '/', description: expect.any(String) }]);
    expect(JSON.stringify(document)).not.toContain(String(Number.MAX_SAFE_INTEGER));
    const listGroups = document.paths['/v1/admin/groups']!.get as { parameters: { name: string; schema: Record<string, unknown> }[] };
    expect(listGroups.parameters.find((parameter) => parameter.name === 'limit')!.schema).toMatchObject({ type: 'integer', minimum: 1, maximum: 100 });
  });

  it('gives uid_taken and too_many_attempts their own schemas, on the statuses that answer them', () => {
    const responses = (path: string, method: string) => document.paths[path]![method]!.responses as Record<string, { headers: Record<string, unknown>; content: Record<string, { schema: unknown }> }>;
    const conflict = JSON.stringify(responses('/v1/admin/invitations', 'post')['409']!.content['application/problem+json']!.schema);
    expect(conflict).toContain('#/components/schemas/UidTakenProblem');
    const throttled = responses('/v1/auth/sign-in', 'post')['429']!;
    expect(throttled.content['application/problem+json']!.schema).toEqual({ $ref: '#/components/schemas/TooManyAttemptsProblem' });
    expect(throttled.headers).toEqual({ 'x-request-id': { $ref: '#/components/headers/RequestId' }, 'Retry-After': { $ref: '#/components/headers/RetryAfter' } });
    expect(JSON.stringify(responses('/v1/admin/groups', 'post'))).not.toContain('UidTakenProblem');
  });
});
