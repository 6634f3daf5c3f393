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
});
